"""Journeys on the large local (``seed_scale``: 1,000 schools, 2,000 stewards, 36,000 members):
a leader invites a steward to one school by typing its name, by keyboard only and again with
JavaScript off, and finds in the audit trail who changed a member last month."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE, Visit
from tests.services import manage

pytestmark = pytest.mark.browser

LEADER = "leader@scale.example"
PASSWORD = "commongood"

# A steward edits a member through the app's own method, inside the context the request
# middleware would give it; then the change is moved to 40 days ago, "last month".
CHANGE_LAST_MONTH = """
import pghistory
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from audit.models import MemberEvent
from campaigns.models import Member
steward = User.objects.get(email="steward7@scale.example")
member = Member.objects.get(employee_id="S{number:06d}")
with pghistory.context(user=steward.pk, url=f"/campaigns/members/{{member.pk}}/edit/"):
    member.edit(expected_version=member.version, by=steward, last_name="Renamed-Last")
MemberEvent.objects.filter(pgh_obj_id=member.pk, pgh_label="update").update(
    pgh_created_at=timezone.now() - timedelta(days=40)
)
print(member.pk)
"""


@pytest.fixture
def scale_server(large_local):
    return large_local


def open_visit(browser, server, name: str, viewport=LAPTOP) -> Visit:
    visit = Visit(browser, server, name, viewport)
    visit.sign_in(LEADER, PASSWORD)
    return visit


def test_a_leader_invites_a_steward_to_one_school_by_keyboard(browser, scale_server):
    leader = open_visit(browser, scale_server, "invite-steward-keyboard")
    page = leader.page
    try:
        page.goto("/team/scale/")
        page.get_by_role("link", name="Invite someone").focus()
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Invite someone").wait_for()
        assert page.locator("main input[type=checkbox][name=buildings]").count() < 20
        page.get_by_label("Email address").focus()
        page.keyboard.type("new.steward@scale.example")
        page.get_by_label("Steward").focus()
        page.keyboard.press("Space")
        search = page.get_by_role("combobox", name="Search buildings by name")
        search.focus()
        page.keyboard.type("School 0420")
        option = page.get_by_role("option", name=re.compile(r"^School 0420"))
        option.wait_for()
        page.keyboard.press("ArrowDown")
        assert search.get_attribute("aria-activedescendant") == option.get_attribute("id")
        page.keyboard.press("Enter")
        chip = page.locator(".picker-chosen .chip", has_text="School 0420")
        chip.wait_for()
        # Backspace in the empty box takes the chip off again; Escape closes a list.
        page.keyboard.press("Backspace")
        assert chip.count() == 0
        page.keyboard.type("0420")
        option.wait_for()
        page.keyboard.press("Escape")
        assert search.get_attribute("aria-expanded") == "false"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        chip.wait_for()
        leader.shot("one school chosen")
        page.get_by_role("button", name="Send invitation").focus()
        page.keyboard.press("Enter")
        page.get_by_text("Invitation sent to new.steward@scale.example.").wait_for()
        pending = page.locator("main section", has_text="Pending invitations").inner_text()
        assert "new.steward@scale.example" in pending
        assert "School 0420" in pending
        assert "School 0421" not in pending
    finally:
        leader.close()


def test_without_javascript_the_picker_is_a_search_and_checkboxes(browser, scale_server):
    context = browser.new_context(
        java_script_enabled=False, viewport=PHONE, base_url=scale_server.url
    )
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(LEADER)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/team/scale/invite/")
        page.get_by_label("Email address").fill("offline.steward@scale.example")
        page.get_by_label("Steward").check()
        page.get_by_label("Search buildings by name").fill("School 0777")
        page.get_by_role("button", name="Find buildings").click()
        page.get_by_label("School 0777").check()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="Send invitation").click()
        page.get_by_text("Invitation sent to offline.steward@scale.example.").wait_for()
        assert "School 0777" in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_leader_finds_who_changed_a_member_last_month(browser, scale_server):
    result = manage("shell", "-c", CHANGE_LAST_MONTH.format(number=1234), env=scale_server.env)
    member_pk = int(result.stdout.strip().splitlines()[-1])
    leader = open_visit(browser, scale_server, "audit-last-month")
    page = leader.page
    try:
        page.goto("/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
        page.get_by_role("heading", name="Audit trail").wait_for()
        # Last month, as the leader's calendar shows it: 30 to 60 days back covers it.
        dates = page.evaluate(
            "() => { const day = n => new Date(Date.now() - n * 864e5).toISOString().slice(0, 10);"
            " return [day(60), day(30)]; }"
        )
        page.get_by_label("Record").select_option(label="Member")
        page.get_by_label(re.compile(r"^Change:?$")).select_option(label="changed")
        page.get_by_label("From").fill(dates[0])
        page.get_by_label("To").fill(dates[1])
        page.get_by_role("button", name="Filter").click()
        row = page.locator("main tbody tr", has_text="Member First1234 Renamed-Last")
        row.wait_for()
        assert "Steward7" in row.inner_text()
        assert "Last1234" in row.inner_text()  # the old name, struck through
        leader.shot("who changed the member")
        row.get_by_role("link").first.click()
        page.wait_for_url(re.compile(rf".*/campaigns/members/{member_pk}/$"))
    finally:
        leader.close()
