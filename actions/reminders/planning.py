"""Planning reminders and notices: written in the transaction of the change that causes them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.enqueue import enqueue

from ..models import Action, Participation, Reminder, ReminderSettings, Rsvp

RSVP_CANCEL_SALT = "actions.rsvp-cancel"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    reason: str
    user_id: int | None = None
    rsvp_id: int | None = None
    language: str = ""  # a language code; the message is written in it when the site has it


def _translated(language: str, text, **values) -> str:
    """A reason in its reader's language: it is stored with the reminder and printed in it."""
    from accounts.languages import interface_language

    with translation.override(interface_language(language)):
        return str(text) % values if values else str(text)


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:24]


def event_label(event) -> str:
    return event._meta.label_lower


def _told_about(event, stamp: int) -> set[str]:
    """Addresses already told about the event at its present time: a reminder for this start
    time, a confirmation of their RSVP, or a notice of the new time."""
    label = event_label(event)
    rows = Reminder.objects.filter(
        event_label=label,
        event_id=event.pk,
        status__in=[Reminder.Status.PENDING, Reminder.Status.SENDING, Reminder.Status.SENT],
    ).filter(
        Q(kind__in=[Reminder.Kind.CONFIRMATION, Reminder.Kind.MOVED])
        | Q(kind=Reminder.Kind.REMINDER, key__startswith=f"{label}:{event.pk}:{stamp}:")
    )
    return set(rows.values_list("recipient_email", flat=True))


