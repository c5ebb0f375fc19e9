"""The public open-bargaining pages under /open/: no sign-in, only what leaders published.

The campaign page is served from the cache (per campaign, language and page version) and
contains no CSRF token, form or personal data, so one copy serves everyone. The PDF report is
read from storage, never rendered here.
"""

from __future__ import annotations

import gzip
import time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from campaigns.models import Campaign

from .models import PublishedReport
from .public import (
    OFF,
    PAGE_TTL,
    current_version,
    language_choice,
    page_cache_key,
    public_content,
)

PUBLIC_MAX_AGE = 60
TIMELINE_PAGE = 12
RENDER_LOCK_TTL = 30


def _language(request) -> str:
    return language_choice(request.GET.get("lang"), getattr(request, "LANGUAGE_CODE", ""))


def _public_campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("local", "public_page"), slug=slug, public_page__is_on=True
    )


def _public_headers(response, language: str) -> None:
    response["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)


@require_safe
def campaign_list(request):
    language = _language(request)
    with translation.override(language):
        campaigns = Campaign.objects.filter(public_page__is_on=True).select_related(
            "local", "public_page"
        )
        response = render(
            request, "bargaining/public/index.html", {"campaigns": campaigns, "language": language}
        )
    _public_headers(response, language)
    return response


@require_safe
def campaign_page(request, slug):
    language = _language(request)
    page_number = _page_number(request)
    version = current_version(slug)
    if version == OFF:
        raise Http404
    etag = f'"{slug}-{language}-{page_number}-{version}"'
    gzip_ok = "gzip" in request.headers.get("Accept-Encoding", "")
    if request.headers.get("If-None-Match") in (etag, etag[:-1] + '-gzip"'):
        response = HttpResponseNotModified()
    else:
        body, gzipped = _cached_page(slug, language, page_number, version)
        if body is None:
            raise Http404
        if gzip_ok:
            response = HttpResponse(gzipped)
            response["Content-Encoding"] = "gzip"
            etag = etag[:-1] + '-gzip"'
        else:
            response = HttpResponse(body)
    response["ETag"] = etag
    _public_headers(response, language)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _page_number(request) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), 1000)


# Pages this process already fetched, keyed like the shared cache (so by version): a hit
# costs no trip to Redis for a body of tens of kilobytes, only the version check.
_process_pages: dict[str, tuple[float, tuple[bytes, bytes]]] = {}
PROCESS_PAGES_MAX = 32


def _remember(key: str, rendered: tuple[bytes, bytes]) -> None:
    if len(_process_pages) >= PROCESS_PAGES_MAX:
        _process_pages.clear()
    _process_pages[key] = (time.monotonic() + PAGE_TTL, rendered)


def _remembered(key: str) -> tuple[bytes, bytes] | None:
    entry = _process_pages.get(key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def _cached_page(slug: str, language: str, page_number: int, version: int):
    """The page's HTML and its gzip, from the cache, else rendered once and cached.

    While one process renders a new version, the others keep serving the last one they
    rendered for a few seconds instead of all rendering it at once."""
    key = page_cache_key(slug, language, version, page_number)
    cached = _remembered(key)
    if cached is not None:
        return cached
    cached = cache.get(key)
    if cached is not None:
        _remember(key, cached)
        return cached
    last_key = f"bargaining:open:last:{slug}:{language}:{page_number}"
    if not cache.add(key + ":rendering", 1, RENDER_LOCK_TTL):
        last = cache.get(last_key)
        if last is not None:
            return last
    campaign = (
        Campaign.objects.select_related("local", "public_page")
        .filter(slug=slug, public_page__is_on=True)
        .first()
    )
    if campaign is None:
        return None, None
    with translation.override(language), timezone.override(ZoneInfo(campaign.local.timezone)):
        content = public_content(campaign)
        timeline = Paginator(content.timeline[::-1], TIMELINE_PAGE).get_page(page_number)
        body = render_to_string(
            "bargaining/public/campaign.html",
            {
                "content": content,
                "timeline": timeline,
                "language": language,
                "pagination_params": QueryDict(f"lang={language}"),
                "site_url": settings.SITE_URL,
            },
        ).encode()
    rendered = (body, gzip.compress(body, compresslevel=6))
    _remember(key, rendered)
    cache.set(key, rendered, PAGE_TTL)
    cache.set(last_key, rendered, PAGE_TTL)
    cache.delete(key + ":rendering")
    return rendered


@require_safe
def report_pdf(request, slug):
    """The stored report; when none was rendered yet, a friendly 404. Never renders."""
    language = _language(request)
    report = (
        PublishedReport.objects.filter(
            campaign__slug=slug, campaign__public_page__is_on=True, language=language
        )
        .select_related("campaign")
        .first()
    )
    if report is None:
        campaign = _public_campaign(slug)
        with translation.override(language):
            response = render(
                request,
                "bargaining/public/report_missing.html",
                {"campaign": campaign, "language": language},
                status=404,
            )
        _public_headers(response, language)
        response["Cache-Control"] = "no-cache"
        return response
    etag = f'"{report.sha256}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        filename = f"{report.campaign.slug}-open-bargaining-{language}.pdf"
        response = FileResponse(handle, content_type="application/pdf", filename=filename)
        response["Content-Length"] = str(report.size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(report.rendered_at.timestamp())
    _public_headers(response, language)
    return response
