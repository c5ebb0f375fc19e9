"""Reminders: planned with the change that causes them, sent exactly once.

Planning
--------
``plan_reminders(event, recipients)`` works on any object with ``pk``, ``starts_at``,
``title`` and ``campaign_id`` (an action today, a bargaining session later): it writes one
``Reminder`` row per recipient and offset. Callers run it inside the transaction that creates
or changes the event, so a reminder exists if and only if the change was committed. Each row
has a unique ``key`` (event, start time, offset, recipient), so planning twice is harmless, and
rescheduling (``replan_reminders``) drops the pending rows and plans under the new start time
while the reminders already sent stay sent.

Sending: claim, hand off, mark
------------------------------
A row moves ``pending → sending → sent``, or back to ``pending`` after a failure (with
exponential back-off), or to ``failed`` after the last attempt, or to ``cancelled``.

1. **Claim.** One short transaction selects due rows with ``SELECT … FOR UPDATE SKIP LOCKED``
   and sets ``status=sending``, a random ``claim_token`` and a lease (``lease_until``). Two
   workers never claim the same row: the second skips rows the first has locked and, once the
   first commits, the rows no longer match. (SQLite has no row locks; its write transactions
   are serialised, which gives the same result.) The broker carries no reminder ids at all: a
   task only says "look for due work", so a lost, repeated or retried task message changes
   nothing.
2. **Hand off.** Before giving a chunk of messages to the mail backend, the worker stamps
   ``handoff_at`` on the rows it still owns (same claim token), in its own transaction.
3. **Mark.** After the backend accepted a message, the row becomes ``sent`` — only if the claim
   token is still ours.

A worker killed at any point leaves each of its rows in one of these states:

- still ``pending`` (killed before the claim committed): sent by the next run;
- ``sending`` with no ``handoff_at`` (killed before handing off): provably not sent; when the
  lease runs out another worker reclaims it and sends it;
- ``sending`` with ``handoff_at`` (killed during the hand-off, a window of one chunk): the
  outcome is unknown, so the reclaiming worker asks the mail backend whether a message with
  that reminder's fixed Message-ID went out (``was_delivered``). Backends that keep a record
  (the sent log used in tests and benchmarks, Django's locmem) answer, and the row is marked
  sent or sent now. Backends that cannot tell (SMTP) get the row marked ``failed`` with an
  explanation, for a leader to look at: we prefer a visible "maybe" to a second message.
- ``sent``.

So nothing is sent twice, and nothing is silently lost. This rests on one assumption: a
worker hands a chunk over well within its lease (five minutes by default, renewed at each
hand-off; a chunk is 50 messages, or the whole batch when the backend can say what went out),
so a lease only runs out on a worker that stopped. The
Message-ID is the same on every attempt, which also lets a receiving server drop a duplicate.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import mail, signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from campaigns.zones import local_time
from config.enqueue import enqueue

from .models import Action, Participation, Reminder, ReminderSettings, Rsvp, Unsubscribe

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)
HANDOFF_CHUNK = 50
UNSUBSCRIBE_SALT = "actions.unsubscribe"
RSVP_CANCEL_SALT = "actions.rsvp-cancel"


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "REMINDER_LEASE_SECONDS", 300))


def batch_size() -> int:
    return getattr(settings, "REMINDER_BATCH_SIZE", 200)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    reason: str
    user_id: int | None = None
    rsvp_id: int | None = None


# --- planning ---------------------------------------------------------------------------------


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
        .values_list("recipient_email", "recipient_name", "reason", "user_id", "rsvp_id")
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
    from .tasks import send_due_reminders

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
        reason = _("you are a steward of a building taking part")
    else:
        reason = _("you are a steward and this action involves the whole campaign")
    for membership in stewards:
        user = membership.user
        add(Recipient(user.email, user.display_name, reason, user_id=user.pk))
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
                _("%(organisation)s is invited to this action")
                % {"organisation": membership.organisation.name},
                user_id=user.pk,
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
            people.append(
                Recipient(email, member.name, _("you said you are coming to this action"))
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
                _("%(organisation)s is invited to this action")
                % {"organisation": contact.organisation.name},
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
        reason = _("%(organisation)s signed you up for this action") % {
            "organisation": rsvp.organisation.name
        }
    else:
        reason = _("you said you are coming to this action")
    return Recipient(rsvp.email, rsvp.name, reason, rsvp_id=rsvp.pk)


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


# --- sending -------------------------------------------------------------------------------------


@functools.lru_cache
def _unsubscribe_key(secret: str) -> bytes:
    return hashlib.sha256(f"{UNSUBSCRIBE_SALT}:{secret}".encode()).digest()


def _unsubscribe_mac(value: str) -> str:
    key = _unsubscribe_key(settings.SECRET_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def unsubscribe_token(email: str, stream: str) -> str:
    """A link token naming the address and the stream, signed so it cannot be forged. It is
    computed for every message sent, so it is a plain HMAC rather than Django's signing."""
    value = base64.urlsafe_b64encode(f"{stream}:{email.lower()}".encode()).decode().rstrip("=")
    return f"{value}.{_unsubscribe_mac(value)}"


