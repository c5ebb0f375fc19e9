"""A leader records a session and a counterproposal, previews and publishes them; an anonymous
visitor reads them on the public page in English and Spanish and downloads the PDF report."""

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

SUMMARY = "Parents from Rio Linda filled the room; the district moved on counselors."
SUMMARY_ES = "Familias de Rio Linda llenaron la sala; el distrito cedió en consejeros."
COUNTER = "The district shall add 14 counselors over two years, first in Title I schools."
COUNTER_ES = "El distrito añadirá 14 consejeros en dos años, primero en escuelas Título I."
NOTE = "Internal: their chief negotiator hinted at more money for nurses."


def serious_accessibility_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    # The shared messages list (base.html) is checked by the foundation's own tests.
    results = Axe().run(page, context={"exclude": [[".messages"]]})
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_leader_publishes_a_counterproposal_that_the_public_reads_and_downloads(visit):
    day = date.today() - timedelta(days=4)
    leader = visit(LAPTOP, "bargaining-leader")
    leader.sign_in("leader@example.org")
    page = leader.page
    page.get_by_role("link", name="Bargaining", exact=True).click()
    page.get_by_role("heading", name="Schools Our Students Deserve").wait_for()
    leader.shot("bargaining overview")

    page.get_by_role("link", name="Record a session").click()
    page.get_by_label("Starts:").fill(f"{day:%Y-%m-%d}T16:30")
    page.get_by_label("Ends:").fill(f"{day:%Y-%m-%d}T19:00")
    page.get_by_label("Place:").fill("Rio Linda High School library")
    page.get_by_label("Open to members and community").check()
    page.get_by_label("Status:").select_option(label="Held")
    page.get_by_label("Member observers:").fill("180")
    page.get_by_label("Community observers:").fill("42")
    page.get_by_label("Internal notes:").fill(NOTE)
    page.get_by_label("Public summary:", exact=True).fill(SUMMARY)
    page.get_by_label("Public summary in Spanish:").fill(SUMMARY_ES)
    leader.shot("session form")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Session saved.").wait_for()
    leader.shot("session saved")

    page.get_by_role("link", name="Preview and publish").click()
    page.get_by_role("heading", name="What the public will see").wait_for()
    assert SUMMARY_ES in page.content()
    assert NOTE not in page.content()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published. The public page shows it now.").wait_for()

    page.goto("/bargaining/true-2027/")
    page.get_by_role("link", name=re.compile("Student support staff")).click()
    page.get_by_role("heading", name="Record a counterproposal").wait_for()
    page.get_by_label("Employer").check()
    page.get_by_label("Date passed across the table:").fill(f"{day:%Y-%m-%d}")
    page.get_by_label("Passed at session:").select_option(label=f"Session of {day.day} {day:%b %Y}")
    page.get_by_label("Text:", exact=True).fill(COUNTER)
    page.get_by_label("Text in Spanish:").fill(COUNTER_ES)
    leader.shot("counterproposal form")
    page.get_by_role("button", name="Save counterproposal").click()
    page.get_by_role("heading", name="What the public will see").wait_for()
    assert "Nothing of this is public yet." in page.content()
    assert COUNTER in page.content() and COUNTER_ES in page.content()
    leader.shot("counterproposal preview")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Published. The public page shows it now.").wait_for()
    leader.shot("counterproposal published")

    page.goto("/bargaining/true-2027/")
    page.get_by_role("link", name=re.compile("Student support staff")).click()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.locator("ins").first.wait_for()
    leader.shot("compare versions")

    visitor = visit(PHONE, "bargaining-public")
    public = visitor.page
    public.goto("/open/")
    public.get_by_role("link", name="Schools Our Students Deserve").click()
    public.get_by_role("heading", name="Our demands and where they stand").wait_for()
    body = public.content()
    assert SUMMARY in body and COUNTER in body
    assert NOTE not in body
    assert "Rio Linda High School library" in body
    visitor.shot("public page english")
    assert serious_accessibility_problems(public) == []

    public.get_by_role("link", name="Español").click()
    public.get_by_role("heading", name="Nuestras demandas y dónde están").wait_for()
    body = public.content()
    assert SUMMARY_ES in body and COUNTER_ES in body
    assert "Descargar el informe (PDF)" in body
    visitor.shot("public page spanish")

    wide = visit(LAPTOP, "bargaining-public-wide")
    wide.page.goto("/open/true-2027/?lang=en")
    wide.page.get_by_role("heading", name="Bargaining, session by session").wait_for()
    wide.shot("public page laptop")
    assert serious_accessibility_problems(wide.page) == []

    href = public.get_by_role("link", name="Descargar el informe (PDF)").get_attribute("href")
    response = public.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "negociación abierta" in text.lower()
    assert "14 consejeros" in text
    assert "chief negotiator" not in text
    english = public.request.get(href.replace("lang=es", "lang=en"))
    english_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(english.body())).pages)
    assert "14 counselors" in english_text
