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
from demands.models import Demand

from .. import reminders
from ..forms import ActionForm, EvaluationForm
from ..models import Action, Evaluation, Reminder
from .scoping import (
    campaign_for_leader,
    editable_action,
    in_local_time,
    partner_organisation,
    use_time_zone,
    visible_action,
)


@in_local_time
@login_required
@require_GET
def action_list(request):
    roles = roles_for(request.user)
    if roles.memberships:
        use_time_zone(roles.memberships[0].local)
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


@in_local_time
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
    if can_edit:
        participations = action.participations.all()
        context.update(
            coming=participations.filter(coming=True).count(),
            attended=participations.filter(attended=True).count(),
            rsvps=list(action.rsvps.select_related("organisation")),
            reminder_counts=[
                (Reminder.Status(status).label, n)
                for status, n in action.reminders.values_list("status")
                .annotate(n=Count("pk"))
                .order_by("status")
            ],
        )
    return render(request, "actions/action_detail.html", context)


@in_local_time
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
            reminders.plan_action(action)
            action.public_changed()
        messages.success(request, _("Action scheduled; reminders are planned."))
        return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "campaign": campaign, "has_tactics": campaign.tactics.exists()},
    )


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = editable_action(request, pk)
    if action.is_cancelled:
        messages.error(request, _("A cancelled action cannot be changed."))
        return redirect(action)
    was_public = action.is_public
    form = ActionForm(request.POST or None, instance=action, campaign=action.campaign)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            action = form.save()
            # New time, buildings or partners: the pending reminders are planned again.
            reminders.replan_action(action)
            action.public_changed(was_public=was_public)
        messages.success(request, _("Action saved; its pending reminders were planned again."))
        return redirect(action)
    return render(
        request,
        "actions/action_form.html",
        {"form": form, "campaign": action.campaign, "action": action, "has_tactics": True},
    )


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def action_cancel(request, pk):
    action = editable_action(request, pk)
    if request.method == "POST":
        action.cancel(by=request.user)
        messages.success(
            request, _("Action cancelled. Everyone who had been reminded gets one notice.")
        )
        return redirect(action)
    return render(request, "actions/action_cancel.html", {"action": action})


@in_local_time
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
        with transaction.atomic():
            evaluation = form.save(commit=False)
            evaluation.action = action
            evaluation.evaluated_by = request.user
            evaluation.save()
            Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
        messages.success(request, _("Evaluation saved."))
        return redirect(action)
    return render(request, "actions/action_evaluate.html", {"action": action, "form": form})