def read_unsubscribe_token(token: str) -> tuple[str, str] | None:
    value, _dot, mac = token.partition(".")
    if not mac or not hmac.compare_digest(mac, _unsubscribe_mac(value)):
        return None
    try:
        stream, _colon, email = (
            base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode().partition(":")
        )
    except (ValueError, UnicodeDecodeError):
        return None
    if stream not in Unsubscribe.Stream.values or not email:
        return None
    return email, stream


TEMPLATES = {
    Reminder.Kind.REMINDER: "actions/emails/reminder",
    Reminder.Kind.CANCELLATION: "actions/emails/cancelled",
    Reminder.Kind.DIGEST: "actions/emails/digest",
    Reminder.Kind.CONFIRMATION: "actions/emails/confirmation",
    Reminder.Kind.MOVED: "actions/emails/moved",
}


# Stand-ins for the recipient's details: a reminder's text is rendered once per event, kind
# and offset, and each copy gets its recipient's name, reason and unsubscribe link filled in.
# Rendering 36,000 templates would otherwise cost more than everything else together.
_SLOTS = {
    "name": "\ue000name\ue001",
    "email": "\ue000email\ue001",
    "reason": "\ue000reason\ue001",
    "unsubscribe": "\ue000unsubscribe\ue001",
    "cancel": "\ue000cancel\ue001",
}
_rendered: dict[tuple, tuple[str, str, str]] = {}


def _render(name: str, context: dict, local) -> tuple[str, str, str]:
    zone = local_time(local) if local is not None else contextlib.nullcontext()
    with translation.override(settings.LANGUAGE_CODE), zone:
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        text = render_to_string(f"{name}_body.txt", context)
        html = render_to_string(f"{name}_body.html", context)
    return subject, text, html


_events: dict[tuple[str, int], object] = {}


def event_of(reminder: Reminder):
    """The event a reminder is about: its action, or any object with ``title``, ``starts_at``
    and ``campaign`` named by ``event_label``/``event_id`` (a bargaining session, say)."""
    if reminder.action_id is not None:
        return reminder.action
    if not reminder.event_label or reminder.event_id is None:
        return None
    key = (reminder.event_label, reminder.event_id)
    if key not in _events:
        if len(_events) > 1000:
            _events.clear()
        model = apps.get_model(reminder.event_label)
        _events[key] = (
            model.objects.select_related("campaign__local").filter(pk=reminder.event_id).first()
        )
    return _events[key]


def _event_context(reminder: Reminder) -> dict:
    event = event_of(reminder)
    context = {"event": event, "site_url": settings.SITE_URL}
    if event is not None:
        # Aware datetimes: the templates show them in the local's zone, which build_message
        # makes the active one.
        context["starts_at"] = event.starts_at
        context["ends_at"] = getattr(event, "ends_at", None)
    return context


def _local_of(reminder: Reminder):
    event = event_of(reminder)
    if event is not None:
        return event.campaign.local
    if reminder.campaign_id is not None:
        return reminder.campaign.local
    return None


def _fill(text: str, values: dict[str, str], *, html: bool) -> str:
    for slot, value in values.items():
        text = text.replace(_SLOTS[slot], escape(value) if html else value)
    return text


@functools.lru_cache
def _unsubscribe_base(site_url: str) -> str:
    return site_url + reverse("actions:unsubscribe", args=["-"])[:-2]


def unsubscribe_url(email: str, stream: str) -> str:
    return _unsubscribe_base(settings.SITE_URL) + unsubscribe_token(email, stream) + "/"


def build_message(reminder: Reminder) -> EmailMultiAlternatives:
    if reminder.kind == Reminder.Kind.INVITATION:
        # An invitation belongs to a local, not an event; it renders in that local's zone.
        from accounts.invitations import invitation_message

        return invitation_message(reminder)
    with local_time(_local_of(reminder)):
        message = _build_message(reminder)
    if reminder.kind == Reminder.Kind.CONFIRMATION:
        from .ics import calendar_file

        message.attach("action.ics", calendar_file(event_of(reminder)), "text/calendar")
    return message


