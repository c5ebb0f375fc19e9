"""Implementation plans: the commitments that carry out what was won, with their evidence;
and the leaders' switches of the public article tracker."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required
from campaigns.versioning import EditConflict, merge_page
from campaigns.zones import shows

from ..forms import ArticleTrackerForm, CommitmentForm
from ..models import Commitment, ContractArticle, ProposalVersion
from .campaign import _campaign

COMMITMENTS_PAGE = 25


def _commitment(request, pk) -> Commitment:
    return get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
    )


@login_required
@leader_required
@require_GET
def commitments(request, slug):
    """Every commitment of the campaign's implementation plans, soonest due first."""
    campaign = _campaign(request, slug)
    items = (
        Commitment.objects.filter(campaign=campaign)
        .select_related("campaign__local", "demand", "agreement")
        .order_by("due_on", "pk")
    )
    page = Paginator(items, COMMITMENTS_PAGE).get_page(request.GET.get("page"))
    return render(request, "bargaining/commitments.html", {"campaign": campaign, "page": page})


@shows(Commitment)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def commitment_form(request, slug=None, pk=None):
    if pk is not None:
        commitment = _commitment(request, pk)
        campaign = commitment.campaign
    else:
        campaign = _campaign(request, slug)
        commitment = Commitment(campaign=campaign, created_by=request.user)
    form = CommitmentForm(
        request.POST or None, request.FILES or None, instance=commitment, campaign=campaign
    )
    template = "bargaining/commitment_form.html"
    context = {"campaign": campaign, "item": commitment if pk else None}
    if request.method == "POST" and form.is_valid():
        # Saving plans the owners' reminders (Commitment.edited), in the same transaction.
        if pk is None:
            commitment = form.save(commit=False)
            commitment.save_edits(by=request.user, reminded=form.cleaned_data["reminded"])
        else:
            try:
                commitment.edit_plan(
                    expected_version=form.expected_version,
                    by=request.user,
                    changes=form.changes(),
                    document=form.document,
                    content_type=form.content_type,
                )
            except EditConflict as conflict:
                # Another leader saved since this page was opened: the merge page.
                return merge_page(
                    request, form, conflict.current, template=template, context=context
                )
        messages.success(request, _("Commitment saved. Nothing is public until you publish."))
        return redirect("bargaining:commitments", campaign.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, template, {**context, "form": form}, status=status)


@shows(Commitment)
@login_required
@leader_required
@require_GET
def commitment_evidence(request, pk):
    """The uploaded evidence, for the leaders; the public reads it only once published."""
    commitment = _commitment(request, pk)
    return evidence_response(commitment)


def evidence_response(commitment: Commitment) -> FileResponse:
    if not commitment.evidence_document:
        raise Http404
    content_type = commitment.evidence_content_type or "application/octet-stream"
    extension = mimetypes.guess_extension(content_type) or ""
    response = FileResponse(
        commitment.evidence_document.open("rb"),
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=f"evidence-{commitment.pk}{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@shows(ContractArticle)
@login_required
@leader_required
@require_POST
def article_tracker_switch(request, pk):
    """Show or hide one article on the public tracker."""
    article = get_object_or_404(
        ContractArticle.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    form = ArticleTrackerForm(request.POST, instance=article)
    if not form.is_valid():
        return redirect("bargaining:articles", article.campaign.slug)
    # Switched by another leader since the page was shown: the merge page, not a silent undo.
    try:
        article.set_on_tracker(
            form.cleaned_data["on_tracker"],
            expected_version=form.expected_version,
            by=request.user,
        )
    except EditConflict as conflict:
        return merge_page(
            request,
            form,
            conflict.current,
            template="bargaining/article_tracker.html",
            context={"campaign": article.campaign, "article": conflict.current},
        )
    if article.on_tracker:
        messages.success(request, _("The article is on the public tracker."))
    else:
        messages.success(request, _("The article is off the public tracker."))
    return redirect("bargaining:articles", article.campaign.slug)


@shows(ProposalVersion)
@login_required
@leader_required
@require_POST
def version_withdraw(request, pk):
    version = get_object_or_404(
        ProposalVersion.objects.visible_to(request.user).select_related("proposal__campaign"),
        pk=pk,
    )
    try:
        version.withdraw(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The position is withdrawn."))
    return redirect(version)
