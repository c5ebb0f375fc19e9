"""A campaign's petitions as the team sees them: the list, one petition, writing and
publishing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from actions.views.scoping import campaign_for_leader
from campaigns.models import Campaign
from campaigns.zones import shows

from ..forms import PetitionForm
from ..models import Petition, Signature, Supporter, via_token

SIGNATURES_PAGE = 50


def visible_petition(request, pk) -> Petition:
    return get_object_or_404(
        Petition.objects.visible_to(request.user).select_related(
            "campaign__local", "target", "delivery"
        ),
        pk=pk,
    )


def editable_petition(request, pk) -> Petition:
    petition = visible_petition(request, pk)
    if not petition.can_edit(request.user):
        raise PermissionDenied
    return petition


@login_required
@require_GET
def petition_list(request):
    petitions = (
        Petition.objects.visible_to(request.user)
        .select_related("campaign", "target", "delivery")
        .with_counts()
        .order_by("-created_at", "-pk")
    )
    page = Paginator(petitions, 25).get_page(request.GET.get("page"))
    for petition in page:
        petition.percent = Petition.progress(petition.signed, petition.goal)
    led = list(Campaign.objects.led_by(request.user)) if roles_for(request.user).is_leader else []
    return render(request, "reach/petition_list.html", {"page": page, "led_campaigns": led})


@shows(Petition)
@login_required
@require_GET
def petition_detail(request, pk):
    petition = visible_petition(request, pk)
    roles = roles_for(request.user)
    counts = petition.counts()
    # Who signed, as far as this person may see supporters: all for leaders, the ones their
    # organisation brought for a partner, nobody for a steward.
    signatures = (
        Signature.objects.counted()
        .filter(petition=petition, supporter__in=Supporter.objects.visible_to(request.user))
        .select_related("supporter__member")
        .order_by("-confirmed_at", "-pk")
    )
    page = Paginator(signatures, SIGNATURES_PAGE).get_page(request.GET.get("page"))
    organisations = [
        m.organisation
        for m in roles.memberships
        if m.organisation_id and m.local_id == petition.campaign.local_id
    ]
    referral_links = [
        (organisation, f"{petition.get_public_url()}?via={via_token(organisation)}")
        for organisation in organisations
    ]
    return render(
        request,
        "reach/petition_detail.html",
        {
            "petition": petition,
            "counts": counts,
            "percent": Petition.progress(counts["total"], petition.goal),
            "page": page,
            "can_edit": petition.can_edit(request.user),
            "can_enter_paper": petition.can_enter_paper(request.user),
            "sees_signers": roles.leads(petition.campaign.local_id) or bool(organisations),
            "referral_links": referral_links,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_create(request, slug):
    campaign = campaign_for_leader(request, slug)
    form = PetitionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        petition = Petition.start(
            campaign, by=request.user, texts=form.texts, **form.fields_for_model
        )
        messages.success(request, _("Petition saved. Publish it when it is ready to sign."))
        return redirect(petition)
    return render(
        request,
        "reach/petition_form.html",
        {"form": form, "campaign": campaign, "has_targets": campaign.targets.exists()},
    )


@shows(Petition)
@login_required
@require_http_methods(["GET", "POST"])
def petition_edit(request, pk):
    petition = editable_petition(request, pk)
    form = PetitionForm(request.POST or None, campaign=petition.campaign, petition=petition)
    if request.method == "POST" and form.is_valid():
        petition.change(texts=form.texts, **form.fields_for_model)
        messages.success(request, _("Petition saved."))
        return redirect(petition)
    return render(
        request,
        "reach/petition_form.html",
        {"form": form, "campaign": petition.campaign, "petition": petition, "has_targets": True},
    )


@login_required
@require_POST
def petition_publish(request, pk):
    petition = editable_petition(request, pk)
    if request.POST.get("publish") == "off":
        petition.unpublish()
        messages.success(request, _("The petition is no longer public."))
    else:
        petition.publish()
        messages.success(request, _("The petition is public and takes signatures."))
    return redirect(petition)
