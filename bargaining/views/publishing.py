"""Previewing and publishing a bargaining item on the public page, one at a time."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import leader_required
from campaigns.zones import shows

from ..models import (
    CampaignEvent,
    Commitment,
    ProposalVersion,
    PublicPage,
    Session,
    TentativeAgreement,
)

PUBLISHABLE = {
    "session": Session,
    "version": ProposalVersion,
    "agreement": TentativeAgreement,
    "event": CampaignEvent,
    "commitment": Commitment,
}


def _publishable(request, kind: str, pk: int):
    model = PUBLISHABLE.get(kind)
    if model is None:
        raise Http404
    related = "proposal__campaign__local" if model is ProposalVersion else "campaign__local"
    item = get_object_or_404(model.objects.visible_to(request.user).select_related(related), pk=pk)
    return item, item.campaign


@shows(PUBLISHABLE)
@login_required
@leader_required
@require_GET
def preview(request, kind, pk):
    """Exactly what the public will see of one item, in each language, before publishing."""
    item, campaign = _publishable(request, kind, pk)
    context = {"kind": kind, "item": item, "preview": True}
    if kind == "session":
        context["versions"] = item.proposal_versions.published().select_related("proposal__article")
    renderings = []
    for code, name in settings.LANGUAGES:
        # Both languages share one page, so each rendering's ids carry its language.
        with translation.override(code):
            html = render_to_string(
                "bargaining/public/_item.html", {**context, "id_prefix": f"{code}-"}
            )
        renderings.append((code, name, html))
    return render(
        request,
        "bargaining/preview.html",
        {"campaign": campaign, "item": item, "kind": kind, "renderings": renderings},
    )


@shows(PUBLISHABLE)
@login_required
@leader_required
@require_POST
def publish(request, kind, pk):
    item, campaign = _publishable(request, kind, pk)
    if request.POST.get("action") == "unpublish":
        item.unpublish()
        message = _("Taken off the public page.")
    else:
        item.publish(by=request.user)
        if PublicPage.objects.filter(campaign=campaign, is_on=True).exists():
            message = _("Published. The public page shows it now.")
        else:
            message = _(
                "Published, but the campaign's public page is off: nobody outside sees it "
                "until a leader turns the page on."
            )
    if request.htmx and kind == "version":
        # The thread page swaps just this version's card and announces the change.
        return render(
            request,
            "bargaining/proposal_detail.html#version-card",
            {"version": item, "announce": message, "campaign": campaign},
        )
    messages.success(request, message)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/bargaining/"):
        return redirect(next_url)
    return redirect("bargaining:preview", kind, item.pk)
