"""Each kind of internal text, marked, never reaches the page, the feed, the calendar or the
PDF: session notes, agenda and attendees, unpublished sessions, proposals and versions,
unpublished agreements and events, unpublished demands and member names."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bargaining.models import PublishedReport
from bargaining.report import store_public_reports
from campaigns.models import Campaign
from tests import factories as f

from . import factories as bf

pytestmark = pytest.mark.django_db

MARKERS = {
    "notes": "MARKERNOTES",
    "agenda": "MARKERAGENDA",
    "union_attendees": "MARKERUNIONTEAM",
    "employer_attendees": "MARKEREMPLOYERTEAM",
    "unpublished_session": "MARKERHIDDENSESSION",
    "unpublished_version": "MARKERHIDDENVERSION",
    "unpublished_version_es": "MARKERHIDDENVERSIONES",
    "unpublished_agreement": "MARKERHIDDENTA",
    "unpublished_event": "MARKERHIDDENEVENT",
    "unpublished_demand": "MARKERHIDDENDEMAND",
    "member_name": "MARKERMEMBERNAME",
    "member_email": "markermember@example.org",
}


@pytest.fixture
def marked(cast):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    demand = bf.make_demand(campaign, title="Published demand")
    hidden_demand = bf.make_demand(campaign, published=False, title=MARKERS["unpublished_demand"])
    session = bf.make_session(
        campaign,
        notes=MARKERS["notes"],
        agenda=MARKERS["agenda"],
        union_attendees=MARKERS["union_attendees"],
        employer_attendees=MARKERS["employer_attendees"],
    )
    bf.make_session(
        campaign,
        published=False,
        offset_days=3,
        public_summary=MARKERS["unpublished_session"],
        place=MARKERS["unpublished_session"],
    )
    proposal = bf.make_proposal(campaign, demands=[demand, hidden_demand])
    bf.make_version(proposal, session=session, text="Published version text")
    bf.make_version(
        proposal,
        session=session,
        published=False,
        text=MARKERS["unpublished_version"],
        text_es=MARKERS["unpublished_version_es"],
    )
    hidden_thread = bf.make_proposal(campaign, topic=MARKERS["unpublished_version"], article=None)
    bf.make_version(hidden_thread, published=False, text=MARKERS["unpublished_version"])
    bf.make_agreement(campaign, published=False, title=MARKERS["unpublished_agreement"])
    bf.make_event(campaign, published=False, title=MARKERS["unpublished_event"])
    f.make_member(
        cast.building_a,
        first_name=MARKERS["member_name"],
        last_name="Member",
        work_email=MARKERS["member_email"],
        notes=MARKERS["member_name"],
    )
    return campaign


def outputs(client, campaign) -> dict[str, str]:
    texts = {}
    for lang in ("en", "es"):
        for name in ("open:campaign", "open:feed", "open:calendar"):
            url = reverse(name, args=[campaign.slug]) + f"?lang={lang}"
            response = client.get(url)
            assert response.status_code == 200, url
            texts[f"{name} {lang}"] = response.content.decode()
    texts["index"] = client.get(reverse("open:index")).content.decode()
    store_public_reports(
        Campaign.objects.select_related("public_page", "local").get(pk=campaign.pk)
    )
    for report in PublishedReport.objects.filter(campaign=campaign):
        response = client.get(
            reverse("open:report", args=[campaign.slug]) + f"?lang={report.language}"
        )
        pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        texts[f"pdf {report.language}"] = "\n".join(page.extract_text() for page in pdf.pages)
    return texts


def test_no_internal_text_reaches_any_public_output(marked, client):
    texts = outputs(client, marked)
    assert len(texts) == 9
    # The outputs do carry the published text, so the search below is a real search.
    for name, text in texts.items():
        if name != "index" and "calendar" not in name:
            assert "Published version text" in text or "Public" in text, name
    for name, text in texts.items():
        for field, marker in MARKERS.items():
            assert marker.lower() not in text.lower(), f"{field} leaked into {name}"


def test_the_pdf_shows_published_text(marked, client):
    texts = outputs(client, marked)
    assert "Published version text" in texts["pdf en"]
    assert "Published demand" in texts["pdf en"]
