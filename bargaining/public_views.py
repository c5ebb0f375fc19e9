"""The public open-bargaining pages under /open/: no sign-in, only what leaders published.

The campaign page is served from the cache (per campaign, language and page version) and
contains no CSRF token, form or personal data, so one copy serves everyone. The PDF report is
read from storage, never rendered here.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_GET

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


@require_GET
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


@require_GET
def campaign_page(request, slug):
    language = _language(request)
    version = current_version(slug)
    if version == OFF:
        raise Http404
    etag = f'"{slug}-{language}-{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        key = page_cache_key(slug, language, version)
        body = cache.get(key)
        if body is None:
            campaign = _public_campaign(slug)
            with (
                translation.override(language),
                timezone.override(ZoneInfo(campaign.local.timezone)),
            ):
                body = render_to_string(
                    "bargaining/public/campaign.html",
                    {
                        "content": public_content(campaign),
                        "language": language,
                        "site_url": settings.SITE_URL,
                    },
                ).encode()
            cache.set(key, body, PAGE_TTL)
        response = HttpResponse(body)
    response["ETag"] = etag
    _public_headers(response, language)
    return response


@require_GET
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
