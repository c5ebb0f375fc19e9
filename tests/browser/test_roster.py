"""A leader imports a district roster in the browser: uploads it, maps an unknown work site,
skips a row with a bad email, types the number to confirm a large departure, then undoes it."""

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_campaigns import assert_accessible

pytestmark = pytest.mark.browser

ROSTER = (
    "\ufeffEmployee ID,First Name,Last Name,Email,Site,Cell\r\n"
    "TR00001,Ana,Núñez-Ortiz,ana.nunez@twinriversusd.example,{site},(916) 555-0199\r\n"
    "\r\n"
    "NH00001,Zoë,O’Brien,zoe.obrien@twinriversusd.example,Lincoln Annex,\r\n"
    "NH00002,Bad,Email,not-an-email,{site},\r\n"
    "NH00003,Ren,Sato,ren.sato@twinriversusd.example,{site},\r\n"
)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_leader_imports_a_roster_maps_a_site_skips_a_row_confirms_and_undoes(visit, viewport):
    leader = visit(viewport, f"leader-roster-import-{viewport['width']}")
    page = leader.page
    leader.sign_in("leader@example.org")
    page.goto("/campaigns/buildings/")
    site = page.locator("main table tbody tr th a, main table tbody tr td a").first.inner_text()
    page.goto("/campaigns/members/")
    page.get_by_role("link", name="Import a roster").first.click()
    page.get_by_label("Roster file").set_input_files(
        {
            "name": "november.csv",
            "mimeType": "text/csv",
            "buffer": ROSTER.format(site=site).encode(),
        }
    )
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Match the columns").wait_for()
    checkbox = page.get_by_label("Mark members missing from this roster as having left")
    assert not checkbox.is_checked()
    checkbox.check()
    leader.shot("match the columns")
    assert_accessible(page)
    page.get_by_role("button", name="Preview the import").click()
    page.get_by_role("heading", name="Preview the import").wait_for()
    text = page.locator("main").inner_text()
    assert "Unknown building “Lincoln Annex”" in text
    assert "not-an-email" in text
    # Line 5 as a spreadsheet shows it: the header is 1 and the blank line 3 counts.
    page.get_by_label("Lincoln Annex").select_option(label=f"It is {site}")
    page.get_by_label("Skip line 5").check()
    page.get_by_role("button", name="Update the preview").click()
    page.get_by_role("heading", name="Skipped rows").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    warning = page.get_by_role("alert").filter(has_text="would mark").inner_text()
    leaving = int(re.search(r"would mark (\d+) of", warning).group(1))
    assert leaving > 1000
    assert "Zoë O’Brien" in page.locator("main").inner_text()
    leader.shot("preview with a site mapped and a row skipped")
    assert_accessible(page)
    page.get_by_role("button", name="Import the roster").click()
    page.get_by_role("heading", name="Preview the import").wait_for()
    assert f"Type {leaving} to confirm" in page.locator("main").inner_text()
    page.get_by_label("Type the number of members to mark as left").fill(str(leaving))
    page.get_by_role("button", name="Import the roster").click()
    page.get_by_role("heading", name=re.compile("Roster import: november.csv")).wait_for()
    text = page.locator("main").inner_text()
    assert "Roster imported: 2 added, 1 updated" in text
    assert f"{leaving} marked as having left" in text
    leader.shot("imported")

    page.get_by_role("link", name="Undo this import").click()
    page.get_by_role("heading", name="Undo the import?").wait_for()
    page.get_by_role("button", name="Undo the import").click()
    page.get_by_role("heading", name=re.compile("Undone on")).wait_for()
    text = page.locator("main").inner_text()
    assert f"Import undone. Back on the roster: {leaving}. Details put back: 1." in text
    assert "Added members removed: 2." in text
    leader.shot("undone")
    page.goto("/campaigns/members/?q=O%E2%80%99Brien")
    assert "Zoë" not in page.locator("main").inner_text()
