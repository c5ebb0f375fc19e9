"""The leader's journey across the areas, through the UI only: set up a campaign, invite a
steward and a partner, schedule an action and publish a bargaining update; then the public
sees the update. Each area's own journeys live beside this one (test_campaigns, test_demands,
test_actions, test_bargaining)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.conftest import LAPTOP, PHONE, choose_in_picker

pytestmark = pytest.mark.browser


def test_leader_sets_up_a_campaign_invites_people_and_publishes(visit, server):
    leader = visit(LAPTOP, "journey-leader")
    page = leader.page
    leader.sign_in("leader@example.org")

    # A new campaign, started from the toolkit's timeline.
    page.get_by_role("link", name="Start a new campaign").click()
    page.get_by_label("Name").fill("Schools Our Students Deserve 2029")
    page.get_by_label("Web address").fill("true-2029")
    target = timezone.localdate() + timedelta(days=540)
    page.get_by_label("Bargaining target date").fill(target.isoformat())
    leader.shot("new campaign form")
    page.get_by_role("button", name=re.compile("Start|Create|Save")).click()
    page.get_by_role("heading", name="Schools Our Students Deserve 2029").wait_for()
    page.get_by_role("heading", name="Timeline").wait_for()
    leader.shot("campaign with its timeline")

    # Invite a steward and a partner.
    for email, role, scope in (
        ("rosa.steward@example.org", "Steward", "Oak Grove Elementary"),
        ("pastor.lee@example.org", "Partner", None),
    ):
        page.goto("/")
        page.get_by_role("link", name="Invite someone").first.click()
        page.get_by_label("Email address").fill(email)
        page.get_by_label(role, exact=True).check()
        if scope:
            choose_in_picker(page, "Search buildings by name", scope)
        else:
            choose_in_picker(page, "Search organisations by name", "Twin Rivers Parents")
        page.get_by_role("button", name="Send invitation").click()
        page.get_by_text(f"Invitation sent to {email}").wait_for()
    leader.shot("invitations sent")
    mail = "\n".join(server.mail())
    assert "rosa.steward@example.org" in mail and "pastor.lee@example.org" in mail

    # Schedule an action on the ladder of the demo campaign.
    page.goto("/actions/campaign/true-2027/ladder/")
    page.get_by_role("link", name="Schedule an action").first.click()
    page.get_by_label("Tactic").select_option(label="8. Rally before school and walk in together")
    page.get_by_label("Title").fill("Walk-in for counselors at every school")
    starts = timezone.localtime() + timedelta(days=12)
    page.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT07:15"))
    page.get_by_label("Ends").fill(starts.strftime("%Y-%m-%dT08:00"))
    page.get_by_label("Place:").fill("Every school, front entrance")
    page.get_by_role("checkbox", name=re.compile(r"^Public")).check()
    page.get_by_role("button", name="Schedule").click()
    leader.shot("after scheduling")
    page.get_by_text("Action scheduled; reminders are planned.").wait_for()
    leader.shot("action scheduled")

    # Publish a bargaining update: a session summary, through its preview.
    page.goto("/bargaining/true-2027/")
    page.get_by_role("link", name="Record a session").click()
    day = timezone.localtime() + timedelta(days=1)
    page.get_by_label("Starts:").fill(day.strftime("%Y-%m-%dT16:00"))
    page.get_by_label("Ends:").fill(day.strftime("%Y-%m-%dT19:00"))
    page.get_by_label("Place:").fill("District office, room 4")
    page.get_by_label("Public summary:", exact=True).fill(
        "Members packed the room as we proposed counselors at every school."
    )
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Session saved.").wait_for()
    page.get_by_role("link", name="Preview and publish").click()
    page.get_by_role("heading", name="What the public will see").wait_for()
    leader.shot("preview of the update")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published. The public page shows it now.").wait_for()
    leader.shot("update published")

    # The public reads it, and sees the action with its RSVP link.
    public = visit(PHONE, "journey-public")
    public.page.goto("/open/true-2027/")
    public.page.get_by_text("Members packed the room as we proposed counselors").wait_for()
    assert "Walk-in for counselors at every school" in public.page.content()
    public.shot("public page with the update")


def test_sign_in_and_a_one_on_one_with_the_keyboard_only(visit):
    steward = visit(PHONE, "journey-keyboard")
    page = steward.page
    page.goto("/accounts/login/")
    page.get_by_label("Email").focus()
    page.keyboard.type("steward@example.org")
    page.keyboard.press("Tab")  # the password field comes next
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("commongood")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/$"))
    page.get_by_role("link", name="My buildings").first.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Who to talk to next").wait_for()
    page.keyboard.press("Tab")  # the skip link appears and shows its focus
    focused_outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none'; }"
    )
    assert focused_outline
    steward.shot("steward page reached by keyboard")
