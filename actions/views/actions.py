"""Actions: the list, one action, scheduling, editing, cancelling and evaluating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import roles_for
from campaigns.models import Campaign
from campaigns.versioning import EditConflict, merge_page
from campaigns.zones import shows
from demands.models import Demand

from .. import reminders
from ..forms import ActionForm, CancelActionForm, EvaluationForm
from ..models import Action, Evaluation, Reminder
from .scoping import (
    campaign_for_leader,
    editable_action,
    partner_organisation,
    visible_action,
)


@login_required
@require_GET
def action_list(request):
    roles = roles_for(request.user)
    past = request.GET.get("when") == "past"
    now = timezone.now()
    actions = Action.objects.visible_to(request.user).select_related("campaign", "tactic")
    if past:
        actions = actions.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        actions = actions.filter(ends_at__gte=now).order_by("starts_at")
    page = Paginator(actions, 25).get_page(request.GET.get("page"))
    led = list(Campaign.objects.led_by(request.user)) if roles.is_leader else []
    return render(
        request, "actions/action_list.html", {"page": page, "past": past, "led_campaigns": led}
    )


@shows(Action)
@login_required
@require_GET
def action_detail(request, pk):
    action = visible_action(request, pk)
    roles = roles_for(request.user)
    can_edit = action.can_edit(request.user)
    is_steward = action.campaign.local_id in roles.stewarded_local_ids
    # Partners see what they need to take part; the power map and evaluations stay internal.
    internal = can_edit or is_steward
    context = {
        "action": action,
        "can_edit": can_edit,
        "internal": internal,
        "buildings": list(action.buildings.all()),
        "demands": list(Demand.objects.visible_to(request.user).filter(actions=action)),
        "organisations": list(action.invited_organisations.all()),
        "evaluation": Evaluation.objects.filter(action=action).first() if internal else None,
        "is_steward": is_steward,
        "partner_can_rsvp": partner_organisation(request, action) is not None,
    }
    if internal:
        # Stewards bring people too, so they see who signed up; how to reach a person only
        # if that person agreed to be contacted (leaders see every contact).
        rsvps = list(action.rsvps.select_related("organisation"))
        for rsvp in rsvps:
            rsvp.contact_shown = can_edit or rsvp.contact_shown_to_stewards()
        context["rsvps"] = rsvps
    if can_edit:
        participations = action.participations.all()
        context.update(
            coming=participations.filter(coming=True).count(),
            attended=participations.filter(attended=True).count(),
            reminder_counts=[
                (Reminder.Status(status).label, n)
                for status, n in action.reminders.values_list("status")
                .annotate(n=Count("pk"))
                .order_by("status")
            ],
        )
    return render(request, "actions/action_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, slug):
    campaign = campaign_for_leader(request, slug)
    form = ActionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            action = form.save(commit=False)
            action.campaign = campaign
            action.created_by = request.user
            action.save()
            form.save_m2m()
            action.record_level()
            reminders.plan_action(action)
            action.public_changed()
        if action.has_started:
            messages.success(request, _("Past action recorded; no reminders were sent."))
        else:
            messages.success(request, _("Action scheduled; reminders are planned."))
        return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "campaign": campaign, "has_tactics": campaign.tactics.exists()},
    )


@shows(Action)
@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = editable_action(request, pk)
    if action.is_cancelled:
        messages.error(request, _("A cancelled action cannot be changed."))
        return redirect(action)
    form = ActionForm(request.POST or None, instance=action, campaign=action.campaign)
    context = {"campaign": action.campaign, "action": action, "has_tactics": True}
    if request.method == "POST" and form.is_valid():
        try:
            moved = action.change(
                expected_version=form.expected_version,
                by=request.user,
                reason=form.cleaned_data.get("change_reason", ""),
                **form.changes(),
            )
        except EditConflict as conflict:
            return merge_page(
                request,
                form,
                conflict.current,
                template="actions/action_form.html",
                context=context,
            )
        if moved and not action.has_started:
            messages.success(
                request, _("Action moved; everyone who is coming is told the new time.")
            )
        else:
            messages.success(request, _("Action saved; its pending reminders were planned again."))
        return redirect(action)
    return render(request, "actions/action_form.html", {**context, "form": form})


@shows(Action)
@login_required
@require_http_methods(["GET", "POST"])
def action_cancel(request, pk):
    action = editable_action(request, pk)
    form = CancelActionForm(request.POST or None)
    if request.method == "POST" and not action.is_cancelled and form.is_valid():
        action.cancel(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Action cancelled. Everyone who is coming gets one notice, with your reason."),
        )
        return redirect(action)
    return render(request, "actions/action_cancel.html", {"action": action, "form": form})


@shows(Action)
@login_required
@require_http_methods(["GET", "POST"])
def action_evaluate(request, pk):
    action = editable_action(request, pk)
    if not action.has_started or action.is_cancelled:
        messages.error(request, _("An action can be evaluated once it has taken place."))
        return redirect(action)
    evaluation = Evaluation.objects.filter(action=action).first()
    initial = {}
    if evaluation is None:
        initial["turnout"] = (
            action.participations.filter(attended=True).count() + action.rsvps.count()
        )
    form = EvaluationForm(request.POST or None, instance=evaluation, initial=initial)
    if request.method == "POST" and form.is_valid():
        # Two leaders evaluating at once: the second gets the merge page, not a crash.
        try:
            with transaction.atomic():
                Evaluation.create_or_edit(
                    lookup={"action": action},
                    values={name: form.cleaned_data[name] for name in form.versioned_names},
                    changes=form.changes(),
                    by=request.user,
                    expected_version=form.expected_version,
                )
                Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
        except EditConflict as conflict:
            return merge_page(
                request,
                form,
                conflict.current,
                template="actions/action_evaluate.html",
                context={"action": action},
            )
        messages.success(request, _("Evaluation saved."))
        return redirect(action)
    return render(request, "actions/action_evaluate.html", {"action": action, "form": form})
