"""The partner portal on a phone: invitations first, the shared demands grouped by status
with counts and a filter that works by keyboard, nothing wider than the screen."""

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def test_the_portal_groups_the_shared_demands_on_a_phone(visit):
    phone = visit(PHONE, "partner-portal-390")
    phone.sign_in("partner@example.org")
    phone.page.goto("/partners/portal/")
    page = phone.page
    page.get_by_role("heading", name="Demands with your organisation").wait_for()
    headings = page.locator("h2").all_inner_texts()
    assert headings.index("Actions you’re invited to") < headings.index(
        "Demands with your organisation"
    )
    groups = page.locator("section[aria-labelledby='portal-demands'] h3")
    assert groups.count() > 0
    assert "demand" in groups.first.inner_text()
    phone.shot("portal at 390")
    width = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert width == 0
    status = page.get_by_label("Status", exact=True)
    first_status = status.locator("option").nth(1).get_attribute("value")
    status.select_option(first_status)
    page.get_by_label("Words in the title").press("Enter")
    page.wait_for_url(f"**status={first_status}**")
    phone.shot("portal filtered at 390")
    text = page.locator("section[aria-labelledby='portal-demands']").inner_text()
    assert "match" in text or "No demand matches." in text
