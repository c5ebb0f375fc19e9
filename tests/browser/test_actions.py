"""A leader schedules an action; a steward marks who is coming; a visitor RSVPs publicly."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import LAPTOP, PHONE, choose_in_picker

pytestmark = pytest.mark.browser

WALK_IN = "Rally before school and walk in together: Del Paso and North Highlands"


def test_leader_schedules_steward_marks_visitor_rsvps(visit):
    leader = visit(LAPTOP, "actions-leader")
    leader.sign_in("leader@example.org")
    leader.page.get_by_role("link", name="Actions", exact=True).click()
    leader.page.get_by_role("heading", name="Upcoming actions").wait_for()
    leader.shot("actions list")
    leader.page.get_by_role("link", name="Ladder", exact=True).first.click()
    leader.page.get_by_role("heading", name="Escalation ladder").wait_for()
    leader.page.get_by_role("link", name="All dates").click()
    leader.page.get_by_role("link", name="All dates").and_(
        leader.page.locator("[aria-current=page]")
    ).wait_for()
    assert leader.page.get_by_role("group", name="Actions by escalation level over time").count()
    assert "Check readiness before these actions" in leader.page.content()
    leader.shot("ladder")

    leader.page.get_by_role("link", name="Schedule an action").first.click()
    leader.page.get_by_label("Tactic").select_option(label="10. Packed school-board meeting")
    leader.page.get_by_label("Title").fill("Packed board meeting: counselors in every school")
    starts = timezone.localtime() + timedelta(days=20)
    leader.page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT18:00"))
    leader.page.get_by_label("Ends").fill(starts.strftime("%Y-%m-%dT17:00"))
    leader.page.get_by_label("Place:").fill("District office board room")
    choose_in_picker(
        leader.page, "Search organisations by name", "Twin Rivers Parents for Public Schools"
    )
    leader.page.get_by_role("checkbox", name=re.compile(r"^Public")).check()
    leader.page.get_by_role("button", name="Schedule").click()
    leader.page.get_by_text("The end is before the start").wait_for()
    leader.shot("end before start refused")
    leader.page.get_by_label("Ends").fill(starts.strftime("%Y-%m-%dT20:00"))
    leader.page.get_by_role("button", name="Schedule").click()
    leader.page.get_by_text("Action scheduled; reminders are planned.").wait_for()
    leader.page.get_by_role(
        "heading", name="Packed board meeting: counselors in every school"
    ).wait_for()
    leader.shot("action scheduled")

    steward = visit(PHONE, "actions-steward")
    steward.sign_in("steward@example.org")
    steward.page.get_by_role("link", name="Actions", exact=True).click()
    steward.page.get_by_role("link", name=WALK_IN).click()
    steward.page.get_by_role("link", name="Mark who is coming from my buildings").click()
    steward.page.get_by_role("heading", name="Who is coming").wait_for()
    button = steward.page.locator("button[aria-pressed='false']").first
    row_id = button.locator("xpath=ancestor::tr").get_attribute("id")
    steward.shot("participation")
    button.click()
    steward.page.locator(f"#{row_id} button[aria-pressed='true']").first.wait_for()
    # The aria-live region says what changed (a locator assertion: the page's CSP forbids the
    # eval that a polled wait_for_function would need).
    expect(steward.page.locator("#announcer")).to_have_text(re.compile(r"^Saved for"))
    steward.shot("marked coming")

    public_link = leader.page.get_by_role("link", name="Public RSVP page").get_attribute("href")
    anonymous = visit(PHONE, "actions-public-rsvp")
    anonymous.page.goto(public_link)
    anonymous.page.get_by_label("Your name").fill("Lorena Castillo")
    anonymous.page.get_by_label("Email").fill("lorena.parent@example.org")
    anonymous.page.get_by_label("You may contact me about this campaign").check()
    anonymous.shot("public rsvp form")
    anonymous.page.wait_for_timeout(1200)  # a person takes over a second; bots do not
    anonymous.page.get_by_role("button", name="Count me in").click()
    anonymous.page.get_by_role("heading", name="Thank you, see you there").wait_for()
    assert re.search(r"/actions/\d+/rsvp/\?thanks=1$", anonymous.page.url)
    assert "Lorena" not in anonymous.page.content()
    anonymous.shot("rsvp thanks")


def test_leader_reorders_the_ladder_and_checks_reminders(visit):
    leader = visit(PHONE, "actions-ladder-phone")
    leader.sign_in("leader@example.org")
    leader.page.goto("/actions/campaign/true-2027/tactics/")
    leader.page.get_by_role("heading", name="The ladder's tactics").wait_for()
    leader.page.get_by_role("button", name=re.compile(r"Bolder.*Lawn signs")).click()
    leader.page.get_by_text("Lawn signs moved to position 7.").wait_for()
    leader.shot("ladder reordered")
    leader.page.goto("/actions/campaign/true-2027/reminders/")
    leader.page.get_by_label("Send reminders this long before each action").fill("-5d")
    leader.page.get_by_role("button", name="Save").click()
    leader.page.get_by_text("never after").wait_for()
    assert "SMTPRecipientsRefused" in leader.page.content()
    leader.shot("reminder settings refused")
    leader.page.goto("/actions/campaign/true-2027/ladder/")
    leader.shot("ladder on a phone")
    leader.page.goto("/actions/calendar/")
    leader.page.get_by_role("button", name="Make my calendar address").click()
    feed = leader.page.get_by_label("Your calendar address (shown once; copy it now)")
    assert "/actions/calendar/" in feed.input_value()
    leader.shot("calendar address")
