"""The bargaining team's pages: leaders of the campaign's local only.

Stewards and partners get 403 (bargaining is the bargaining team's business until it is
published); a leader of another local gets 404, so ids cannot be probed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import leader_required, roles_for
from campaigns.models import Campaign
from campaigns.versioning import save_or_merge
from campaigns.zones import shows
from demands.diff import compare_texts

from .forms import (
    AgreementForm,
    ArticleForm,
    CompareForm,
    EventForm,
    ProposalForm,
    PublicPageForm,
    SessionForm,
    VersionForm,
)
from .models import (
    CampaignEvent,
    ContractArticle,
    Proposal,
    ProposalVersion,
    PublicPage,
    Session,
    TentativeAgreement,
)
from .overview import overview
from .public import public_content
from .reminders import plan_session
from .report import render_session_report

PUBLISHABLE = {
    "session": Session,
    "version": ProposalVersion,
    "agreement": TentativeAgreement,
    "event": CampaignEvent,
}


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
        with transaction.atomic():
            if pk is None:
                session = form.save(commit=False)
                session.save_edits(by=request.user)
            elif merge := save_or_merge(
                request, form, session, template="bargaining/session_form.html", context=context
            ):
                return merge
            plan_session(session)
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
            "articles": ContractArticle.objects.filter(campaign=campaign),
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
    context = {"campaign": campaign, "proposal": proposal}
    if request.method == "POST" and form.is_valid():
        # The version check, then what follows an edit (Proposal.edited): the demands it
        # carries and the public page.
        if merge := save_or_merge(
            request, form, proposal, template="bargaining/proposal_edit.html", context=context
        ):
            return merge
        messages.success(request, _("Proposal saved."))
        return redirect(proposal)
    return _form_page(request, "bargaining/proposal_edit.html", {**context, "form": form})


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
    context = {"campaign": campaign, "proposal": proposal, "version": version}
    if request.method == "POST" and form.is_valid():
        if merge := save_or_merge(
            request, form, version, template="bargaining/version_form.html", context=context
        ):
            return merge
        messages.success(request, _("Version saved."))
        return redirect(proposal)
    return _form_page(request, "bargaining/version_form.html", {**context, "form": form})


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
        with translation.override(code):
            html = render_to_string("bargaining/public/_item.html", context)
        renderings.append((code, _(name), html))
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
            {"version": item, "announce": message},
        )
    messages.success(request, message)
    next_url = request.POST.get("next", "")
    if next_url.startswith("/bargaining/"):
        return redirect(next_url)
    return redirect("bargaining:preview", kind, item.pk)


@login_required
@leader_required
@require_http_methods(["GET", "POST"])
def public_page_settings(request, slug):
    campaign = _campaign(request, slug)
    page, _created = PublicPage.objects.get_or_create(campaign=campaign)
    form = PublicPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        form.save(commit=False).save_settings()
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
    content = public_content(campaign)
    timeline = Paginator(content.timeline[::-1], 12).get_page(request.GET.get("page"))
    return render(
        request,
        "bargaining/public/campaign.html",
        {
            "content": content,
            "timeline": timeline,
            "preview": True,
            "language": translation.get_language(),
            "site_url": settings.SITE_URL,
        },
    )
