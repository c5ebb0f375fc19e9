"""The public open-bargaining pages under /open/: no sign-in, only what leaders published.

The campaign page and its demands pages are served from the cache (per campaign, language,
page version, page number and filter) and contain no CSRF token, posting form or personal
data, so one copy serves everyone. The PDF report is read from storage, and rendered here
only when the stored one is older than what the public sees now.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from campaigns.content import interface_language, language_name, reading_in
from campaigns.models import Campaign
from campaigns.zones import local_time, shows

from .models import Commitment, PublishedReport
from .public import (
    OFF,
    PAGE_TTL,
    TRACKER_PAGE,
    TRACKER_PREVIEW,
    TrackerFilter,
    current_version,
    language_choice,
    page_cache_key,
    page_links,
    public_content,
    tracker_groups,
)
from .report import store_public_reports
from .tracker import ARTICLES_PAGE, article_tracker, implementation_plan

TIMELINE_PAGE = 12


def _language(request) -> str:
    return language_choice(request.GET.get("lang"), getattr(request, "LANGUAGE_CODE", ""))


def _public_campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("local", "public_page"), slug=slug, public_page__is_on=True
    )


def _public_headers(response, language: str) -> None:
    """Anyone may store a public response, but must ask again (a cheap 304 with the ETag)
    before each reuse: an unpublished item never lingers in a browser or a proxy."""
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, public=True, no_cache=True)


@require_safe
@gzip_page
def campaign_list(request):
    language = interface_language(_language(request))
    with translation.override(language):
        campaigns = Campaign.objects.filter(public_page__is_on=True).select_related(
            "local", "public_page"
        )
        response = render(
            request,
            "bargaining/public/index.html",
            {
                "campaigns": campaigns,
                "language": language,
                "languages": [(code, language_name(code)) for code, _name in settings.LANGUAGES],
            },
        )
    _public_headers(response, language)
    return response


def _not_modified(request, etag: str) -> bool:
    """Whether the visitor holds this version already; GZipMiddleware weakens the ETag it
    sends out, so the weak form counts too."""
    return request.headers.get("If-None-Match", "").removeprefix("W/") == etag


def _public_page(request, slug: str, part: str, render_body) -> HttpResponse:
    """A public page from the version-keyed cache, or rendered and cached: the one cache
    layer of the public pages. ``render_body(campaign, page_number)`` writes the HTML."""
    language = _language(request)
    page_number = _page_number(request)
    version = current_version(slug)
    if version == OFF:
        raise Http404
    etag = f'"{slug}-{language}-{page_number}-{version}{part}"'
    if _not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        key = page_cache_key(slug, language, version, page_number, part)
        body = cache.get(key)
        if body is None:
            campaign = (
                Campaign.objects.select_related("local", "public_page")
                .filter(slug=slug, public_page__is_on=True)
                .first()
            )
            if campaign is None:
                raise Http404
            # One copy serves every visitor, so it is written in the local's zone, like the
            # PDF. Stored under the version read with the campaign, before the content: the
            # content is at least that new. It is the version asked for, unless a change
            # committed meanwhile.
            key = page_cache_key(slug, language, campaign.public_version, page_number, part)
            # A language the local does not publish in reads as its interface language.
            reading = language
            if reading not in campaign.local.public_language_codes:
                reading = interface_language(reading)
            with reading_in(reading), local_time(campaign.local):
                body = render_body(campaign, reading, page_number).encode()
            cache.set(key, body, PAGE_TTL)
        response = HttpResponse(body)
    response["ETag"] = etag
    _public_headers(response, language)
    return response


# Compressed per response by Django's GZipMiddleware (with its BREACH padding) rather than
# a second, compressed copy in the cache: the bench's public_rps holds up without one.
@require_safe
@gzip_page
def campaign_page(request, slug):
    def render_body(campaign, language, page_number):
        content = public_content(campaign)
        timeline = Paginator(content.timeline[::-1], TIMELINE_PAGE).get_page(page_number)
        return render_to_string(
            "bargaining/public/campaign.html",
            {
                "content": content,
                "groups": tracker_groups(content.tracker, TRACKER_PREVIEW),
                "tracker_filter": TrackerFilter(),
                "timeline": timeline,
                "language": language,
                "content_language": language,
                "interface_language": interface_language(language),
                "languages": content.languages,
                "pagination_params": QueryDict(f"lang={language}"),
                "site_url": settings.SITE_URL,
                "links": page_links(
                    reverse("open:campaign", args=[campaign.slug]),
                    language,
                    campaign.local.public_language_codes,
                ),
                "implementation": implementation_plan(campaign),
            },
        )

    return _public_page(request, slug, "", render_body)


@require_safe
@gzip_page
def demands_page(request, slug):
    """The published demands of one status, or matching the visitor's words, a page at a
    time; the main page shows the first few of each status and links here for the rest."""
    tracker_filter = TrackerFilter.from_query(request.GET)

    def render_body(campaign, language, page_number):
        content = public_content(campaign)
        rows = [row for row in content.tracker if tracker_filter.matches(row)]
        page = Paginator(rows, TRACKER_PAGE).get_page(page_number)
        return render_to_string(
            "bargaining/public/demands.html",
            {
                "content": content,
                "tracker_filter": tracker_filter,
                "all_groups": tracker_groups(content.tracker, limit=0),
                "groups": tracker_groups(page.object_list, counted=rows),
                "matching": len(rows),
                "page": page,
                "language": language,
                "content_language": language,
                "interface_language": interface_language(language),
                "languages": content.languages,
                "pagination_params": tracker_filter.params(language),
                "links": page_links(
                    reverse("open:demands", args=[campaign.slug]),
                    language,
                    campaign.local.public_language_codes,
                ),
            },
        )

    return _public_page(request, slug, tracker_filter.cache_part(), render_body)


@require_safe
@gzip_page
def articles_page(request, slug):
    """The article tracker: both sides' latest published positions on each article, a page
    of articles at a time, with the counters over all of them. Only while leaders have the
    tracker on."""

    def render_body(campaign, language, page_number):
        if not campaign.public_page.tracker_on:
            raise Http404
        tracker = article_tracker(campaign)
        return render_to_string(
            "bargaining/public/articles.html",
            {
                "campaign": campaign,
                "tracker": tracker,
                "page": Paginator(tracker.rows, ARTICLES_PAGE).get_page(page_number),
                "language": language,
                "pagination_params": QueryDict(f"lang={language}"),
            },
        )

    return _public_page(request, slug, ":articles", render_body)


@shows(Commitment)
@require_safe
def commitment_evidence(request, slug, pk):
    """The evidence document of a published commitment whose win or agreement is published."""
    from .views.implementation import evidence_response

    campaign = _public_campaign(slug)
    commitment = get_object_or_404(
        Commitment.objects.published()
        .filter(campaign=campaign)
        .filter(
            models.Q(demand__published_at__isnull=False)
            | models.Q(agreement__published_at__isnull=False)
        ),
        pk=pk,
    )
    response = evidence_response(commitment)
    _public_headers(response, _language(request))
    return response


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), 1000)


@require_safe
def report_pdf(request, slug):
    """The stored report of what the public sees now.

    The report is rendered in the background after each change, so a download normally
    reads the stored file. While that is not done yet (the first minute after a change, or
    while the broker is down) the stored file may still show something a leader has since
    taken back, so this request renders the current report itself, once: other downloads of
    the same report wait for it rather than render it again, and none gets the old one."""
    campaign = _public_campaign(slug)
    language = _language(request)
    if language not in campaign.local.public_language_codes:
        language = interface_language(language)
    report = PublishedReport.objects.filter(campaign=campaign, language=language).first()
    if report is None or report.page_version < campaign.public_version:
        report = store_public_reports(campaign, languages=[language])[0]
    etag = f'"{report.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = f"{campaign.slug}-open-bargaining-{language}.pdf"
        response = FileResponse(handle, content_type="application/pdf", filename=filename)
        response["Content-Length"] = str(report.size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(report.rendered_at.timestamp())
    _public_headers(response, language)
    return response
