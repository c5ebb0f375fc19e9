"""What the public can reach, crawled anonymously, carries nothing internal from any area; and
text that people type is rendered inert wherever it is shown.

tests/bargaining/test_nothing_internal_leaks.py checks each kind of bargaining text; this file
adds the other areas (members, internal actions and who RSVP'd, demand drafts and their
assessments, partner findings) and crawls every public address linked from the public pages.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from whitenoise.compress import Compressor

from actions.models import Rsvp
from bargaining.models import PublishedReport
from bargaining.report import render_public_report, store_public_reports
from campaigns.models import Campaign
from demands.models import Demand

from . import factories as f
from .actions import factories as af
from .bargaining import factories as bf
from .services import ROOT

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
    _mark_petition(cast)
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


def _mark_petition(cast):
    """A public petition with supporters who signed on line (confirmed) and on paper."""
    from .reach.factories import make_petition

    petition = make_petition(cast.campaign)
    type(petition).objects.filter(pk=petition.pk).update(title="Counselors petition")
    signature = petition.sign_online(
        name=f"{MARKER}-signer",
        email=f"{MARKER}-signer@example.org",
        phone="+1 916 555 0177",
        postcode="95815",
        brought_by=cast.organisation_x,
        campaign_updates_wording="Yes",
    )
    signature.confirm()
    petition.add_paper_signatures(
        [{"name": f"{MARKER}-paper", "email": f"{MARKER}-paper@example.org",
          "phone": "+1 916 555 0188", "postcode": "95820"}],
        by=cast.steward_a,
    )  # fmt: skip
    petition.record_delivery(
        by=cast.leader, delivered_on=petition.created_at.date(), delivered_to="The board"
    )


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
        if response.get("Content-Type", "").startswith("image/"):
            seen[url] = ""  # the site's icons: pictures, no text
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
    # The petition and its delivery are public; who signed it is not.
    assert any(
        "/petitions/" in url and "Counselors petition" in text for url, text in pages.items()
    )
    assert any("Delivered on" in text and "/petitions/" in url for url, text in pages.items())
    assert "Hire the nurses" in pages[start[1]]
    articles = [url for url in reached if "/articles/" in url]
    assert articles and "Class size caps of 24" in pages[articles[0]], reached
    for url, text in pages.items():
        lowered = text.lower()
        assert MARKER not in lowered, f"internal text on {url}"
        assert "555 0199" not in text and "555 0142" not in text, f"a phone number on {url}"
        for phone in ("555 0177", "555-0177", "5550177", "555 0188", "555-0188", "5550188"):
            assert phone not in text, f"a supporter's phone on {url}"


def test_the_public_rsvp_form_reveals_nobody_else(marked, client):
    action = marked.actions.get(is_public=True, title="Rally before school")
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


# What independent checkers read: the PDF's structure, the Atom feed, the page head, the sitemap,
# robots.txt and security.txt.


@pytest.fixture
def published(cast):
    campaign = cast.campaign
    bf.make_public_page(campaign, story="We bargain in the open, with parents and neighbours.")
    demand = bf.make_demand(campaign, title="Counselors in every school")
    session = bf.make_session(campaign, public_summary="Both sides met in the open.")
    bf.make_version(bf.make_proposal(campaign, demands=[demand]), session=session)
    bf.make_agreement(campaign)
    bf.make_event(campaign)
    return Campaign.objects.select_related("local", "public_page").get(pk=campaign.pk)


def _pdf(campaign, language: str, tmp_path) -> Path:
    pdf, _pages = render_public_report(campaign, language)
    path = tmp_path / f"report-{language}.pdf"
    path.write_bytes(pdf)
    return path


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_report_is_a_tagged_pdf_ua_document_in_its_language(published, tmp_path, language):
    path = _pdf(published, language, tmp_path)
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/StructTreeRoot"]["/Type"] == "/StructTreeRoot"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    title = {"en": "Open bargaining report", "es": "Informe de negociación abierta"}[language]
    assert reader.metadata.title == f"{published.name} · {title}"
    # The XMP metadata says PDF/UA-1 (ISO 14289), which checkers such as veraPDF read.
    xmp = reader.xmp_metadata
    assert xmp is not None
    part = "{http://www.aiim.org/pdfua/ns/id/}part"
    rdf = ElementTree.fromstring(xmp.stream.get_data())
    assert [d.get(part) for d in rdf.iter() if d.get(part)] == ["1"]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"needs {name} (poppler-utils; CI installs it)")
    return found


def test_the_report_embeds_its_fonts_and_its_headings_are_words(published, tmp_path):
    path = _pdf(published, "en", tmp_path)
    fonts = subprocess.run(
        [_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts, "the report has no fonts"
    for line in fonts:
        # name, type…, then the "emb" column: the third field from the end of "emb sub uni ..."
        assert re.search(r"\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line
    text = subprocess.run(
        [_tool("pdftotext"), "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Open bargaining report" in text
    assert published.name in text


def test_the_cover_fills_its_page_with_no_white_strip(published, tmp_path):
    from PIL import Image

    path = _pdf(published, "en", tmp_path)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "20", "-png", "-f", "1", "-l", "1", str(path), tmp_path / "p"],
        check=True,
    )
    cover = Image.open(next(tmp_path.glob("p-*1.png"))).convert("RGB")
    width, height = cover.size
    edges = [(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
    edges += [(0, y) for y in range(height)] + [(width - 1, y) for y in range(height)]
    white = [xy for xy in edges if min(cover.getpixel(xy)) > 230]
    assert white == [], f"{len(white)} white pixels on the cover's edge"


def _feed(client, campaign, language: str):
    response = client.get(reverse("open:feed", args=[campaign.slug]) + f"?lang={language}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content


ATOM = "{http://www.w3.org/2005/Atom}"
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:\S+$")


def test_the_feed_is_valid_atom_with_dated_tag_ids_per_language(published, client, settings):
    settings.SITE_URL = "https://bargaining.example.org"
    # Something published ahead of now (a clock skew, an import) waits for its time.
    bf.make_event(published, title="Not yet", published_at=timezone.now() + timedelta(days=1))
    ids = {}
    for language in ("en", "es"):
        body = _feed(client, published, language)
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert parsed.feed.author == published.local.name
        root = ElementTree.fromstring(body)
        assert root.tag == f"{ATOM}feed"
        # RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author.
        for name in ("id", "title", "updated"):
            assert len(root.findall(f"{ATOM}{name}")) == 1, name
        assert root.find(f"{ATOM}author/{ATOM}name").text == published.local.name
        feed_id = root.find(f"{ATOM}id").text
        assert TAG_URI.match(feed_id), feed_id
        assert feed_id.startswith("tag:bargaining.example.org,")
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 4
        now = timezone.now()
        for entry in entries:
            for name in ("id", "title", "updated"):
                assert len(entry.findall(f"{ATOM}{name}")) == 1, name
            assert TAG_URI.match(entry.find(f"{ATOM}id").text)
            updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
            assert updated <= now
            assert entry.find(f"{ATOM}link").get("href").startswith("http")
        assert "Not yet" not in body.decode()
        ids[language] = {feed_id} | {e.find(f"{ATOM}id").text for e in entries}
        assert len(ids[language]) == 5
    assert not ids["en"] & ids["es"], "an id is shared by the two languages' feeds"


def test_feed_ids_stay_the_same_from_one_reading_to_the_next(published, client):
    first, second = _feed(client, published, "en"), _feed(client, published, "en")
    ids = [
        [e.text for e in ElementTree.fromstring(body).iter(f"{ATOM}id")] for body in (first, second)
    ]
    assert ids[0] == ids[1]


def _head(html: str) -> str:
    return html[html.index("<head>") : html.index("</head>")]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_public_page_head_names_its_languages_and_its_own_address(
    published, client, settings, language
):
    settings.SITE_URL = "https://bargaining.example.org"
    page = reverse("open:campaign", args=[published.slug])
    head = _head(client.get(f"{page}?lang={language}").content.decode())
    own = f"https://bargaining.example.org{page}?lang={language}"
    assert f'<link rel="canonical" href="{own}">' in head
    assert f'<meta property="og:url" content="{own}">' in head
    for code in ("en", "es"):
        href = f"https://bargaining.example.org{page}?lang={code}"
        assert f'<link rel="alternate" hreflang="{code}" href="{href}">' in head
    x_default = f"https://bargaining.example.org{page}"
    assert f'<link rel="alternate" hreflang="x-default" href="{x_default}">' in head
    assert re.search(r'<meta name="description" content="[^"]{20,}">', head)
    assert re.search(r'<meta property="og:title" content="[^"]+">', head)
    assert re.search(r'<meta property="og:description" content="[^"]{20,}">', head)
    assert "noindex" not in head


def test_a_page_without_a_story_still_has_a_description(cast, client):
    bf.make_public_page(cast.campaign, story="")
    head = _head(client.get(reverse("open:campaign", args=[cast.campaign.slug])).content.decode())
    assert re.search(r'<meta name="description" content="[^"]{40,}">', head)


def test_signed_in_pages_and_search_results_stay_out_of_search_engines(published, cast):
    for who in ("leader", "steward_a", "partner_x"):
        head = _head(cast.client_for(who).get(reverse("home")).content.decode())
        assert '<meta name="robots" content="noindex">' in head, who
    preview = reverse("bargaining:public_preview", args=[published.slug])
    head = _head(cast.client_for("leader").get(preview).content.decode())
    assert '<meta name="robots" content="noindex">' in head
    demands = reverse("open:demands", args=[published.slug])
    anonymous = cast.client_for("anonymous")
    assert "noindex" not in _head(anonymous.get(demands).content.decode())
    assert "noindex" in _head(anonymous.get(demands + "?q=counselors").content.decode())


def test_the_sitemap_lists_public_pages_only(published, cast, client, settings):
    settings.SITE_URL = "https://bargaining.example.org"
    public = af.make_action(published, is_public=True, title="Rally before school")
    internal = af.make_action(published, is_public=False, title="Steward training")
    other = f.make_campaign(cast.other_local)  # its public page is off
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    space = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = {loc.text for loc in root.iter(f"{space}loc")}
    site = "https://bargaining.example.org"
    for language in ("en", "es"):
        assert f"{site}/open/{published.slug}/?lang={language}" in locations
        assert f"{site}/open/{published.slug}/demands/?lang={language}" in locations
        assert f"{site}{reverse('actions:rsvp', args=[public.pk])}?lang={language}" in locations
    assert not any(f"/{internal.pk}/" in loc or other.slug in loc for loc in locations)
    assert all(loc.startswith(site) for loc in locations)
    alternates = root.findall(f"{space}url/{{http://www.w3.org/1999/xhtml}}link")
    assert {a.get("hreflang") for a in alternates} == {"en", "es"}


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_signed_in_areas(client, settings):
    settings.SITE_URL = "https://bargaining.example.org"
    text = client.get("/robots.txt").content.decode()
    lines = text.splitlines()
    assert "Sitemap: https://bargaining.example.org/sitemap.xml" in lines
    assert "Allow: /open/" in lines
    for prefix in ("/accounts/", "/campaigns/", "/bargaining/", "/partners/", "/audit/"):
        assert f"Disallow: {prefix}" in lines
    assert "Disallow: /" not in lines


def test_security_txt_follows_rfc_9116(client, settings, evening_in_california):
    settings.SITE_URL = "https://bargaining.example.org"
    settings.SECURITY_CONTACT = ["mailto:security@example.org", "https://example.org/report"]
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = [line.split(": ", 1) for line in response.content.decode().splitlines()]
    assert ["Contact", "mailto:security@example.org"] in fields
    assert ["Contact", "https://example.org/report"] in fields
    assert ["Canonical", "https://bargaining.example.org/.well-known/security.txt"] in fields
    expires = [value for name, value in fields if name == "Expires"]
    assert len(expires) == 1
    # A year from today in UTC, which at 20:30 in California is already tomorrow.
    assert expires[0] == "2027-11-30T04:30:00Z"


@pytest.mark.parametrize("name", ["open:campaign", "open:demands", "open:index", "open:feed"])
def test_public_pages_are_compressed(published, client, name):
    url = reverse(name, args=[] if name == "open:index" else [published.slug])
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content)


def test_pages_with_a_csrf_token_are_never_compressed(published, cast, client):
    """BREACH: a compressed response that holds a secret and echoes what the visitor sent
    leaks the secret byte by byte; the RSVP form and signed-in pages hold a CSRF token."""
    action = af.make_action(published, is_public=True)
    responses = [
        client.get(reverse("actions:rsvp", args=[action.pk]), HTTP_ACCEPT_ENCODING="gzip"),
        client.get(reverse("account_login"), HTTP_ACCEPT_ENCODING="gzip"),
        cast.client_for("leader").get(reverse("home"), HTTP_ACCEPT_ENCODING="gzip"),
    ]
    for response in responses:
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode() or "X-CSRFToken" in (
            response.content.decode()
        )
        assert not response.has_header("Content-Encoding")


def test_static_files_are_served_compressed_in_production(tmp_path):
    """With DEBUG off the static files are WhiteNoise's compressed, hashed copies (made by
    collectstatic), which it serves with Content-Encoding to browsers that accept them."""
    code = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    env = {**os.environ, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "config.settings"}
    backend = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    compressor = Compressor(use_brotli=False)
    for name in ("css/app.css", "js/app.js"):
        copy = tmp_path / Path(name).name
        shutil.copy(ROOT / "static" / name, copy)
        assert compressor.should_compress(copy.name)
        written = list(compressor.compress(str(copy)))
        assert written == [f"{copy}.gz"], name
        assert gzip.decompress(Path(written[0]).read_bytes()) == copy.read_bytes()
