"""The public article tracker on a phone: the counters, and both sides' positions stacked one
above the other; and a commitment of the demo's implementation plan that goes overdue shows
as such on the public page and in the PDF report."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

SLUG = "true-2027"
COMMITMENT = "Report to the joint committee on requests from immigration enforcement"


def test_the_tracker_shows_the_counters_and_both_sides_at_390_px(visit):
    phone = visit(PHONE, "article-tracker-390")
    page = phone.page
    page.goto(f"/open/{SLUG}/?lang=en")
    page.get_by_role("link", name="Both sides' positions, article by article").click()
    page.wait_for_url(re.compile(r".*/articles/.*"))
    counters = page.get_by_role("list", name="Where the table stands")
    assert "1 article tentatively agreed" in " ".join(counters.inner_text().split())
    assert "1 date the employer declined to meet" in " ".join(counters.inner_text().split())
    assert "union proposals the employer has not answered" in counters.inner_text()
    article = page.locator(".tracked-article", has_text="Class size").first
    union = article.get_by_role("region", name="The union’s position")
    employer = article.get_by_role("region", name="The employer’s position")
    assert "Last moved" in union.inner_text() and "Last moved" in employer.inner_text()
    # Stacked on a phone: the employer's position starts below the union's, nothing sideways.
    union_box, employer_box = union.bounding_box(), employer.bounding_box()
    assert employer_box["y"] >= union_box["y"] + union_box["height"] - 1
    assert abs(employer_box["x"] - union_box["x"]) < 2
    width = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert width <= 0
    assert article.locator("del, ins").count() > 0  # the word diff between them
    phone.shot("article tracker at 390", always=True)
    page.set_viewport_size(LAPTOP)
    union_box, employer_box = union.bounding_box(), employer.bounding_box()
    assert abs(employer_box["y"] - union_box["y"]) < 2  # side by side on a laptop
    phone.shot("article tracker at 1280", always=True)


def pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    return " ".join(text.split())


def test_a_commitment_that_goes_overdue_shows_on_the_public_page_and_in_the_pdf(visit):
    leader = visit(LAPTOP, "commitment-overdue-leader")
    leader.sign_in("leader@example.org")
    leader.page.goto(f"/bargaining/{SLUG}/commitments/")
    leader.page.get_by_role("link", name=COMMITMENT, exact=True).click()
    due = leader.page.get_by_label("Due on")
    original = due.input_value()
    public = visit(PHONE, "commitment-overdue-public")
    public.page.goto(f"/open/{SLUG}/?lang=en")
    item = public.page.locator(".commitment", has_text=COMMITMENT)
    assert "commitment-overdue" not in item.get_attribute("class")
    assert f"OVERDUE: {COMMITMENT}" not in pdf_text(public.page, f"/open/{SLUG}/report.pdf")
    try:
        due.fill("2020-01-15")
        leader.page.get_by_role("button", name="Save").click()
        leader.page.get_by_text("Commitment saved.").wait_for()
        public.page.reload()
        item = public.page.locator(".commitment", has_text=COMMITMENT)
        assert "commitment-overdue" in item.get_attribute("class")
        assert "Overdue" in item.inner_text()
        item.scroll_into_view_if_needed()
        public.shot("overdue on the public page", always=True)
        text = pdf_text(public.page, f"/open/{SLUG}/report.pdf?lang=en")
        assert "What we won and whether it is happening" in text
        assert f"OVERDUE: {COMMITMENT}" in text
    finally:
        leader.page.goto(f"/bargaining/{SLUG}/commitments/")
        leader.page.get_by_role("link", name=COMMITMENT, exact=True).click()
        leader.page.get_by_label("Due on").fill(original)
        leader.page.get_by_role("button", name="Save").click()
        leader.page.get_by_text("Commitment saved.").wait_for()


def test_a_stale_tracker_switch_on_a_phone_gets_the_merge_page(visit):
    """Two leaders have the articles page open; the one on a phone switches an article that
    the other has switched off and on again since: the merge page, by keyboard, in place of
    an undo nobody saw coming."""
    laptop, phone = visit(LAPTOP, "tracker-switch-laptop"), visit(PHONE, "tracker-switch-390")
    for leader in (laptop, phone):
        leader.sign_in("leader@example.org")
        leader.page.goto(f"/bargaining/{SLUG}/articles/")

    def switch(page):
        return page.locator("li", has_text="Article 14 ·").get_by_role("button")

    switch(laptop.page).click()
    assert "Put on the tracker" in switch(laptop.page).inner_text()
    switch(laptop.page).click()
    assert "Take off the tracker" in switch(laptop.page).inner_text()
    page = phone.page
    switch(page).focus()
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    assert "Someone else saved this while you were editing." in alert.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    phone.shot("stale switch merge page at 390", always=True)
    page.set_viewport_size(LAPTOP)
    phone.shot("stale switch merge page at 1280", always=True)
    box = page.get_by_label("On the public article tracker")
    assert not box.is_checked()  # what this leader meant: off
    box.focus()
    page.keyboard.press("Space")  # keep it on after all
    page.get_by_role("button", name="Save").press("Enter")
    page.wait_for_url(re.compile(r".*/articles/$"))
    assert "Take off the tracker" in switch(page).inner_text()
