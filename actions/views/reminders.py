"""Reminder times, failed reminders, and the one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.zones import shows

from .. import digest as digest_module
from .. import reminders
from ..forms import ReminderSettingsForm, format_offsets
from ..models import Action, Reminder, ReminderSettings, Unsubscribe
from .scoping import campaign_for_leader

STEWARD_MATCHES = 20


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request, slug):
    campaign = campaign_for_leader(request, slug)
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


@shows(Reminder)
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
            else [
                Reminder.Kind.REMINDER,
                Reminder.Kind.CANCELLATION,
                Reminder.Kind.CONFIRMATION,
                Reminder.Kind.MOVED,
            ]
        ).update(status=Reminder.Status.CANCELLED, last_error=_("The recipient unsubscribed."))
        return render(request, "actions/unsubscribed.html", {"label": label, "done": True})
    return render(
        request, "actions/unsubscribed.html", {"label": label, "done": False, "token": token}
    )


@login_required
@require_http_methods(["GET", "POST"])
def digest(request, slug):
    """The weekly steward digest: a preview of one steward's, and "send now" for all of them,
    which writes the same rows as the Monday run, so nobody gets two in one week."""
    campaign = campaign_for_leader(request, slug)
    local = campaign.local
    stewards = digest_module.stewards_of(local)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            return redirect(reverse("actions:digest", args=[campaign.slug]) + "?send=1")
        with transaction.atomic():
            planned = digest_module.plan_digest(local, campaign=campaign)
            if planned:
                reminders.send_soon()
        already = stewards.count() - planned
        if planned:
            messages.success(
                request,
                ngettext(
                    "This week's digest is on its way to %(n)s steward.",
                    "This week's digest is on its way to %(n)s stewards.",
                    planned,
                )
                % {"n": planned},
            )
        if already:
            messages.info(
                request,
                ngettext(
                    "%(n)s steward already had this week's digest and gets no second one.",
                    "%(n)s stewards already had this week's digest and get no second one.",
                    already,
                )
                % {"n": already},
            )
        return redirect("actions:digest", slug=campaign.slug)
    # A local can have thousands of stewards: the page finds one by name or email and shows
    # a bounded list of matches, never a list of them all.
    search = request.GET.get("q", "").strip()
    matches = stewards
    if search:
        matches = matches.filter(
            Q(user__email__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
        )
    matches = list(matches[:STEWARD_MATCHES])
    steward_id = request.GET.get("steward", "")
    chosen = (stewards.filter(user_id=steward_id).first() if steward_id.isdigit() else None) or (
        matches[0] if matches else None
    )
    preview = None
    if chosen is not None:
        draft = digest_module.digest_for(local, chosen.user, campaign=campaign)
        message = reminders.build_message(draft)
        # The steward's own unsubscribe link is theirs alone, so the preview leaves it out.
        own_link = reminders.unsubscribe_url(draft.recipient_email, draft.stream)
        body = message.body.replace(own_link, _("(the steward's own unsubscribe link)"))
        preview = {"subject": message.subject, "body": body}
    return render(
        request,
        "actions/digest.html",
        {
            "campaign": campaign,
            "steward_count": stewards.count(),
            "matches": matches,
            "search": search,
            "chosen": chosen,
            "preview": preview,
            "confirming": request.GET.get("send") == "1",
            "sent_this_week": digest_module.sent_this_week(local),
        },
    )
