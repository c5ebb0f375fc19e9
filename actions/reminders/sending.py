"""Sending claimed reminders exactly once: claim, hand off, mark (see the package's docstring)."""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Action, Reminder, Unsubscribe
from ..models.reminder import COMPOSED_BY_MODEL
from .composing import Batch, build_message, event_of

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)
HANDOFF_CHUNK = 50


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "REMINDER_LEASE_SECONDS", 300))


def batch_size() -> int:
    return getattr(settings, "REMINDER_BATCH_SIZE", 200)


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


def _skip_reason(reminder: Reminder, unsubscribed: set, now, batch: Batch) -> str:
    if reminder.kind == Reminder.Kind.INVITATION:
        from accounts.invitations import why_not_send

        return why_not_send(reminder)
    if reminder.kind in COMPOSED_BY_MODEL:
        # A message the person asked for (a confirmation link) is not a stream to leave.
        return apps.get_model(reminder.event_label).outbox_skip_reason(reminder)
    if (reminder.recipient_email, reminder.stream) in unsubscribed:
        return _("The recipient unsubscribed.")
    if reminder.kind in {Reminder.Kind.REMINDER, Reminder.Kind.CONFIRMATION}:
        event = event_of(reminder, batch)
        if event is None or getattr(event, "is_cancelled", False):
            return _("The event was cancelled.")
        if event.starts_at <= now:
            return _("The event had already started.")
        # A decision request stops reminding an organisation once it has answered.
        still_reminds = getattr(event, "still_reminds", None)
        if still_reminds is not None and not still_reminds(reminder.user_id):
            return _("Their organisation has already answered.")
    return ""


def send_claimed(token: str) -> int:
    """Send the reminders claimed under ``token``; returns how many went out."""
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
    batch = Batch()
    # A backend that can say what went out lets a worker taking over resolve a whole
    # interrupted batch, so the batch is handed off at once (three commits per batch). With
    # one that cannot (SMTP), small chunks keep the "may have gone out" set small.
    chunk = len(rows) if hasattr(backend, "was_delivered") else HANDOFF_CHUNK
    sent = 0
    backend.open()
    try:
        for start in range(0, len(rows), chunk):
            sent += _send_chunk(
                backend, rows[start : start + chunk], token, unsubscribed, now, batch
            )
    finally:
        backend.close()
    return sent


def _send_chunk(backend, chunk, token: str, unsubscribed: set, now, batch: Batch) -> int:
    ready = []
    for reminder in chunk:
        reason = _skip_reason(reminder, unsubscribed, now, batch)
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
            ready.append((reminder, build_message(reminder, batch)))
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
