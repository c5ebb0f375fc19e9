"""What the public can reach, crawled anonymously, carries nothing internal from any area; and
text that people type is rendered inert wherever it is shown.

tests/bargaining/test_nothing_internal_leaks.py checks each kind of bargaining text; this file
adds the other areas (members, internal actions and who RSVP'd, demand drafts and their
assessments, partner findings) and crawls every public address linked from the public pages.
"""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actions.models import Rsvp
from bargaining.models import PublishedReport
from bargaining.report import store_public_reports
from campaigns.models import Campaign
from demands.models import Demand

from . import factories as f
from .actions import factories as af
from .bargaining import factories as bf

MARKER = "zqxmarker"


@pytest.fixture
def marked(cast):
    campaign = cast.campaign
    bf.make_public_page(campaign)
    published = bf.make_demand(campaign, title="Counselors in every school")
    Demand.objects.filter(pk=published.pk).update(
        problem=f"{MARKER}-problem", reia_history=f"{MARKER}-history"
    )
    bf.make_demand(campaign, published=False, title=f"{MARKER}-draft-demand")
    f.make_member(
        cast.building_a,
        first_name=f"{MARKER}first",
        last_name=f"{MARKER}last",
        phone="+1 916 555 0199",
        notes=f"{MARKER}-notes",
    )
    public_action = af.make_action(campaign, is_public=True, title="Rally before school")
    Rsvp.objects.create(
        action=public_action,
        source=Rsvp.Source.PUBLIC,
        name=f"{MARKER}-rsvp-name",
        email=f"{MARKER}@example.org",
        phone="+1 916 555 0142",
    )
    af.make_action(campaign, is_public=False, title=f"{MARKER}-internal-action")
    session = bf.make_session(campaign, notes=f"{MARKER}-session-notes")
    proposal = bf.make_proposal(campaign, demands=[published])
    bf.make_version(proposal, session=session, text="Class size caps of 24")
    # The article tracker, on, beside unpublished positions, and implementation plans of
    # which only the published ones of published wins may show.
    bf.make_public_page(campaign, tracker_on=True)
    bf.make_version(proposal, side="employer", text=f"{MARKER}-counter", published=False)
    hidden = bf.make_proposal(campaign, article=bf.make_article(campaign, title=f"{MARKER}-art"))
    bf.make_version(hidden, text=f"{MARKER}-opening", published=False)
    won = bf.make_demand(campaign, title="Nurses in every school", status=Demand.Status.WON)
    bf.make_commitment(campaign, demand=won, title="Hire the nurses")
    bf.make_commitment(campaign, demand=won, title=f"{MARKER}-draft-commitment", published=False)
    bf.make_commitment(
        campaign,
        demand=bf.make_demand(campaign, published=False, status=Demand.Status.WON),
        title=f"{MARKER}-commitment-of-a-draft",
    )
    return campaign


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every same-site address reachable from the public pages, anonymously, in both languages."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < 80:
        url = queue.pop(0)
        if url in seen or url.startswith(("/static/", "/media/", "/accounts/", "/i18n/")):
            continue
        response = client.get(url)
        if response.status_code != 200:
            seen[url] = ""
            continue
        if response.get("Content-Type", "").startswith("application/pdf"):
            pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
            seen[url] = "\n".join(page.extract_text() for page in pdf.pages)
            continue
        text = response.content.decode()
        seen[url] = text
        for href in re.findall(r'href="(/[^"#]*)"', text):
            queue.append(href.replace("&amp;", "&"))
    return seen


def test_nothing_internal_reaches_the_public_crawl(marked, client):
    store_public_reports(Campaign.objects.select_related("public_page", "local").get(pk=marked.pk))
    assert PublishedReport.objects.filter(campaign=marked).exists()
    start = [reverse("open:index"), reverse("open:campaign", args=[marked.slug])]
    start += [u + "?lang=es" for u in start]
    pages = crawl(client, start)
    reached = [url for url, text in pages.items() if text]
    assert any(url.endswith("report.pdf") or "report.pdf?" in url for url in reached), reached
    assert any("calendar.ics" in url for url in reached), reached
    assert any("feed.xml" in url for url in reached), reached
    assert "Counselors in every school" in pages[start[1]]
    assert "Rally before school" in pages[start[1]]
    assert "Hire the nurses" in pages[start[1]]
    articles = [url for url in reached if "/articles/" in url]
    assert articles and "Class size caps of 24" in pages[articles[0]], reached
    for url, text in pages.items():
        lowered = text.lower()
        assert MARKER not in lowered, f"internal text on {url}"
        assert "555 0199" not in text and "555 0142" not in text, f"a phone number on {url}"


def test_the_public_rsvp_form_reveals_nobody_else(marked, client):
    action = marked.actions.get(is_public=True)
    page = client.get(reverse("actions:rsvp", args=[action.pk])).content.decode()
    assert MARKER not in page.lower()


HOSTILE = (
    '<script>alert("x")</script><a href="javascript:alert(1)">link</a>'
    '<button hx-post="/team/x/invite/" hx-trigger="load">go</button>'
    '<img src=x onerror="alert(1)">'
)


def test_typed_text_is_rendered_inert(cast):
    from demands.models import DemandComment

    demand = bf.make_demand(cast.campaign, published=True, title="Safe title")
    demand.coauthors.add(cast.organisation_x)
    Demand.objects.filter(pk=demand.pk).update(
        problem=HOSTILE, solution=HOSTILE, reia_problems=HOSTILE
    )
    DemandComment.objects.create(demand=demand, author=cast.partner_x, body=HOSTILE)
    member = f.make_member(cast.building_a, notes=HOSTILE, first_name="Ana")
    pages = [
        cast.client_for("leader").get(reverse("demands:detail", args=[demand.pk])),
        cast.client_for("partner_x").get(reverse("demands:detail", args=[demand.pk])),
        cast.client_for("leader").get(reverse("campaigns:member", args=[member.pk])),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert "&lt;script&gt;" in html
        assert '<script>alert("x")' not in html
        assert 'href="javascript:' not in html
        assert "<button hx-post=" not in html
        assert "onerror=" not in html or "onerror=&quot;" in html
