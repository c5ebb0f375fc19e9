"""The public tracker reads on a phone without clipped columns, and a demand a leader
unpublishes is gone from an anonymous reload of the page and of the PDF at once."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

SLUG = "true-2027"
DEMAND = "Class sizes no larger than 24 in TK-3"


def overflow(page) -> dict:
    """How far the page and the tracker's cells reach past the viewport, in pixels (the
    tracker is one table a status)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const cells = [...document.querySelectorAll('table.tracker th, table.tracker td')];
          const widest = Math.max(0, ...cells.map(c => c.getBoundingClientRect().right));
          const tables = [...document.querySelectorAll('table.tracker')];
          const wraps = tables.map(t => t.closest('.table-wrap'));
          return {
            page: document.documentElement.scrollWidth - width,
            cells: widest - width,
            scroll: Math.max(0, ...wraps.map(w => w.scrollWidth - w.clientWidth)),
          };
        }"""
    )


def pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


@pytest.mark.parametrize("width", [360, 390])
def test_the_tracker_stacks_its_rows_on_a_phone(visit, width):
    phone = visit({"width": width, "height": 844}, f"public-tracker-{width}")
    phone.page.goto(f"/open/{SLUG}/?lang=en")
    tracker = phone.page.locator("table.tracker").first
    tracker.wait_for()
    tracker.scroll_into_view_if_needed()
    phone.shot(f"tracker at {width}")
    reach = overflow(phone.page)
    assert reach["page"] == 0 and reach["scroll"] == 0 and reach["cells"] <= 0, reach
    # Each cell says which column it belongs to once the header row is hidden.
    assert phone.page.locator("table.tracker td[data-label='Status']").count() > 0


def test_the_tracker_is_a_table_on_a_laptop(visit):
    laptop = visit(LAPTOP, "public-tracker-laptop")
    laptop.page.goto(f"/open/{SLUG}/?lang=en")
    laptop.page.locator("table.tracker thead").first.wait_for()
    assert laptop.page.locator("table.tracker thead").first.is_visible()
    laptop.shot("tracker at 1280")
    assert overflow(laptop.page)["page"] == 0


def test_an_unpublished_demand_is_gone_from_the_page_and_the_pdf_on_reload(visit):
    public = visit(PHONE, "unpublish-public")
    public.page.goto(f"/open/{SLUG}/?lang=en")
    public.page.get_by_role("heading", name="Our demands and where they stand").wait_for()
    assert DEMAND in public.page.content()
    report = f"/open/{SLUG}/report.pdf?lang=en"
    assert "no larger than 24" in pdf_text(public.page, report)

    leader = visit(LAPTOP, "unpublish-leader")
    leader.sign_in("leader@example.org")
    leader.page.goto("/demands/")
    leader.page.get_by_role("link", name=DEMAND).click()
    leader.page.once("dialog", lambda dialog: dialog.accept())
    leader.page.get_by_role("button", name="Unpublish").click()
    leader.page.get_by_text("Unpublished: the public page no longer shows this demand.").wait_for()
    leader.shot("unpublished")

    public.page.reload()
    public.page.get_by_role("heading", name="Our demands and where they stand").wait_for()
    public.shot("reloaded after the unpublish")
    assert DEMAND not in public.page.content()
    assert not re.search("no larger than 24", pdf_text(public.page, report))


def test_the_grouped_tracker_and_its_filter_work_on_a_phone(visit):
    phone = visit(PHONE, "public-tracker-grouped")
    phone.page.goto(f"/open/{SLUG}/?lang=en")
    groups = phone.page.locator("section.tracker-group")
    groups.first.wait_for()
    assert groups.count() > 1
    # Each status is captioned with its count, and no group shows more than its first few.
    caption = groups.first.locator("caption").inner_text()
    assert re.search(r"· \d+ demands?$", caption), caption
    for n in range(groups.count()):
        assert groups.nth(n).locator("tbody tr").count() <= 5
    title = groups.first.locator(".demand-title").first.inner_text()
    word = max(title.split(), key=len).lower()
    phone.page.get_by_label("Words in the demand").fill(word)
    phone.page.get_by_role("button", name="Find").click()
    phone.page.get_by_role("heading", name="Our demands and where they stand").wait_for()
    assert "/demands/?" in phone.page.url and f"q={word}" in phone.page.url
    phone.shot("tracker filtered at 390")
    rows = phone.page.locator("table.tracker tbody tr")
    assert rows.count() > 0
    for n in range(rows.count()):
        assert word in rows.nth(n).locator("th").inner_text().lower()
    reach = overflow(phone.page)
    assert reach["page"] == 0 and reach["scroll"] == 0 and reach["cells"] <= 0, reach