def plan_reminders(event, recipients, *, offsets: list[int] | None = None, now=None) -> int:
    """Write the reminders for an event; offsets (minutes before) already past are skipped.

    An event planned inside the reminder window (tomorrow, when reminders go two days before)
    would otherwise get no reminder at all: then each recipient not yet told about it gets one
    at once instead."""
    now = now or timezone.now()
    if offsets is None:
        offsets = ReminderSettings.offsets_for(event.campaign_id)
    label = event_label(event)
    stamp = int(event.starts_at.timestamp())
    rows = []
    due_times = [(m, event.starts_at - timedelta(minutes=m)) for m in offsets]
    due_times = [(m, due) for m, due in due_times if due > now]
    at_once = not due_times and event.starts_at > now
    told = _told_about(event, stamp) if at_once else set()
    for recipient in recipients:
        email = recipient.email.lower()
        planned = [(str(m), m, due) for m, due in due_times]
        if at_once and email not in told:
            planned = [("now", None, now)]
        for slot, minutes, due in planned:
            rows.append(
                Reminder(
                    key=f"{label}:{event.pk}:{stamp}:{slot}:{_email_hash(email)}",
                    campaign_id=event.campaign_id,
                    action=event if isinstance(event, Action) else None,
                    event_label=label,
                    event_id=event.pk,
                    kind=Reminder.Kind.REMINDER,
                    recipient_email=email,
                    recipient_name=recipient.name,
                    user_id=recipient.user_id,
                    rsvp_id=recipient.rsvp_id,
                    language=recipient.language,
                    reason=recipient.reason[:300],
                    offset_minutes=minutes,
                    due_at=due,
                    next_attempt_at=due,
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    if at_once and rows:
        send_soon()
    return len(rows)


def _pending_for(event) -> models.QuerySet:
    return Reminder.objects.filter(
        event_label=event_label(event),
        event_id=event.pk,
        kind=Reminder.Kind.REMINDER,
        status=Reminder.Status.PENDING,
    )


def replan_reminders(event, recipients) -> int:
    """Drop the event's pending reminders and plan them again (new time, new recipients)."""
    _pending_for(event).delete()
    return plan_reminders(event, recipients)


def _already_reminded(event) -> list[Recipient]:
    rows = (
        Reminder.objects.filter(
            event_label=event_label(event),
            event_id=event.pk,
            kind__in=[Reminder.Kind.REMINDER, Reminder.Kind.CONFIRMATION, Reminder.Kind.MOVED],
            status__in=[Reminder.Status.SENT, Reminder.Status.SENDING],
        )
        .order_by("recipient_email", "due_at")
        .values_list(
            "recipient_email", "recipient_name", "reason", "user_id", "rsvp_id", "language"
        )
    )
    return [Recipient(*row) for row in rows]


def _notices(event, kind: str, recipients, *, slot: str, **values) -> int:
    """One notice of ``kind`` per address among ``recipients``, due now."""
    now = timezone.now()
    label = event_label(event)
    notices, seen = [], set()
    for recipient in recipients:
        email = recipient.email.lower()
        if not email or email in seen:
            continue
        seen.add(email)
        notices.append(
            Reminder(
                key=f"{label}:{event.pk}:{slot}:{_email_hash(email)}",
                campaign_id=event.campaign_id,
                action=event if isinstance(event, Action) else None,
                event_label=label,
                event_id=event.pk,
                kind=kind,
                recipient_email=email,
                recipient_name=recipient.name,
                user_id=recipient.user_id,
                rsvp_id=recipient.rsvp_id,
                language=recipient.language,
                reason=recipient.reason[:300],
                due_at=now,
                next_attempt_at=now,
                **values,
            )
        )
    Reminder.objects.bulk_create(notices, ignore_conflicts=True)
    if notices:
        send_soon()
    return len(notices)


def cancel_event_reminders(event, recipients=(), *, note: str = "") -> int:
    """Cancel pending reminders and plan one cancellation notice for each person: everyone
    already reminded and, while the event is still to come, the ``recipients`` given."""
    _pending_for(event).update(
        status=Reminder.Status.CANCELLED, last_error=_("The event was cancelled.")
    )
    Reminder.objects.filter(
        event_label=event_label(event),
        event_id=event.pk,
        kind=Reminder.Kind.MOVED,
        status=Reminder.Status.PENDING,
    ).update(status=Reminder.Status.CANCELLED, last_error=_("The event was cancelled."))
    everyone = _already_reminded(event)
    if event.starts_at > timezone.now():
        everyone += list(recipients)
    return _notices(event, Reminder.Kind.CANCELLATION, everyone, slot="cancelled", note=note)


def notify_moved(action: Action, *, previous, reason: str = "") -> int:
    """Tell everyone who is coming, once each, that the action has a new time. A notice of an
    earlier move that has not gone out yet is dropped: this one gives the time that holds."""
    if action.is_cancelled or action.starts_at <= timezone.now():
        return 0
    Reminder.objects.filter(
        event_label=event_label(action),
        event_id=action.pk,
        kind=Reminder.Kind.MOVED,
        status=Reminder.Status.PENDING,
    ).update(status=Reminder.Status.CANCELLED, last_error=_("The action was moved again."))
    stamp = int(action.starts_at.timestamp())
    return _notices(
        action,
        Reminder.Kind.MOVED,
        _already_reminded(action) + people_coming(action),
        slot=f"moved:{stamp}",
        note=reason,
        previous_starts_at=previous,
    )


def send_soon() -> None:
    from ..tasks import send_due_reminders

    enqueue(send_due_reminders)


def action_recipients(action: Action) -> list[Recipient]:
    """Everyone an action concerns: people who RSVP'd with an email address, the stewards of
    the buildings involved (every steward for a campaign-wide action), and the people of the
    invited partner organisations."""
    from accounts.models import Membership, Role

    found: dict[str, Recipient] = {}

    def add(recipient: Recipient) -> None:
        found.setdefault(recipient.email.lower(), recipient)

    for rsvp in action.rsvps.exclude(email="").select_related("organisation"):
        add(_rsvp_recipient(rsvp))
    building_ids = list(action.buildings.values_list("pk", flat=True))
    stewards = Membership.objects.filter(
        local_id=action.campaign.local_id, role=Role.STEWARD, user__is_active=True
    ).select_related("user")
    if building_ids:
        stewards = stewards.filter(buildings__in=building_ids).distinct()
        reason = gettext_lazy("you are a steward of a building taking part")
    else:
        reason = gettext_lazy("you are a steward and this action involves the whole campaign")
    for membership in stewards:
        user = membership.user
        add(
            Recipient(
                user.email,
                user.display_name,
                _translated(user.language, reason),
                user_id=user.pk,
                language=user.language,
            )
        )
    partners = Membership.objects.filter(
        role=Role.PARTNER,
        organisation__in=action.invited_organisations.all(),
        user__is_active=True,
    ).select_related("user", "organisation")
    for membership in partners:
        user = membership.user
        add(
            Recipient(
                user.email,
                user.display_name,
                _translated(
                    user.language,
                    gettext_lazy("%(organisation)s is invited to this action"),
                    organisation=membership.organisation.name,
                ),
                user_id=user.pk,
                language=user.language,
            )
        )
    return list(found.values())


def people_coming(action: Action) -> list[Recipient]:
    """Everyone to tell when an action is cancelled or moved: whoever it reminds (RSVPs,
    stewards, invited partners), the members marked coming, and the contacts of the invited
    organisations."""
    from partners.models import Contact

    people = action_recipients(action)
    coming = Participation.objects.filter(action=action, coming=True).select_related("member")
    for participation in coming:
        member = participation.member
        email = member.personal_email or member.work_email
        if email:
            language = member.preferred_language
            reason = gettext_lazy("you said you are coming to this action")
            people.append(
                Recipient(email, member.name, _translated(language, reason), language=language)
            )
    contacts = (
        Contact.objects.filter(organisation__in=action.invited_organisations.all())
        .exclude(email="")
        .select_related("organisation")
    )
    for contact in contacts:
        people.append(
            Recipient(
                contact.email,
                contact.name,
                _translated(
                    contact.language,
                    gettext_lazy("%(organisation)s is invited to this action"),
                    organisation=contact.organisation.name,
                ),
                language=contact.language,
            )
        )
    return people


def plan_action(action: Action) -> int:
    if action.is_cancelled or action.has_started:
        return 0
    return plan_reminders(action, action_recipients(action))


def replan_action(action: Action) -> int:
    if action.is_cancelled:
        return 0
    if action.has_started:
        return _pending_for(action).delete()[0]
    return replan_reminders(action, action_recipients(action))


def cancel_reminders(action: Action) -> int:
    return cancel_event_reminders(action, people_coming(action), note=action.cancel_reason)


def _rsvp_recipient(rsvp: Rsvp) -> Recipient:
    if rsvp.organisation_id:
        reason = _translated(
            rsvp.language,
            gettext_lazy("%(organisation)s signed you up for this action"),
            organisation=rsvp.organisation.name,
        )
    else:
        reason = _translated(rsvp.language, gettext_lazy("you said you are coming to this action"))
    return Recipient(rsvp.email, rsvp.name, reason, rsvp_id=rsvp.pk, language=rsvp.language)


def plan_for_rsvp(rsvp: Rsvp) -> int:
    """A new RSVP's confirmation (sent at once) and reminders; call in the transaction that
    saves the RSVP."""
    if not rsvp.email or rsvp.action.has_started or rsvp.action.is_cancelled:
        return 0
    confirmed = _notices(
        rsvp.action, Reminder.Kind.CONFIRMATION, [_rsvp_recipient(rsvp)], slot=f"rsvp-{rsvp.pk}"
    )
    return confirmed + plan_reminders(rsvp.action, [_rsvp_recipient(rsvp)])


def rsvp_cancel_token(rsvp_id: int) -> str:
    """The token of an RSVP's cancel link: signed, and naming only the RSVP's number."""
    return signing.dumps(rsvp_id, salt=RSVP_CANCEL_SALT)


def read_rsvp_cancel_token(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=RSVP_CANCEL_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def rsvp_cancel_url(rsvp_id: int) -> str:
    return settings.SITE_URL + reverse("actions:rsvp_cancel", args=[rsvp_cancel_token(rsvp_id)])
