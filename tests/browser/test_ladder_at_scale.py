"""On the large local that ``seed_scale`` builds (600 actions over two and a half years), a
leader finds next week's actions from the ladder: on a laptop through the chart's marks and the
date filter, on a 390 px phone, and by keyboard alone.

The server and the seed run with the clock at 20:30 on Sunday 29 November 2026 in California,
when it is already Monday in UTC: "next week" must be the local's week of Monday 30 November.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from tests.browser.conftest import LAPTOP, PHONE, Visit
from tests.conftest import EVENING_IN_CALIFORNIA, PACIFIC
from tests.services import app_server, require_chromium

pytestmark = pytest.mark.browser

LADDER = "/actions/campaign/scale-campaign/ladder/"
LEADER = "leader@scale.example"
NEXT_MONDAY = datetime(2026, 11, 30, tzinfo=PACIFIC)


@pytest.fixture(scope="module")
def scale_server(tmp_path_factory):
    require_chromium()
    with app_server(
        tmp_path_factory.mktemp("ladder-scale"), seed="seed_scale", frozen_at=EVENING_IN_CALIFORNIA
    ) as running:
        yield running


def actions_between(server, start: datetime, end: datetime) -> list[str]:
    """The titles the database holds for the local's days from ``start`` to ``end``."""
    import psycopg

    with psycopg.connect(server.env["DATABASE_URL"]) as conn:
        rows = conn.execute(
            "SELECT a.title FROM actions_action a JOIN campaigns_campaign c ON c.id = a.campaign_id"
            " WHERE c.slug = 'scale-campaign' AND a.starts_at >= %s AND a.starts_at < %s"
            " ORDER BY a.starts_at, a.id",
            [start, end],
        ).fetchall()
    return [title for (title,) in rows]


def table_titles(visit: Visit) -> list[str]:
    return visit.page.locator("#ladder-table tbody th[scope=row] a").all_inner_texts()


@pytest.fixture
def open_visit(browser, scale_server, request):
    opened: list[Visit] = []

    def make(viewport: dict, name: str) -> Visit:
        v = Visit(browser, scale_server, name, viewport)
        opened.append(v)
        return v

    yield make
    for v in opened:
        if getattr(request.node, "call_failed", False):
            v.shot("failed", always=True)
        v.close()


def test_a_leader_finds_next_weeks_actions_from_the_ladder(open_visit, scale_server):
    next_week = actions_between(scale_server, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7))
    this_week = actions_between(scale_server, NEXT_MONDAY - timedelta(days=7), NEXT_MONDAY)
    assert next_week and this_week  # the seed spreads 600 actions, one every day and a half

    leader = open_visit(LAPTOP, "ladder-scale-laptop")
    leader.sign_in(LEADER)
    page = leader.page
    page.goto(LADDER)
    page.get_by_role("heading", name="Escalation ladder").wait_for()
    # It opens on this week and the next: their actions fill the table's first page.
    assert page.get_by_role("link", name="This week and next").get_attribute("aria-current")
    assert table_titles(leader) == this_week + next_week
    leader.shot("opens on this week and next")

    # Each mark of next week's column links to its actions.
    marks = page.locator('svg a[aria-label^="30 Nov, level"]')
    assert marks.count() >= 1
    label = marks.first.get_attribute("aria-label")
    level, count = re.search(r"level (\d+): (\d+) action", label).groups()
    marks.first.click()
    page.wait_for_url(re.compile(r"start=2026-11-30&end=2026-12-06&level=" + level))
    found = table_titles(leader)
    assert len(found) == int(count) and set(found) <= set(next_week)
    leader.shot("one mark of next week")

    # The date filter gives the whole of next week.
    page.get_by_label("Level", exact=True).select_option(label="All levels")
    page.get_by_label("From", exact=True).fill("2026-11-30")
    page.get_by_label("To", exact=True).fill("2026-12-06")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"start=2026-11-30"))
    assert table_titles(leader) == next_week
    leader.shot("next week by the date filter")

    # The whole history is counted per month, and its table is paged.
    page.get_by_role("link", name="All dates").click()
    page.get_by_role("link", name="Next", exact=True).first.wait_for()
    assert "Page 1 of 12" in page.content()
    assert len(page.content().encode()) < 100_000


def test_the_ladder_at_scale_on_a_phone_and_by_keyboard(open_visit, scale_server):
    next_30 = actions_between(
        scale_server, NEXT_MONDAY - timedelta(days=1), NEXT_MONDAY + timedelta(days=30)
    )
    phone = open_visit(PHONE, "ladder-scale-phone")
    phone.sign_in(LEADER)
    page = phone.page
    page.goto(LADDER)
    page.get_by_role("heading", name="Escalation ladder").wait_for()
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"the page is {overflow} px wide at 390 px"
    phone.shot("ladder on a phone")

    # By keyboard alone: Tab to "Next 30 days" and press Enter.
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Next 30 days":
            break
    else:
        pytest.fail("Tab never reached the Next 30 days link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"when=month"))
    assert page.get_by_role("link", name="Next 30 days").get_attribute("aria-current")
    assert table_titles(phone) == next_30[:50]
    phone.shot("next 30 days by keyboard")
