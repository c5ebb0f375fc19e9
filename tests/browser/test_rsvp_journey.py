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