def _build_message(reminder: Reminder) -> EmailMultiAlternatives:
    unsubscribe_link = unsubscribe_url(reminder.recipient_email, reminder.stream)
    name = TEMPLATES[reminder.kind]
    if reminder.kind == Reminder.Kind.DIGEST:
        context = {"reminder": reminder, "unsubscribe_url": unsubscribe_link}
        from .digest import digest_context

        context.update(_event_context(reminder), **digest_context(reminder))
        subject, text, html = _render(name, context, _local_of(reminder))
    else:
        event = event_of(reminder)
        key = (
            name,
            reminder.event_label,
            event.pk,
            getattr(event, "updated_at", None),
            event.starts_at,
            reminder.offset_minutes,
            reminder.note,
            reminder.previous_starts_at,
        )
        if key not in _rendered:
            if len(_rendered) > 1000:
                _rendered.clear()
            stand_in = {
                "recipient_name": _SLOTS["name"],
                "recipient_email": _SLOTS["email"],
                "reason": _SLOTS["reason"],
                "note": reminder.note,
                "previous_starts_at": reminder.previous_starts_at,
            }
            context = {
                "reminder": stand_in,
                "unsubscribe_url": _SLOTS["unsubscribe"],
                "cancel_url": _SLOTS["cancel"],
            }
            context.update(_event_context(reminder))
            _rendered[key] = _render(name, context, _local_of(reminder))
        subject, text, html = _rendered[key]
        values = {
            "name": reminder.recipient_name or reminder.recipient_email,
            "email": reminder.recipient_email,
            "reason": reminder.reason,
            "unsubscribe": unsubscribe_link,
        }
        if reminder.kind == Reminder.Kind.CONFIRMATION:
            values["cancel"] = rsvp_cancel_url(reminder.rsvp_id) if reminder.rsvp_id else ""
        text, html = _fill(text, values, html=False), _fill(html, values, html=True)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[reminder.recipient_email],
        headers={
            "Message-ID": reminder.message_id,
            "List-Unsubscribe": f"<{unsubscribe_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-Common-Good-Reminder": reminder.key,
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def was_delivered(backend, message_id: str) -> bool | None:
    """Ask the mail backend whether a message went out: True, False, or None if it cannot say."""
    check = getattr(backend, "was_delivered", None)
    if check is not None:
        return check(message_id)
    if settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend":
        return any(m.extra_headers.get("Message-ID") == message_id for m in mail.outbox)
    return None


def _due_filter(now) -> Q:
    return Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Reminder.Status.SENDING, lease_until__lt=now
    )


