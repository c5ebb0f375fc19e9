"""The coalition decides together: decision requests and answers, the campaign's adoption
rule, amendments, and merging duplicate demands."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.models import Campaign
from campaigns.versioning import EditConflict, merge_page
from campaigns.zones import shows

from ..diff import compare
from ..forms import (
    AdoptionRuleForm,
    AmendmentForm,
    DecisionAnswerForm,
    DecisionRequestForm,
    DeclineForm,
    EndRequestForm,
    MergeForm,
)
from ..models import (
    REVISION_FIELDS,
    AdoptionRule,
    Amendment,
    CoalitionError,
    DecisionAnswer,
    DecisionRequest,
    Demand,
    TransitionError,
)
from .demands import _field_labels, _visible_demand


def _errors(request, error: CoalitionError | TransitionError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_step(request, form, step, *, template: str, context: dict):
    """A coalition form page: on a valid POST, ``step`` (the model method, given the cleaned
    data) and a redirect to the object it returns with its message, or the workflow's refusal
    as messages on the page again; else the page with the form."""
    if request.method == "POST" and form.is_valid():
        try:
            target, done = step(form.cleaned_data)
        except (CoalitionError, TransitionError) as error:
            _errors(request, error)
        else:
            messages.success(request, done)
            return redirect(target)
    return render(request, template, {**context, "form": form})


# Decisions --------------------------------------------------------------------------------


@shows(Demand)
@login_required
@require_http_methods(["GET", "POST"])
def decision_ask(request, pk):
    demand = _visible_demand(request, pk)
    if not demand.can_manage(request.user):
        raise PermissionDenied
    form = DecisionRequestForm(request.POST or None, demand=demand)

    def step(data):
        decision = DecisionRequest.ask(
            demand,
            organisations=data["organisations"],
            deadline=data["deadline"],
            by=request.user,
            question=data["question"],
        )
        return decision, _("The organisations are asked for their decision.")

    return _form_step(
        request, form, step, template="demands/decision_ask.html", context={"demand": demand}
    )


def _visible_decision(request, pk) -> DecisionRequest:
    return get_object_or_404(
        DecisionRequest.objects.visible_to(request.user)
        .select_related("demand", "campaign__local", "asked_by", "ended_by")
        .prefetch_related(
            "organisations",
            Prefetch(
                "answers", queryset=DecisionAnswer.objects.select_related("organisation", "by")
            ),
        ),
        pk=pk,
    )


@shows(DecisionRequest)
@login_required
@require_http_methods(["GET", "POST"])
def decision_detail(request, pk):
    """The request and who decided what; POST is an organisation's answer, by its people."""
    decision = _visible_decision(request, pk)
    answerable = decision.answerable_organisations(request.user)
    if request.method == "POST" and not answerable:
        raise PermissionDenied
    mine = {a.organisation_id: a for a in decision.answers.all()}
    initial = {}
    if answerable and answerable[0].pk in mine:
        initial = {"choice": mine[answerable[0].pk].choice, "reason": mine[answerable[0].pk].reason}
    form = DecisionAnswerForm(request.POST or None, organisations=answerable, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            answer = decision.answer(
                organisation=data["organisation"],
                choice=data["choice"],
                reason=data["reason"],
                by=request.user,
            )
        except CoalitionError as error:
            _errors(request, error)
        else:
            messages.success(
                request,
                _("%(org)s’s decision is recorded: %(choice)s.")
                % {"org": answer.organisation.name, "choice": answer.choice_label},
            )
            return redirect(decision)
    answered = set(mine)
    return render(
        request,
        "demands/decision_detail.html",
        {
            "decision": decision,
            "demand": decision.demand,
            "answers": list(decision.answers.all()),
            "waiting": [o for o in decision.organisations.all() if o.pk not in answered],
            "tally": decision.tally(),
            "form": form if answerable else None,
            "can_manage": decision.can_manage(request.user),
            "end_form": EndRequestForm(),
        },
    )


def _end_decision(request, pk, method: str, done: str):
    decision = _visible_decision(request, pk)
    if not decision.can_manage(request.user):
        raise PermissionDenied
    form = EndRequestForm(request.POST)
    why = form.cleaned_data["why"] if form.is_valid() else ""
    try:
        getattr(decision, method)(by=request.user, why=why)
    except CoalitionError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return redirect(decision)


@shows(DecisionRequest)
@login_required
@require_POST
def decision_close(request, pk):
    return _end_decision(request, pk, "close", _("The request is closed; the answers stand."))


@shows(DecisionRequest)
@login_required
@require_POST
def decision_cancel(request, pk):
    return _end_decision(request, pk, "cancel", _("The request is cancelled."))


# The campaign's adoption rule ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def adoption_rule(request, slug):
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), slug=slug)
    if not roles_for(request.user).leads(campaign.local_id):
        raise PermissionDenied
    rule = AdoptionRule.objects.filter(campaign=campaign).first()
    form = AdoptionRuleForm(request.POST or None, instance=rule or AdoptionRule(campaign=campaign))
    context = {"campaign": campaign, "rule": rule}
    if request.method == "POST":
        if request.POST.get("remove") and rule is not None:
            rule.delete()
            messages.success(request, _("The campaign no longer has an adoption rule."))
            return redirect("demands:adoption_rule", slug=campaign.slug)
        if form.is_valid():
            # Two leaders saving the rule at once: the second gets the merge page.
            try:
                AdoptionRule.create_or_edit(
                    lookup={"campaign": campaign},
                    values={name: form.cleaned_data[name] for name in form.versioned_names},
                    changes=form.changes(),
                    by=request.user,
                    expected_version=form.expected_version,
                )
            except EditConflict as conflict:
                return merge_page(
                    request,
                    form,
                    conflict.current,
                    template="demands/adoption_rule.html",
                    context={**context, "rule": conflict.current},
                )
            messages.success(request, _("The adoption rule is saved."))
            return redirect("demands:adoption_rule", slug=campaign.slug)
    return render(request, "demands/adoption_rule.html", {**context, "form": form})


