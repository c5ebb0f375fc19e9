"""A campaign's bargaining overview and its public page's settings, with the helpers every
bargaining page uses to find the campaign and answer a form."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import leader_required, roles_for
from campaigns.content import interface_language, reading_in
from campaigns.models import Campaign

from ..forms import PublicPageForm
from ..models import PublicPage
from ..overview import overview
from ..public import page_links, public_content
from ..tracker import ARTICLES_PAGE, article_tracker, implementation_plan


def _campaign(request, slug) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.led_by(request.user).select_related("local"), slug=slug
    )
    if not roles_for(request.user).leads(campaign.local_id):
        raise PermissionDenied
    return campaign


def _form_page(request, template: str, context: dict) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@login_required
@leader_required
@require_GET
def index(request):
    campaigns = Campaign.objects.led_by(request.user).select_related("local", "public_page")
    if len(campaigns) == 1:
        return redirect("bargaining:campaign", campaigns[0].slug)
    return render(request, "bargaining/index.html", {"campaigns": campaigns})


@login_required
@leader_required
@require_GET
def campaign_detail(request, slug):
    campaign = _campaign(request, slug)
    page, _created = PublicPage.objects.get_or_create(campaign=campaign)
    context = {"campaign": campaign, "page": page, **overview(campaign, request.GET)}
    return render(request, "bargaining/campaign.html", context)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def public_page_settings(request, slug):
    campaign = _campaign(request, slug)
    page, _created = PublicPage.objects.get_or_create(campaign=campaign)
    form = PublicPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).save_settings(
            translations=form.story_translations(),
            content_languages=form.cleaned_data["content_languages"],
        )
        if page.is_on:
            messages.success(request, _("The public page is on."))
        else:
            messages.success(request, _("The public page is off: nobody outside sees it."))
        return redirect("bargaining:public_page", campaign.slug)
    return _form_page(
        request,
        "bargaining/public_page_settings.html",
        {"campaign": campaign, "form": form, "page": page},
    )


@login_required
@leader_required
@require_GET
def public_page_preview(request, slug):
    """The whole public page as it stands, even while it is off; never cached."""
    campaign = _campaign(request, slug)
    PublicPage.objects.get_or_create(campaign=campaign)
    campaign = Campaign.objects.select_related("local", "public_page").get(pk=campaign.pk)
    language = request.GET.get("lang", "")
    if language not in campaign.local.public_language_codes:
        language = translation.get_language()
    with reading_in(language):
        content = public_content(campaign)
        timeline = Paginator(content.timeline[::-1], 12).get_page(request.GET.get("page"))
        return render(
            request,
            "bargaining/public/campaign.html",
            {
                "content": content,
                "timeline": timeline,
                "preview": True,
                "language": language,
                "content_language": language,
                "interface_language": interface_language(language),
                "languages": content.languages,
                "site_url": settings.SITE_URL,
                "links": page_links(
                    reverse("open:campaign", args=[campaign.slug]),
                    language,
                    campaign.local.public_language_codes,
                ),
                "implementation": implementation_plan(campaign),
            },
        )


@login_required
@leader_required
@require_GET
def public_articles_preview(request, slug):
    """The article tracker as the public would read it, even while it is off; never cached."""
    campaign = _campaign(request, slug)
    PublicPage.objects.get_or_create(campaign=campaign)
    campaign = Campaign.objects.select_related("local", "public_page").get(pk=campaign.pk)
    tracker = article_tracker(campaign)
    return render(
        request,
        "bargaining/public/articles.html",
        {
            "campaign": campaign,
            "tracker": tracker,
            "page": Paginator(tracker.rows, ARTICLES_PAGE).get_page(request.GET.get("page")),
            "preview": True,
            "language": translation.get_language(),
        },
    )
