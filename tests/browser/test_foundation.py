"""Sign in as each demo role; a leader invites a steward who joins through the emailed link."""

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE, choose_in_picker

pytestmark = pytest.mark.browser


def test_each_demo_role_signs_in_and_sees_their_home(visit):
    leader = visit(LAPTOP, "leader-home")
    leader.sign_in("leader@example.org")
    leader.page.get_by_role("heading", name="Your locals").wait_for()
    leader.shot("leader home")

    steward = visit(PHONE, "steward-home")
    steward.sign_in("steward@example.org")
    steward.page.get_by_role("heading", name="My buildings").wait_for()
    steward.shot("steward home")
    steward.page.get_by_role("link", name=re.compile("Elementary")).first.click()
    steward.page.get_by_role("heading", name="Members").wait_for()
    steward.shot("steward building")

    partner = visit(PHONE, "partner-home")
    partner.sign_in("partner@example.org")
    partner.page.get_by_role("heading", name="My organisation").wait_for()
    assert "Twin Rivers Parents for Public Schools" in partner.page.content()
    partner.shot("partner home")

    anonymous = visit(PHONE, "anonymous-home")
    anonymous.page.goto("/")
    anonymous.page.get_by_role("link", name="Sign in").first.wait_for()
    anonymous.shot("welcome")


def test_leader_invites_a_steward_who_sets_a_password_from_the_email(visit, server):
    leader = visit(LAPTOP, "invite-steward")
    leader.sign_in("leader@example.org")
    leader.page.get_by_role("link", name="Invite someone").first.click()
    leader.page.get_by_label("Email address").fill("new.steward@example.org")
    leader.page.get_by_label("Steward").check()
    choose_in_picker(leader.page, "Search buildings by name", "Oak Grove Elementary")
    leader.shot("invitation form")
    leader.page.get_by_role("button", name="Send invitation").click()
    leader.page.get_by_text("Invitation sent to new.steward@example.org").wait_for()
    leader.shot("invitation sent")

    message = next(m for m in server.mail() if "new.steward@example.org" in m)
    link = re.search(r"http://127\.0\.0\.1:\d+/team/invitations/[^/\s]+/", message).group(0)

    steward = visit(PHONE, "invited-steward")
    steward.page.goto(link)
    steward.page.get_by_label("First name").fill("Nia")
    steward.page.get_by_label("Password:", exact=True).fill("organize-every-building")
    steward.page.get_by_label("Password again").fill("organize-every-building")
    steward.shot("set password")
    steward.page.get_by_role("button", name="Join and sign in").click()
    steward.page.get_by_role("heading", name="My buildings").wait_for()
    assert "Oak Grove Elementary" in steward.page.content()
    steward.shot("joined")

    again = visit(PHONE, "link-used-twice")
    again.page.goto(link)
    again.page.get_by_role("heading", name="This invitation link no longer works").wait_for()
