"""An RSVP end to end: a visitor whose browser fills the form in signs up at once, gets the
confirmation and cancels from its link; a partner signs people up with their contacts; the
leader cancels the action with a reason and the public RSVP page says so."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser


def test_visitor_rsvps_fast_confirms_and_cancels_then_the_action_is_cancelled(visit, server):
    visitor = visit(PHONE, "rsvp-visitor")
    page = visitor.page
    page.goto("/open/true-2027/")
    page.get_by_role("link", name=re.compile(r"^RSVP")).first.click()
    rsvp_path = re.sub(r"^https?://[^/]+", "", page.url)
    # Filled in as autofill does, and sent about a second later.
    page.get_by_label("Your name").fill("Ana Autofill")
    page.get_by_label("Email").fill("ana.autofill@example.org")
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Count me in").click()
    page.get_by_role("heading", name="Thank you, see you there").wait_for()
    visitor.shot("rsvp thanks")

    [confirmation] = [m for m in server.mail() if "To: ana.autofill@example.org" in m]
    assert "You are on the list" in confirmation and "action.ics" in confirmation
    cancel = re.search(r"https?://[^\s\"]+/actions/rsvp/cancel/[^\s\"]+/", confirmation).group(0)
    assert "ana" not in cancel.lower()
    page.goto(cancel)
    page.get_by_role("button", name="Yes, cancel my RSVP").click()
    page.get_by_role("heading", name="You are off the list").wait_for()
    visitor.shot("rsvp cancelled")

    partner = visit(PHONE, "rsvp-partner")
    partner.sign_in("partner@example.org")
    partner.page.goto(rsvp_path.replace("/rsvp/", "/"))
    partner.page.get_by_role("link", name="Sign up our people").click()
    partner.page.get_by_label("Who from your organisation is coming?").fill(
        "Maria Lopez, maria.lopez@example.org\nSam Okafor, (916) 555-0101"
    )
    partner.page.get_by_role("button", name="Add to the list").click()
    partner.page.get_by_text("Your people are on the list.").wait_for()
    assert "maria.lopez@example.org" in partner.page.content()
    assert "(916) 555-0101" in partner.page.content()
    partner.shot("partner sign-ups with contacts")

    leader = visit(LAPTOP, "rsvp-leader")
    leader.sign_in("leader@example.org")
    leader.page.goto(rsvp_path.replace("/rsvp/", "/cancel/"))
    leader.page.get_by_role("button", name="Yes, cancel the action").click()
    leader.page.get_by_text("This field is required.").wait_for()
    leader.page.get_by_label("Why is it cancelled?").fill("The board moved its meeting to January.")
    leader.page.get_by_role("button", name="Yes, cancel the action").click()
    leader.page.get_by_text("Everyone who is coming gets one notice").wait_for()
    leader.shot("action cancelled with a reason")

    page.goto(rsvp_path)
    page.get_by_text("This action was cancelled. Nobody needs to come.").wait_for()
    assert "moved its meeting to January" in page.content()
    visitor.shot("public rsvp page after cancelling")
    notices = [m for m in server.mail() if "Cancelled:" in m]
    assert notices and all("moved its meeting to January" in m for m in notices)


def test_leader_records_a_past_action_and_sends_the_digest_now(visit, server):
    from datetime import timedelta

    from django.utils import timezone

    leader = visit(PHONE, "past-action-and-digest")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.goto("/actions/campaign/true-2027/new/")
    page.get_by_label("Tactic").select_option(label="2. Union buttons")
    page.get_by_label("Title").fill("Button day we forgot to log")
    yesterday = timezone.localtime() - timedelta(days=1)
    page.get_by_label("Starts").fill(yesterday.strftime("%Y-%m-%dT07:30"))
    page.get_by_label("Ends").fill(yesterday.strftime("%Y-%m-%dT15:00"))
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("This date has passed: record it as a past action?").wait_for()
    leader.shot("asked about a past date")
    page.get_by_label("Yes, record it as a past action").check()
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Past action recorded; no reminders were sent.").wait_for()
    leader.shot("past action recorded")

    page.goto("/actions/campaign/true-2027/reminders/")
    page.get_by_role("link", name="Weekly steward digest: preview and send now").click()
    page.get_by_role("heading", name="Preview").wait_for()
    assert "Your buildings this week · " in page.content()
    leader.shot("digest preview")
    page.get_by_role("link", name="Send now…").click()
    page.get_by_role("button", name="Yes, send it now").click()
    page.get_by_text("This week's digest is on its way to").wait_for()
    leader.shot("digest sent")
    page.get_by_role("link", name="Send now…").click()
    page.get_by_role("button", name="Yes, send it now").click()
    page.get_by_text("already had this week's digest and get").wait_for()
    digests = [m for m in server.mail() if "Your buildings this week" in m]
    assert digests and len(digests) == len({m.split("To: ", 1)[1].split()[0] for m in digests})
