from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import roles_for
from campaigns.models import Campaign, Member
from demands.models import Demand

from . import ladder as ladder_module
from . import reminders
from .forms import (
    ActionForm,
    EvaluationForm,
    PartnerRsvpForm,
    PublicRsvpForm,
    ReminderSettingsForm,
    TacticForm,
    format_offsets,
)
from .models import (
    Action,
    CalendarFeed,
    Evaluation,
    Participation,
    Reminder,
    ReminderSettings,
    Rsvp,
    Tactic,
    Unsubscribe,
)

RSVP_LIMIT_PER_IP = (10, 60 * 60)  # ten answers an hour from one address
RSVP_LIMIT_PER_EMAIL = (3, 60 * 60)  # three an hour for one email


# --- helpers ------------------------------------------------------------------------------------


def in_local_time(view):
    """Show and read times in the local's time zone (set by the view once it knows the local),
    and forget it when the request ends."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        finally:
            timezone.deactivate()

    return wrapper


def _use_time_zone(local) -> None:
    timezone.activate(ZoneInfo(local.timezone))


def _campaign_for_leader(request, slug) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("local"), slug=slug
    )
    if not roles_for(request.user).leads(campaign.local_id):
        raise PermissionDenied
    _use_time_zone(campaign.local)
    return campaign


def _action(request, pk) -> Action:
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related(
            "campaign__local", "tactic", "target"
        ),
        pk=pk,
    )
    _use_time_zone(action.campaign.local)
    return action


def _editable_action(request, pk) -> Action:
    action = _action(request, pk)
    if not action.can_edit(request.user):
        raise PermissionDenied
    return action


# --- actions -------------------------------------------------------------------------------------


@in_local_time
@login_required
@require_GET
def action_list(request):
    roles = roles_for(request.user)
    if roles.memberships:
        _use_time_zone(roles.memberships[0].local)
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
    action = _action(request, pk)
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
        "partner_can_rsvp": _partner_organisation(request, action) is not None,
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
    campaign = _campaign_for_leader(request, slug)
    form = ActionForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            action = form.save(commit=False)
            action.campaign = campaign
            action.created_by = request.user
            action.save()
            form.save_m2m()
            reminders.plan_action(action)
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
    action = _editable_action(request, pk)
    if action.is_cancelled:
        messages.error(request, _("A cancelled action cannot be changed."))
        return redirect(action)
    form = ActionForm(request.POST or None, instance=action, campaign=action.campaign)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            action = form.save()
            # New time, buildings or partners: the pending reminders are planned again.
            reminders.replan_action(action)
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
    action = _editable_action(request, pk)
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
    action = _editable_action(request, pk)
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


# --- participation -------------------------------------------------------------------------------


def _members_for(request, action: Action):
    members = Member.objects.visible_to(request.user).current().filter(local=action.campaign.local)
    building_ids = list(action.buildings.values_list("pk", flat=True))
    if building_ids:
        members = members.filter(building_id__in=building_ids)
    return members.select_related("building").order_by("building__name", "last_name", "first_name")


def _participation_allowed(request, action: Action) -> None:
    roles = roles_for(request.user)
    local_id = action.campaign.local_id
    if not (roles.leads(local_id) or local_id in roles.stewarded_local_ids):
        raise PermissionDenied
    if action.is_cancelled:
        raise PermissionDenied


@in_local_time
@login_required
@require_GET
def participation(request, pk):
    action = _action(request, pk)
    _participation_allowed(request, action)
    page = Paginator(_members_for(request, action), 100).get_page(request.GET.get("page"))
    records = {
        p.member_id: p
        for p in Participation.objects.filter(action=action, member__in=list(page.object_list))
    }
    rows = [(member, records.get(member.pk)) for member in page.object_list]
    return render(
        request,
        "actions/participation.html",
        {"action": action, "page": page, "rows": rows, "after": action.has_started},
    )


@in_local_time
@login_required
@require_POST
def participation_mark(request, pk, member_pk):
    action = _action(request, pk)
    _participation_allowed(request, action)
    member = get_object_or_404(_members_for(request, action), pk=member_pk)
    field = request.POST.get("field")
    if field not in {"coming", "attended"}:
        return HttpResponse(_("Unknown field."), status=400)
    value = request.POST.get("value") == "1"
    record, _created = Participation.objects.get_or_create(action=action, member=member)
    setattr(record, field, value)
    if field == "attended" and value:
        record.coming = True
    record.recorded_by = request.user
    record.save()
    if request.htmx:
        return render(
            request,
            "actions/participation.html#member-row",
            {"action": action, "member": member, "record": record, "announce": True},
        )
    messages.success(request, _("Saved for %(name)s.") % {"name": member.name})
    return redirect(reverse("actions:participation", args=[action.pk]) + f"#member-{member.pk}")


def _partner_organisation(request, action: Action):
    """The partner's organisation if it may sign people up for this action."""
    roles = roles_for(request.user)
    if not roles.organisation_ids or action.is_cancelled:
        return None
    for membership in roles.memberships:
        if membership.organisation_id and membership.local_id == action.campaign.local_id:
            invited = action.invited_organisations.filter(pk=membership.organisation_id).exists()
            if invited or action.is_public:
                return membership.organisation
    return None


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def partner_rsvp(request, pk):
    action = _action(request, pk)
    organisation = _partner_organisation(request, action)
    if organisation is None:
        raise PermissionDenied
    form = PartnerRsvpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        Rsvp.objects.bulk_create(
            Rsvp(
                action=action,
                source=Rsvp.Source.PARTNER,
                name=name,
                organisation=organisation,
                added_by=request.user,
            )
            for name in form.cleaned_data["names"]
        )
        messages.success(request, _("Your people are on the list."))
        return redirect("actions:partner_rsvp", pk=action.pk)
    ours = action.rsvps.filter(organisation=organisation)
    return render(
        request,
        "actions/partner_rsvp.html",
        {"action": action, "organisation": organisation, "form": form, "ours": ours},
    )


