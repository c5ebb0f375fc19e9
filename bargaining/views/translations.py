"""A bargaining record's public texts in the local's other languages, one page per record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.access import leader_required
from campaigns.translating import translations_page
from campaigns.zones import shows

from ..models import (
    CampaignEvent,
    Commitment,
    ContractArticle,
    Proposal,
    ProposalVersion,
    Session,
    TentativeAgreement,
)

TRANSLATED = {
    "article": ContractArticle,
    "session": Session,
    "proposal": Proposal,
    "version": ProposalVersion,
    "agreement": TentativeAgreement,
    "event": CampaignEvent,
    "commitment": Commitment,
}


@shows(TRANSLATED)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def translations(request, kind, pk):
    """The record's texts in each language the local publishes in. A translation is saved
    like any edit of the record (its version check); a published record's public page, feed
    and report follow at once."""
    model = TRANSLATED.get(kind)
    if model is None:
        raise Http404
    related = "proposal__campaign__local" if model is ProposalVersion else "campaign__local"
    item = get_object_or_404(model.objects.visible_to(request.user).select_related(related), pk=pk)
    originals = [
        (item._meta.get_field(name).verbose_name, getattr(item, name))
        for name in item.TRANSLATED_FIELDS
    ]
    return translations_page(
        request,
        item,
        template="bargaining/translations.html",
        context={"campaign": item.campaign, "originals": originals, "kind": kind},
        saved_message=_("Translations saved."),
    )
