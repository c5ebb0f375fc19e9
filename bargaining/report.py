"""PDF reports with WeasyPrint: the public open-bargaining report, rendered in the background
and stored, and the leaders' internal report of one session, rendered on request.

WeasyPrint never touches the network or the filesystem on its own: ``StaticOnlyFetcher``
answers ``data:`` URLs and the app's own static files, and refuses everything else.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from campaigns.content import interface_language, reading_in
from campaigns.models import Campaign
from campaigns.zones import local_time

from .models import PublicPage, PublishedReport, Session
from .public import public_content
from .tracker import implementation_plan

logger = logging.getLogger(__name__)

# Templates link static files as /static/...; relative to this made-up origin they become
# absolute URLs that the fetcher below maps back to files found by the staticfiles finders.
BASE_URL = "https://commongood.invalid/"


class RefusedURL(ValueError):
    pass


def static_file_for(url: str) -> Path:
    """The file behind one of our own static URLs; anything else is refused."""
    parts = urlsplit(url)
    origin = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        raise RefusedURL(f"not one of the app's static files: {url}")
    if not parts.path.startswith(settings.STATIC_URL):
        raise RefusedURL(f"not under {settings.STATIC_URL}: {url}")
    name = unquote(parts.path[len(settings.STATIC_URL) :])
    segments = name.split("/")
    if not name or "\\" in name or "\x00" in name or any(s in ("", ".", "..") for s in segments):
        raise RefusedURL(f"not a plain static path: {url}")
    if posixpath.normpath(name) != name:
        raise RefusedURL(f"not a plain static path: {url}")
    found = finders.find(name)
    if found:
        return Path(found)
    # In production templates name the collected, hashed copies under STATIC_ROOT.
    root = Path(settings.STATIC_ROOT).resolve()
    collected = (root / name).resolve()
    if collected.is_relative_to(root) and collected.is_file():
        return collected
    raise RefusedURL(f"no such static file: {name}")


def StaticOnlyFetcher():  # noqa: N802 - reads as the class it builds
    """WeasyPrint's fetcher, allowed only data: URLs and the app's own static files.

    WeasyPrint is imported when a PDF is made, not when the app starts: it takes seconds to
    load, which every web process and worker would otherwise pay before its first request."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        def __init__(self):
            super().__init__(timeout=1, allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.split(":", 1)[0].lower() == "data":
                return super().fetch(url, headers)
            path = static_file_for(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return Fetcher()


# A tagged PDF (PDF/UA-1): screen readers follow its structure tree, and its language and
# title come from the template's <html lang> and <title>.
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(
        pdf_variant=PDF_VARIANT
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


def render_public_report(campaign: Campaign, language: str) -> tuple[bytes, int]:
    with reading_in(language), local_time(campaign.local):
        content = public_content(campaign)
        html = render_to_string(
            "bargaining/pdf/report.html",
            {
                "content": content,
                "LANGUAGE_CODE": interface_language(language),
                "content_language": language,
                "implementation": implementation_plan(campaign),
            },
        )
    return html_to_pdf(html)


def store_public_reports(
    campaign: Campaign, *, force: bool = False, languages: list[str] | None = None
) -> list[PublishedReport]:
    """Render the public report in each language and replace the stored one.

    Skips a language whose stored report already shows the campaign's current public
    version, so a burst of publishing renders once per change, not once per queued task.
    One render at a time per campaign: the others wait on the lock of its public page and
    then find the report already stored."""
    stored = []
    with transaction.atomic():
        PublicPage.objects.select_for_update().filter(campaign=campaign).first()
        # Read the version before the content: the report is then at least as new as the
        # version it is stored with, never older.
        version = Campaign.objects.values_list("public_version", flat=True).get(pk=campaign.pk)
        for language in campaign.local.public_language_codes:
            if languages is not None and language not in languages:
                continue
            existing = PublishedReport.objects.filter(campaign=campaign, language=language).first()
            if existing and existing.page_version >= version and not force:
                stored.append(existing)
                continue
            stored.append(_store(campaign, language, version, existing))
    return stored


def _store(
    campaign: Campaign, language: str, version: int, existing: PublishedReport | None
) -> PublishedReport:
    pdf, pages = render_public_report(campaign, language)
    digest = hashlib.sha256(pdf).hexdigest()
    name = default_storage.save(
        f"bargaining/reports/{campaign.slug}-{language}-{digest[:12]}.pdf", ContentFile(pdf)
    )
    old_name = existing.file.name if existing else None
    report, _created = PublishedReport.objects.update_or_create(
        campaign=campaign,
        language=language,
        defaults={
            "file": name,
            "sha256": digest,
            "size": len(pdf),
            "pages": pages,
            "page_version": version,
            "rendered_at": timezone.now(),
        },
    )
    if old_name and old_name != name:
        # Deleted once the new row is committed, so a rolled-back render keeps the old file.
        transaction.on_commit(lambda: default_storage.delete(old_name))
    logger.info("Rendered the %s report of %s (%d bytes)", language, campaign.slug, len(pdf))
    return report


def stale_public_reports() -> list[int]:
    """Campaigns with a public page whose report, in some language, is missing or older than
    what the public sees now."""
    campaigns = (
        Campaign.objects.filter(public_page__is_on=True)
        .select_related("local")
        .annotate(
            reports=models.Count("published_reports"),
            oldest=models.Min("published_reports__page_version"),
        )
        .only("pk", "public_version", "local__content_languages")
    )
    # Each local publishes in its own languages, one report each.
    return [
        campaign.pk
        for campaign in campaigns
        if campaign.reports < len(campaign.local.public_language_codes)
        or (campaign.oldest or 0) < campaign.public_version
    ]


def render_session_report(session: Session) -> bytes:
    """The leaders' internal report of one session: notes, attendees and every version."""
    versions = session.proposal_versions.select_related("proposal__article").order_by(
        "proposal__article__number", "proposal__topic", "number"
    )
    with local_time(session.campaign.local):
        html = render_to_string(
            "bargaining/pdf/session_report.html",
            {"session": session, "versions": versions, "now": timezone.now()},
        )
    return html_to_pdf(html)[0]