@in_local_time
@login_required
@require_POST
def partner_rsvp_remove(request, pk, rsvp_pk):
    action = _action(request, pk)
    organisation = _partner_organisation(request, action)
    if organisation is None:
        raise PermissionDenied
    rsvp = get_object_or_404(action.rsvps.filter(organisation=organisation), pk=rsvp_pk)
    rsvp.delete()
    messages.success(request, _("%(name)s was taken off the list.") % {"name": rsvp.name})
    return redirect("actions:partner_rsvp", pk=action.pk)


# --- the public RSVP form ------------------------------------------------------------------------


def _client_ip(request) -> str:
    """The visitor's address. Behind a reverse proxy every request comes from the proxy, so a
    deployment that has one sets USE_X_FORWARDED_FOR and the address the proxy saw is used
    (the last one in the header: earlier ones are whatever the client claimed)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and getattr(settings, "USE_X_FORWARDED_FOR", False):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _over_limit(key: str, limit: tuple[int, int]) -> bool:
    """Count one more attempt under ``key``; True once the limit for the window is passed."""
    allowed, window = limit
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        count = 1
    return count > allowed


def _hashed(value: str) -> str:
    return hashlib.sha256(value.lower().encode()).hexdigest()[:32]


@in_local_time
@require_http_methods(["GET", "POST"])
def public_rsvp(request, pk):
    action = get_object_or_404(
        Action.objects.public()
        .filter(ends_at__gte=timezone.now())
        .select_related("campaign__local"),
        pk=pk,
    )
    _use_time_zone(action.campaign.local)
    if request.GET.get("thanks") and request.method == "GET":
        return render(request, "actions/rsvp_thanks.html", {"action": action})
    form = PublicRsvpForm(request.POST or None, action_pk=action.pk)
    status = 200
    if request.method == "POST":
        ip_key = f"rsvp:ip:{_hashed(_client_ip(request))}"
        if _over_limit(ip_key, RSVP_LIMIT_PER_IP):
            form.is_valid()
            form.add_error(
                None, _("Too many answers from your connection. Please try again in an hour.")
            )
            status = 429
        elif form.is_valid():
            email = form.cleaned_data["email"].lower()
            if _over_limit(f"rsvp:email:{_hashed(email)}", RSVP_LIMIT_PER_EMAIL):
                form.add_error(
                    None, _("Too many answers for this email. Please try again in an hour.")
                )
                status = 429
            else:
                _save_public_rsvp(action, form.cleaned_data, email)
                # The same answer whether or not the address was already on the list.
                return redirect(reverse("actions:rsvp", args=[action.pk]) + "?thanks=1")
        else:
            status = 400
    return render(request, "actions/rsvp.html", {"action": action, "form": form}, status=status)


def _save_public_rsvp(action: Action, data: dict, email: str) -> None:
    with transaction.atomic():
        rsvp, created = Rsvp.objects.get_or_create(
            action=action,
            source=Rsvp.Source.PUBLIC,
            email=email,
            defaults={
                "name": data["name"],
                "phone": data["phone"],
                "consent_to_contact": data["consent"],
            },
        )
        if created:
            reminders.plan_for_rsvp(rsvp)


# --- the ladder and its tactics ------------------------------------------------------------------


@in_local_time
@login_required
@require_GET
def ladder(request, slug):
    campaign = _campaign_for_leader(request, slug)
    return render(
        request,
        "actions/ladder.html",
        {"campaign": campaign, "ladder": ladder_module.build(campaign)},
    )


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def tactics(request, slug):
    campaign = _campaign_for_leader(request, slug)
    form = TacticForm(request.POST or None, campaign=campaign)
    if request.method == "POST":
        if request.POST.get("start") == "toolkit":
            Tactic.start_ladder(campaign)
            messages.success(request, _("The toolkit's ladder is ready to edit."))
            return redirect("actions:tactics", slug=campaign.slug)
        if form.is_valid():
            Tactic.append(campaign, form.cleaned_data["name"], form.cleaned_data["description"])
            messages.success(request, _("Tactic added at the top of the ladder."))
            return redirect("actions:tactics", slug=campaign.slug)
    rungs = Tactic.objects.filter(campaign=campaign).annotate(action_count=Count("actions"))
    return render(
        request, "actions/tactics.html", {"campaign": campaign, "form": form, "tactics": rungs}
    )


def _tactic_for_leader(request, pk) -> Tactic:
    tactic = get_object_or_404(
        Tactic.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    if not roles_for(request.user).leads(tactic.campaign.local_id):
        raise PermissionDenied
    return tactic


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def tactic_edit(request, pk):
    tactic = _tactic_for_leader(request, pk)
    form = TacticForm(request.POST or None, instance=tactic, campaign=tactic.campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Tactic saved."))
        return redirect("actions:tactics", slug=tactic.campaign.slug)
    return render(request, "actions/tactic_form.html", {"form": form, "tactic": tactic})


@in_local_time
@login_required
@require_POST
def tactic_move(request, pk):
    tactic = _tactic_for_leader(request, pk)
    up = request.POST.get("direction") == "up"
    if tactic.move(up=up):
        messages.success(
            request,
            _("%(name)s moved to position %(position)s.")
            % {"name": tactic.name, "position": tactic.position},
        )
    return redirect(reverse("actions:tactics", args=[tactic.campaign.slug]) + f"#tactic-{pk}")


@in_local_time
@login_required
@require_POST
def tactic_delete(request, pk):
    tactic = _tactic_for_leader(request, pk)
    if tactic.actions.exists():
        messages.error(request, _("Actions use this tactic; change them first."))
    else:
        with transaction.atomic():
            tactic.delete()
            for number, rung in enumerate(Tactic.objects.filter(campaign=tactic.campaign), 1):
                Tactic.objects.filter(pk=rung.pk).update(position=number)
        messages.success(request, _("Tactic removed from the ladder."))
    return redirect("actions:tactics", slug=tactic.campaign.slug)


# --- reminders -----------------------------------------------------------------------------------


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request, slug):
    campaign = _campaign_for_leader(request, slug)
    current = ReminderSettings.offsets_for(campaign.pk)
    form = ReminderSettingsForm(request.POST or None, initial={"offsets": format_offsets(current)})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            ReminderSettings.objects.update_or_create(
                campaign=campaign, defaults={"offsets": form.cleaned_data["offsets"]}
            )
            upcoming = Action.objects.filter(
                campaign=campaign, status=Action.Status.PLANNED, starts_at__gt=timezone.now()
            )
            for action in upcoming:
                reminders.replan_action(action)
        messages.success(request, _("Reminder times saved; upcoming actions were re-planned."))
        return redirect("actions:reminders", slug=campaign.slug)
    visible = Reminder.objects.visible_to(request.user).filter(campaign=campaign)
    failed = visible.filter(status=Reminder.Status.FAILED).select_related("action")
    page = Paginator(failed.order_by("-due_at"), 50).get_page(request.GET.get("page"))
    counts = dict(visible.values_list("status").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "actions/reminders.html",
        {"campaign": campaign, "form": form, "page": page, "counts": counts},
    )


@in_local_time
@login_required
@require_POST
def reminder_retry(request, pk):
    reminder = get_object_or_404(Reminder.objects.visible_to(request.user), pk=pk)
    reminder.retry()
    messages.success(request, _("The reminder will be sent again."))
    return redirect("actions:reminders", slug=reminder.campaign.slug)


@csrf_exempt  # mail providers post RFC 8058 one-click unsubscribes without a CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = reminders.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    email, stream = found
    label = Unsubscribe.Stream(stream).label
    if request.method == "POST":
        Unsubscribe.objects.get_or_create(email=email, stream=stream)
        Reminder.objects.filter(recipient_email=email, status=Reminder.Status.PENDING).filter(
            kind__in=[Reminder.Kind.DIGEST]
            if stream == Unsubscribe.Stream.DIGEST
            else [Reminder.Kind.REMINDER, Reminder.Kind.CANCELLATION]
        ).update(status=Reminder.Status.CANCELLED, last_error=_("The recipient unsubscribed."))
        return render(request, "actions/unsubscribed.html", {"label": label, "done": True})
    return render(
        request, "actions/unsubscribed.html", {"label": label, "done": False, "token": token}
    )


# --- calendars -----------------------------------------------------------------------------------


@in_local_time
@login_required
@require_http_methods(["GET", "POST"])
def calendar(request):
    if request.method == "POST":
        if request.POST.get("do") == "revoke":
            CalendarFeed.objects.filter(user=request.user).delete()
            messages.success(request, _("Your calendar address no longer works."))
        else:
            token = CalendarFeed.issue(request.user)
            url = settings.SITE_URL + reverse("actions:feed", args=[token])
            request.session["calendar_url"] = url
            messages.success(request, _("Your new calendar address is ready. Any old one stopped."))
        return redirect("actions:calendar")
    return render(
        request,
        "actions/calendar.html",
        {
            "feed": CalendarFeed.objects.filter(user=request.user).first(),
            "url": request.session.pop("calendar_url", None),
        },
    )


@require_GET
def feed(request, token):
    entry = get_object_or_404(
        CalendarFeed.objects.select_related("user").filter(user__is_active=True),
        token_hash=CalendarFeed.hash_token(token),
    )
    CalendarFeed.objects.filter(pk=entry.pk).update(last_used_at=timezone.now())
    actions = (
        Action.objects.concerning(entry.user)
        .filter(starts_at__gte=timezone.now() - timedelta(days=90))
        .select_related("campaign")
        .order_by("starts_at")[:500]
    )
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Common Good//actions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("Common Good: my actions"))
    host = settings.SITE_URL.split("://", 1)[-1]
    for action in actions:
        event = icalendar.Event()
        event.add("uid", f"action-{action.pk}@{host}")
        event.add("summary", action.title)
        event.add("dtstart", action.starts_at)
        event.add("dtend", action.ends_at)
        event.add("dtstamp", action.updated_at)
        if action.place:
            event.add("location", action.place)
        if action.description:
            event.add("description", action.description)
        event.add("url", settings.SITE_URL + action.get_absolute_url())
        event.add("status", "CANCELLED" if action.is_cancelled else "CONFIRMED")
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
