"""A leader of the large local (36,000 members in 1,000 buildings, built by ``seed_scale``)
finds members by full name and by part of an employee id, and exports one building's supporters;
and on a 390 px phone the list and its filters fit and work."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import LAPTOP, PHONE, Visit
from tests.browser.test_campaigns import assert_accessible

pytestmark = pytest.mark.browser

LEADER = "leader@scale.example"
PASSWORD = "commongood"
BUILDING = "School 0012"


@pytest.fixture
def large(large_local):
    return large_local


def server_rows(server, sql: str, params: tuple) -> list[tuple]:
    """Rows straight from the server's database, to check the page against."""
    url = server.env["DATABASE_URL"]
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture
def leader(browser, large, request):
    opened: list[Visit] = []

    def open_visit(viewport: dict) -> Visit:
        visit = Visit(browser, large, f"{request.node.name}-{viewport['width']}", viewport)
        visit.sign_in(LEADER, PASSWORD)
        opened.append(visit)
        return visit

    yield open_visit
    for visit in opened:
        if getattr(request.node, "call_failed", False):
            visit.shot("failed", always=True)
        visit.close()


def search(page, text: str) -> None:
    page.get_by_label("Name, employee id, email, phone or building").fill(text)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()


def names_listed(page) -> list[str]:
    return page.locator("main table tbody tr td:first-child a").all_inner_texts()


def test_leader_finds_members_and_exports_one_buildings_supporters(leader, large):
    visit = leader(LAPTOP)
    page = visit.page
    page.goto("/campaigns/members/")
    assert page.locator("main caption").inner_text() == "36000 members"
    # The numbered pages reach the last one without paging through 720.
    assert page.get_by_role("link", name="Page 720").count() == 1

    search(page, "First1234 Last1234")
    assert names_listed(page)[0] == "First1234 Last1234"
    search(page, "Last1234 First1234")
    assert names_listed(page)[0] == "First1234 Last1234"
    search(page, "001234")
    assert names_listed(page) == ["First1234 Last1234"]
    visit.shot("found by part of an employee id")

    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Building", exact=True).select_option(label=BUILDING)
    page.get_by_label("Support level").select_option(label="2 · Supporter")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    listed = set(names_listed(page))
    expected = server_rows(
        large,
        "SELECT m.employee_id, m.first_name || ' ' || m.last_name FROM campaigns_member m "
        "JOIN campaigns_building b ON b.id = m.building_id "
        "WHERE b.name = %s AND m.support_level = 2 AND m.left_at IS NULL",
        (BUILDING,),
    )
    assert expected and listed == {name for _id, name in expected}
    count = int(re.search(r"Export (?:these )?(\d+) member", page.locator("main").inner_text())[1])
    assert count == len(expected)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {row["Employee id"] for row in rows} == {employee for employee, _name in expected}
    assert {row["Building"] for row in rows} == {BUILDING}
    assert {row["Support level"] for row in rows} == {"2"}
    query = urlsplit(download.value.url).query
    assert "building=" in query and "level=2" in query


def test_the_list_and_its_filters_work_on_a_390_px_phone(leader):
    visit = leader(PHONE)
    page = visit.page
    page.goto("/campaigns/members/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.get_by_label("Name, employee id, email, phone or building")
    box.focus()
    page.keyboard.type("First1234 Last1234")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=First1234"))
    assert names_listed(page)[0] == "First1234 Last1234"
    page.get_by_label("Last contact").select_option(label="Never contacted")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "q=First1234" in page.url and "contact=never" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for control in ("Building", "Support level", "Structure test", "Who left"):
        assert page.get_by_label(control, exact=True).is_visible()
    visit.shot("filtered on a phone")
    assert_accessible(page)
