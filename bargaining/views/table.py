"""What happens at the table: sessions, proposals and their versions, tentative agreements
and the campaign events, whose forms are alike."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import leader_required
from campaigns.versioning import save_or_merge
from campaigns.zones import shows
from demands.diff import compare_texts

from ..forms import (
    AgreementForm,
    ArticleForm,
    ArticleTrackerForm,
    CompareForm,
    EventForm,
    ProposalForm,
    SessionForm,
    VersionForm,
)
from ..models import (
    CampaignEvent,
    ContractArticle,
    Proposal,
    ProposalVersion,
    Session,
    TentativeAgreement,
)
from ..report import render_session_report
from .campaign import _campaign, _form_page


def _versioned_edit(request, form, row, *, template: str, context: dict, saved: str, then):
    """An edit page of a versioned row: on a valid POST the save (or the merge page when
    someone saved since the form was opened) and a redirect to ``then``; else the form."""
    if request.method == "POST" and form.is_valid():
        if merge := save_or_merge(request, form, row, template=template, context=context):
            return merge
        messages.success(request, saved)
        return redirect(then)
    return _form_page(request, template, {**context, "form": form})


@shows(Session)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def session_form(request, slug=None, pk=None):
    if pk is not None:
        session = get_object_or_404(
            Session.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
        )
        campaign = session.campaign
    else:
        campaign = _campaign(request, slug)
        session = Session(campaign=campaign, created_by=request.user)
    form = SessionForm(request.POST or None, instance=session)
    context = {"campaign": campaign, "session": session if pk else None}
    if request.method == "POST" and form.is_valid():
        # Saving plans the session's reminders (Session.edited), in the same transaction.
        if pk is None:
            session = form.save(commit=False)
            session.save_edits(by=request.user)
        elif merge := save_or_merge(
            request, form, session, template="bargaining/session_form.html", context=context
        ):
            return merge
        messages.success(request, _("Session saved."))
        return redirect(session)
    return _form_page(request, "bargaining/session_form.html", {**context, "form": form})


@shows(Session)
@login_required
@leader_required
@require_GET
def session_detail(request, pk):
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
    )
    versions = session.proposal_versions.select_related("proposal__article").order_by(
        "proposal__article__number", "proposal__topic", "number"
    )
    return render(
        request,
        "bargaining/session_detail.html",
        {"session": session, "campaign": session.campaign, "versions": versions},
    )


@shows(Session)
@login_required
@leader_required
@require_GET
def session_report(request, pk):
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
    )
    pdf = render_session_report(session)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"session-{timezone.localdate(session.starts_at):%Y-%m-%d}-internal.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def articles(request, slug):
    campaign = _campaign(request, slug)
    form = ArticleForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Contract article added."))
        return redirect("bargaining:articles", campaign.slug)
    return _form_page(
        request,
        "bargaining/articles.html",
        {
            "campaign": campaign,
            "form": form,
            # Each article's switch on the public tracker, with the version it is shown at.
            "switches": [
                (article, ArticleTrackerForm(instance=article, auto_id=False))
                for article in ContractArticle.objects.filter(campaign=campaign)
            ],
        },
    )


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def proposal_new(request, slug):
    """A new thread and its first version, validated together and saved together."""
    campaign = _campaign(request, slug)
    data = request.POST or None
    form = ProposalForm(data, campaign=campaign, user=request.user, prefix="thread")
    version_form = VersionForm(data, campaign=campaign, prefix="version")
    if request.method == "POST" and form.is_valid() and version_form.is_valid():
        with transaction.atomic():
            proposal = form.save()
            proposal.add_version(version_form.save(commit=False), by=request.user)
        messages.success(request, _("Proposal recorded. Nothing is public until you publish."))
        return redirect(proposal)
    return _form_page(
        request,
        "bargaining/proposal_new.html",
        {"campaign": campaign, "form": form, "version_form": version_form},
    )


@shows(Proposal)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
    )
    campaign = proposal.campaign
    form = ProposalForm(
        request.POST or None, instance=proposal, campaign=campaign, user=request.user
    )
    # The version check, then what follows an edit (Proposal.edited): the demands it carries
    # and the public page.
    return _versioned_edit(
        request,
        form,
        proposal,
        template="bargaining/proposal_edit.html",
        context={"campaign": campaign, "proposal": proposal},
        saved=_("Proposal saved."),
        then=proposal,
    )


@shows(Proposal)
@login_required
@leader_required
@require_GET
def proposal_detail(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("campaign__local", "article"),
        pk=pk,
    )
    campaign = proposal.campaign
    versions = list(proposal.versions.select_related("session").order_by("number"))
    version_form = VersionForm(
        campaign=campaign,
        initial={
            "passed_on": timezone.localdate(),
            "side": _other_side(versions),
            "text": versions[-1].text if versions else "",
        },
    )
    compare_form = CompareForm(
        versions=versions,
        initial={"a": versions[-2].number, "b": versions[-1].number} if len(versions) > 1 else {},
    )
    return render(
        request,
        "bargaining/proposal_detail.html",
        {
            "campaign": campaign,
            "proposal": proposal,
            "versions": versions,
            "demands": proposal.demands.all(),
            "version_form": version_form,
            "compare_form": compare_form,
        },
    )


def _other_side(versions) -> str:
    if not versions:
        return ProposalVersion.Side.UNION
    if versions[-1].side == ProposalVersion.Side.UNION:
        return ProposalVersion.Side.EMPLOYER
    return ProposalVersion.Side.UNION


@shows(Proposal)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def version_new(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("campaign__local", "article"),
        pk=pk,
    )
    campaign = proposal.campaign
    form = VersionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        version = proposal.add_version(form.save(commit=False), by=request.user)
        messages.success(
            request,
            _("%(kind)s %(number)s recorded. Preview it, then publish it when ready.")
            % {"kind": version.kind_label, "number": version.number},
        )
        return redirect("bargaining:preview", "version", version.pk)
    return _form_page(
        request,
        "bargaining/version_form.html",
        {"campaign": campaign, "proposal": proposal, "form": form, "version": None},
    )


@shows(ProposalVersion)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def version_edit(request, pk):
    version = get_object_or_404(
        ProposalVersion.objects.visible_to(request.user).select_related(
            "proposal__campaign__local", "proposal__article"
        ),
        pk=pk,
    )
    proposal, campaign = version.proposal, version.proposal.campaign
    form = VersionForm(request.POST or None, instance=version, campaign=campaign)
    return _versioned_edit(
        request,
        form,
        version,
        template="bargaining/version_form.html",
        context={"campaign": campaign, "proposal": proposal, "version": version},
        saved=_("Version saved."),
        then=proposal,
    )


@shows(Proposal)
@login_required
@leader_required
@require_GET
def compare(request, pk):
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("campaign__local", "article"),
        pk=pk,
    )
    versions = list(proposal.versions.order_by("number"))
    form = CompareForm(request.GET or None, versions=versions)
    if not form.is_valid():
        messages.error(request, _("Choose two versions of this proposal to compare."))
        return redirect(proposal)
    by_number = {v.number: v for v in versions}
    old, new = by_number[form.cleaned_data["a"]], by_number[form.cleaned_data["b"]]
    return render(
        request,
        "bargaining/compare.html",
        {
            "campaign": proposal.campaign,
            "proposal": proposal,
            "old": old,
            "new": new,
            "diff": compare_texts(old.text, new.text),
            "form": form,
        },
    )


def _agreement_or_event_form(request, model, form_class, template, slug, pk, saved_message):
    if pk is not None:
        item = get_object_or_404(
            model.objects.visible_to(request.user).select_related("campaign__local"), pk=pk
        )
        campaign = item.campaign
    else:
        campaign = _campaign(request, slug)
        item = model(campaign=campaign)
    form = form_class(
        request.POST or None,
        instance=item,
        campaign=campaign,
        initial=_initial_proposal(request) if pk is None else None,
    )
    context = {"campaign": campaign, "item": item if pk else None}
    if request.method == "POST" and form.is_valid():
        if pk is None:
            item = form.save(commit=False)
            item.save_edits(by=request.user)
        elif merge := save_or_merge(request, form, item, template=template, context=context):
            return merge
        messages.success(request, saved_message)
        return redirect("bargaining:campaign", campaign.slug)
    return _form_page(request, template, {**context, "form": form})


def _initial_proposal(request) -> dict:
    """ "Record the tentative agreement" links from a proposal name it in ``?proposal=``; the
    form's own queryset keeps it to this campaign."""
    proposal = request.GET.get("proposal", "")
    return {"proposal": proposal} if proposal.isdigit() else {}


@shows(TentativeAgreement)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def agreement_form(request, slug=None, pk=None):
    return _agreement_or_event_form(
        request,
        TentativeAgreement,
        AgreementForm,
        "bargaining/agreement_form.html",
        slug,
        pk,
        _("Tentative agreement saved."),
    )


@shows(CampaignEvent)
@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def event_form(request, slug=None, pk=None):
    return _agreement_or_event_form(
        request,
        CampaignEvent,
        EventForm,
        "bargaining/event_form.html",
        slug,
        pk,
        _("Event saved."),
    )