# Amendments ---------------------------------------------------------------------------------


@shows(Demand)
@login_required
@require_http_methods(["GET", "POST"])
def amendment_propose(request, pk):
    demand = _visible_demand(request, pk)
    organisation_ids = demand.proposing_organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied
    organisations = [
        o for o in list(demand.coauthors.all()) + list(demand.shared_with.all())
        if o.pk in organisation_ids
    ]  # fmt: skip
    form = AmendmentForm(request.POST or None, demand=demand, organisations=organisations)

    def step(data):
        amendment = Amendment.propose(
            demand,
            organisation=data["organisation"],
            changes=form.text_changes(),
            reason=data["reason"],
            by=request.user,
            version=data["version"],
        )
        return amendment, _("Amendment proposed: the demand’s authors decide on it.")

    return _form_step(
        request, form, step, template="demands/amendment_form.html", context={"demand": demand}
    )


def _visible_amendment(request, pk) -> Amendment:
    return get_object_or_404(
        Amendment.objects.visible_to(request.user).select_related(
            "demand__campaign__local", "organisation", "proposed_by", "decided_by"
        ),
        pk=pk,
    )


@shows(Amendment)
@login_required
@require_GET
def amendment_detail(request, pk):
    amendment = _visible_amendment(request, pk)
    labels = _field_labels()
    changed = {name: labels[name] for name in REVISION_FIELDS if name in amendment.changes}
    return render(
        request,
        "demands/amendment_detail.html",
        {
            "amendment": amendment,
            "demand": amendment.demand,
            "diffs": compare(amendment.base_text(), amendment.changes, changed),
            "can_decide": amendment.can_decide(request.user),
            "can_withdraw": amendment.can_withdraw(request.user),
            "decline_form": DeclineForm(),
        },
    )


def _amendment_step(request, pk, step, *, by_authors: bool):
    """Accepting and declining are for the demand's authors; withdrawing and rebasing for the
    proposing organisation's people."""
    amendment = _visible_amendment(request, pk)
    if by_authors:
        allowed = amendment.demand.can_edit(request.user)
    else:
        allowed = amendment.organisation_id in roles_for(request.user).organisation_ids
    if not allowed:
        raise PermissionDenied
    try:
        done = step(amendment)
    except CoalitionError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return redirect(amendment)


@shows(Amendment)
@login_required
@require_POST
def amendment_accept(request, pk):
    def step(amendment):
        amendment.accept(by=request.user)
        return _("Accepted: the amendment is version %(n)s of the demand.") % {
            "n": amendment.revision.number
        }

    return _amendment_step(request, pk, step, by_authors=True)


@shows(Amendment)
@login_required
@require_POST
def amendment_decline(request, pk):
    def step(amendment):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            raise CoalitionError(_("Say why the amendment is declined."))
        amendment.decline(by=request.user, reason=form.cleaned_data["reason"])
        return _("The amendment is declined.")

    return _amendment_step(request, pk, step, by_authors=True)


@shows(Amendment)
@login_required
@require_POST
def amendment_withdraw(request, pk):
    def step(amendment):
        amendment.withdraw(by=request.user)
        return _("The amendment is withdrawn.")

    return _amendment_step(request, pk, step, by_authors=False)


@shows(Amendment)
@login_required
@require_POST
def amendment_rebase(request, pk):
    def step(amendment):
        amendment.rebase(by=request.user)
        return _("The amendment now applies to the current version of the demand.")

    return _amendment_step(request, pk, step, by_authors=False)


# Merging duplicates -------------------------------------------------------------------------


@shows(Demand)
@login_required
@require_http_methods(["GET", "POST"])
def demand_merge(request, pk):
    """GET asks which demand to keep and shows what moves; POST merges."""
    demand = _visible_demand(request, pk)
    if not demand.can_manage(request.user):
        raise PermissionDenied
    form = MergeForm(request.POST or None, demand=demand)

    def step(data):
        demand.merge_into(data["kept"], by=request.user)
        done = _("“%(merged)s” is merged into this demand; its history stays readable.")
        return data["kept"], done % {"merged": demand.title}

    return _form_step(
        request,
        form,
        step,
        template="demands/demand_merge.html",
        context={
            "demand": demand,
            "endorsements": demand.endorsements.count(),
            "amendments": demand.amendments.count(),
        },
    )
