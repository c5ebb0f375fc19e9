"""A leader and a steward edit the same member at once: the leader's stale save gets the
merge page on a phone-sized screen, is worked by keyboard, and nothing is lost."""

import re

import pytest

from tests.browser.conftest import LAPTOP
from tests.browser.test_campaigns import assert_accessible

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 800}


def test_stale_member_save_is_merged_without_losing_the_stewards_phone(visit):
    steward = visit(LAPTOP, "steward-edits-member")
    steward.sign_in("steward@example.org")
    steward.page.goto("/campaigns/members/")
    steward.page.locator("table a[href^='/campaigns/members/']").first.click()
    steward.page.get_by_role("link", name="Edit", exact=True).click()
    edit_url = steward.page.url

    leader = visit(SMALL_PHONE, "leader-stale-member-form")
    leader.sign_in("leader@example.org")
    leader.page.goto(edit_url)
    leader.page.get_by_label("Notes").fill("Wants to host a house meeting.")

    steward.page.get_by_label("Phone").fill("(916) 555-0134")
    steward.page.get_by_role("button", name="Save", exact=True).click()
    steward.page.wait_for_url(re.compile(r".*/campaigns/members/\d+/$"))

    save = leader.page.get_by_role("button", name="Save", exact=True)
    save.focus()
    leader.page.keyboard.press("Enter")
    leader.page.get_by_text("Someone else saved this while you were editing.").wait_for()
    assert leader.page.get_by_label("Phone").input_value() == "(916) 555-0134"
    assert leader.page.get_by_label("Notes").input_value() == "Wants to host a house meeting."
    assert leader.page.evaluate("document.documentElement.scrollWidth") <= 360
    leader.shot("merge page")
    assert_accessible(leader.page)

    leader.page.get_by_role("button", name="Save", exact=True).focus()
    leader.page.keyboard.press("Enter")
    leader.page.wait_for_url(re.compile(r".*/campaigns/members/\d+/$"))
    body = leader.page.locator("main").inner_text()
    assert "Wants to host a house meeting." in body
    assert re.search(r"916\D*555\D*0134", body)
    leader.shot("both changes saved")