def claim(limit: int | None = None, now=None) -> str | None:
    """Claim a batch of due reminders for this worker; returns the claim token, or None."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    limit = limit or batch_size()
    with transaction.atomic():
        # Two queries, each served by its partial index: claims whose worker stopped first,
        # then pending reminders in the order they fell due.
        expired = Reminder.objects.filter(status=Reminder.Status.SENDING, lease_until__lt=now)
        pending = Reminder.objects.filter(
            status=Reminder.Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            expired = expired.select_for_update(skip_locked=True)
            pending = pending.select_for_update(skip_locked=True)
        ids = list(expired.values_list("pk", flat=True)[:limit])
        if len(ids) < limit:
            ids += list(pending.values_list("pk", flat=True)[: limit - len(ids)])
        if not ids:
            return None
        Reminder.objects.filter(Q(pk__in=ids) & _due_filter(now)).update(
            status=Reminder.Status.SENDING,
            claim_token=token,
            lease_until=now + lease(),
            attempts=F("attempts") + 1,
        )
    return token


def _finish(reminder: Reminder, token: str, status: str, error: str = "") -> None:
    Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(
        status=status,
        last_error=error,
        sent_at=timezone.now() if status == Reminder.Status.SENT else None,
        lease_until=None,
    )


def _failed(reminder: Reminder, token: str, error: str) -> None:
    if reminder.attempts >= MAX_ATTEMPTS:
        _finish(reminder, token, Reminder.Status.FAILED, error)
        return
    delay = BACKOFF_BASE * (2 ** (reminder.attempts - 1))
    Reminder.objects.filter(pk=reminder.pk, claim_token=token).update(
        status=Reminder.Status.PENDING,
        next_attempt_at=timezone.now() + delay,
        handoff_at=None,
        lease_until=None,
        last_error=error,
    )


def _skip_reason(reminder: Reminder, unsubscribed: set, now) -> str:
    if reminder.kind == Reminder.Kind.INVITATION:
        from accounts.invitations import why_not_send

        return why_not_send(reminder)
    if (reminder.recipient_email, reminder.stream) in unsubscribed:
        return _("The recipient unsubscribed.")
    if reminder.kind in {Reminder.Kind.REMINDER, Reminder.Kind.CONFIRMATION}:
        event = event_of(reminder)
        if event is None or getattr(event, "is_cancelled", False):
            return _("The event was cancelled.")
        if event.starts_at <= now:
            return _("The event had already started.")
    return ""


def send_claimed(token: str) -> int:
    """Send the reminders claimed under ``token``; returns how many went out."""
    _events.clear()  # look events up afresh: one may have been cancelled since the last batch
    now = timezone.now()
    rows = list(
        Reminder.objects.filter(claim_token=token, status=Reminder.Status.SENDING).order_by("pk")
    )
    if not rows:
        return 0
    # A batch is mostly about a few events: load each once rather than join it to every row.
    actions = Action.objects.select_related("campaign__local").in_bulk(
        {r.action_id for r in rows if r.action_id}
    )
    for reminder in rows:
        if reminder.action_id:
            reminder.action = actions.get(reminder.action_id)
    unsubscribed = set(
        Unsubscribe.objects.filter(email__in={r.recipient_email for r in rows}).values_list(
            "email", "stream"
        )
    )
    backend = get_connection()
    # A backend that can say what went out lets a worker taking over resolve a whole
    # interrupted batch, so the batch is handed off at once (three commits per batch). With
    # one that cannot (SMTP), small chunks keep the "may have gone out" set small.
    chunk = len(rows) if hasattr(backend, "was_delivered") else HANDOFF_CHUNK
    sent = 0
    backend.open()
    try:
        for start in range(0, len(rows), chunk):
            sent += _send_chunk(backend, rows[start : start + chunk], token, unsubscribed, now)
    finally:
        backend.close()
    return sent


def _send_chunk(backend, chunk, token: str, unsubscribed: set, now) -> int:
    ready = []
    for reminder in chunk:
        reason = _skip_reason(reminder, unsubscribed, now)
        if reason:
            _finish(reminder, token, Reminder.Status.CANCELLED, reason)
            continue
        if reminder.handoff_at is not None:
            # An earlier worker stopped while handing this one to the mail backend.
            delivered = was_delivered(backend, reminder.message_id)
            if delivered:
                _finish(reminder, token, Reminder.Status.SENT)
                continue
            if delivered is None:
                _finish(
                    reminder,
                    token,
                    Reminder.Status.FAILED,
                    _(
                        "Sending was interrupted and the mail server cannot tell whether this "
                        "message went out, so it was not sent again."
                    ),
                )
                continue
        try:
            ready.append((reminder, build_message(reminder)))
        except Exception as error:  # a template or data problem: retry later, then fail
            logger.exception("could not build reminder %s", reminder.pk)
            _failed(reminder, token, repr(error))
    if not ready:
        return 0
    # One statement stamps the hand-off on the rows this worker still owns. When fewer rows
    # match than were asked for (a lease ran out and another worker took some), look up which.
    stamp = timezone.now()
    wanted = [r.pk for r, _m in ready]
    stamped = Reminder.objects.filter(
        pk__in=wanted, claim_token=token, status=Reminder.Status.SENDING
    ).update(handoff_at=stamp, lease_until=stamp + lease())
    if stamped == len(wanted):
        owned_ids = set(wanted)
    else:
        owned_ids = set(
            Reminder.objects.filter(pk__in=wanted, claim_token=token, handoff_at=stamp).values_list(
                "pk", flat=True
            )
        )
    done = []
    for reminder, message in ready:
        if reminder.pk not in owned_ids:
            continue
        try:
            backend.send_messages([message])
        except Exception as error:
            logger.warning("reminder %s failed: %r", reminder.pk, error)
            _failed(reminder, token, repr(error))
        else:
            done.append(reminder.pk)
    Reminder.objects.filter(pk__in=done, claim_token=token).update(
        status=Reminder.Status.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return len(done)


def send_due(*, time_budget: float = 50.0) -> int:
    """Claim and send due reminders until none are left or the time budget is spent."""
    sent = 0
    deadline = time.monotonic() + time_budget
    while time.monotonic() < deadline:
        token = claim()
        if token is None:
            break
        sent += send_claimed(token)
    return sent
