"""A steward on a phone logs a 1-on-1 and ticks a structure test with the keyboard; a leader
reads the organizing dashboard."""

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def test_steward_logs_a_one_on_one_and_ticks_a_structure_test_on_a_phone(visit):
    steward = visit(PHONE, "steward-my-buildings")
    page = steward.page
    steward.sign_in("steward@example.org")
    page.get_by_role("link", name="My buildings: who to talk to next").click()
    page.get_by_role("heading", name="Who to talk to next").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    steward.shot("who to talk to next")
    assert_accessible(page)

    row = page.locator(".talk-row").first
    name = row.locator(".talk-name").inner_text()
    log_link = row.get_by_role("link", name=re.compile("Log 1-on-1"))
    log_link.focus()
    page.keyboard.press("Enter")
    form = page.locator("form.talk-form")
    form.wait_for()
    form.get_by_label("Said yes to the ask").check()
    form.get_by_label("Issues raised").fill("Class of 34 and no nurse on Tuesdays.")
    form.get_by_role("textbox", name="The ask").fill("Sign the petition")
    form.get_by_label("Their answer").fill("Signed on the spot")
    form.get_by_label("New support level").select_option(label="2 · Supporter")
    steward.shot("one-on-one form")
    assert_accessible(page)
    form.get_by_role("button", name="Save the 1-on-1").focus()
    page.keyboard.press("Enter")
    page.locator("#announcer").filter(has_text=f"1-on-1 with {name} saved").wait_for()
    assert page.locator("form.talk-form").count() == 0
    updated = page.locator(".talk-row", has_text=name).first
    assert "2 · Supporter" in updated.inner_text()
    steward.shot("one-on-one saved")

    toggle = updated.locator("button.test-toggle")
    pressed = toggle.get_attribute("aria-pressed")
    toggle.focus()
    page.keyboard.press("Space")
    expected = "false" if pressed == "true" else "true"
    page.locator(
        f".talk-row:has-text('{name}') button.test-toggle[aria-pressed='{expected}']"
    ).wait_for()
    page.locator("#announcer").filter(has_text=name).wait_for()
    steward.shot("structure test ticked")

    # The page kept working without a full reload: the member page shows the conversation.
    page.get_by_role("link", name=name).first.click()
    page.get_by_text("Class of 34 and no nurse on Tuesdays.").wait_for()
    steward.shot("member page")


def test_leader_reads_the_organizing_dashboard(visit):
    leader = visit(LAPTOP, "leader-dashboard")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.get_by_role("heading", name="On the timeline").wait_for()
    leader.shot("home with timeline")
    page.get_by_role("link", name="Schools Our Students Deserve").first.click()
    page.get_by_role("heading", name="Timeline").wait_for()
    leader.shot("campaign plan and timeline")
    page.get_by_role("link", name="Organizing dashboard").click()
    page.get_by_role("heading", name="Organizing dashboard").wait_for()
    assert page.locator("svg[role=img]").count() == 2
    assert page.locator("tr.weak").count() > 0
    leader.shot("dashboard")
    assert_accessible(page)
    page.get_by_role("link", name="Supporters (1-2)").click()
    page.wait_for_url(re.compile(r"sort=supporters"))
    assert page.locator("th[aria-sort]").count() == 1
    page.get_by_role("link", name="BCG self-assessment").first.click()
    page.get_by_role("heading", name="Scores over time").wait_for()
    leader.shot("assessment")

    phone = visit(PHONE, "leader-dashboard-phone")
    phone.sign_in("leader@example.org")
    phone.page.goto(page.url.split("/campaigns/")[0] + "/campaigns/true-2027/dashboard/")
    phone.page.get_by_role("heading", name="Week by week").wait_for()
    phone.shot("dashboard on a phone")


def test_leader_imports_a_roster_after_fixing_the_rows_the_preview_flags(visit):
    leader = visit(LAPTOP, "leader-import")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.goto("/campaigns/members/import/")
    header = "Employee ID,First Name,Last Name,Email,Site,Job Title\n"
    bad = header + (
        "NEW001,Ana,Ruiz,ana.ruiz@twinriversusd.example,Oak Grove Elementary,Counselor\n"
        "NEW002,Ben,Oduya,not-an-email,Atlantis Middle School,Classroom teacher\n"
    )
    page.get_by_label("Roster file").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Match the columns").wait_for()
    assert page.get_by_label("Building").input_value() == "Site"
    leader.shot("column mapping")
    page.get_by_label("Mark members missing from this roster as having left").uncheck()
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("heading", name="Preview the import").wait_for()
    page.get_by_text("Unknown building “Atlantis Middle School”").wait_for()
    assert page.get_by_role("button", name="Import the roster").count() == 0
    leader.shot("preview with errors")
    assert_accessible(page)

    page.get_by_role("link", name="Upload a corrected file").click()
    good = bad.replace("not-an-email", "ben.oduya@twinriversusd.example").replace(
        "Atlantis Middle School", "Madison Elementary"
    )
    page.get_by_label("Roster file").set_input_files(
        {"name": "roster.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_label("Mark members missing from this roster as having left").uncheck()
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("button", name="Import the roster").click()
    page.get_by_text("Roster imported: 2 added").wait_for()
    leader.shot("imported")
