"""Sending deliveries exactly once, by the reminders' design (actions/reminders/__init__.py):
claim due rows with ``SKIP LOCKED`` and a lease, stamp the hand-off, mark sent under the claim
token; a worker taking over an interrupted hand-off asks the backend whether the fixed
Message-ID went out, and marks the row failed ("maybe") rather than send it twice."""

from __future__ import annotations

import logging
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.reminders import was_delivered
from config.enqueue import enqueue

from .composing import Batch, build_message
from .models import Broadcast, Delivery, Suppression

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)
HANDOFF_CHUNK = 50


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "REMINDER_LEASE_SECONDS", 300))


def batch_size() -> int:
    return getattr(settings, "BROADCAST_BATCH_SIZE", 500)


def send_soon() -> None:
    """Ask a worker to send what is due, once the current transaction commits."""
    from .tasks import send_due_broadcasts

    enqueue(send_due_broadcasts)


def claim(limit: int | None = None, now=None) -> str | None:
    """Claim a batch of due deliveries for this worker; returns the claim token, or None."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    limit = limit or batch_size()
    due = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        expired = Delivery.objects.filter(status=Delivery.Status.SENDING, lease_until__lt=now)
        pending = Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now
        ).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            expired = expired.select_for_update(skip_locked=True)
            pending = pending.select_for_update(skip_locked=True)
        ids = list(expired.values_list("pk", flat=True)[:limit])
        if len(ids) < limit:
            ids += list(pending.values_list("pk", flat=True)[: limit - len(ids)])
        if not ids:
            return None
        Delivery.objects.filter(Q(pk__in=ids) & due).update(
            status=Delivery.Status.SENDING,
            claim_token=token,
            lease_until=now + lease(),
            attempts=F("attempts") + 1,
        )
    return token


def _finish(delivery: Delivery, token: str, status: str, error: str = "") -> None:
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        status=status,
        last_error=error,
        sent_at=timezone.now() if status == Delivery.Status.SENT else None,
        lease_until=None,
    )


def _failed(delivery: Delivery, token: str, error: str) -> None:
    if delivery.attempts >= MAX_ATTEMPTS:
        _finish(delivery, token, Delivery.Status.FAILED, error)
        return
    Delivery.objects.filter(pk=delivery.pk, claim_token=token).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now() + BACKOFF_BASE * (2 ** (delivery.attempts - 1)),
        handoff_at=None,
        lease_until=None,
        last_error=error,
    )


def send_claimed(token: str) -> int:
    """Send the deliveries claimed under ``token``; returns how many went out."""
    rows = list(
        Delivery.objects.filter(claim_token=token, status=Delivery.Status.SENDING).order_by("pk")
    )
    if not rows:
        return 0
    batch = Batch()
    blocked: set[tuple[int, str]] = set()
    for campaign_id, emails in _emails_by_campaign(rows, batch).items():
        blocked |= {(campaign_id, e) for e in Suppression.suppressed(emails, campaign_id)}
    backend = get_connection()
    chunk = len(rows) if hasattr(backend, "was_delivered") else HANDOFF_CHUNK
    sent = 0
    backend.open()
    try:
        for start in range(0, len(rows), chunk):
            sent += _send_chunk(backend, rows[start : start + chunk], token, blocked, batch)
    finally:
        backend.close()
    return sent


def _emails_by_campaign(rows: list[Delivery], batch: Batch) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for delivery in rows:
        campaign_id = batch.broadcast(delivery.broadcast_id).campaign_id
        found.setdefault(campaign_id, set()).add(delivery.recipient_email.lower())
    return found


def _skip_reason(delivery: Delivery, blocked: set, batch: Batch) -> str:
    broadcast = batch.broadcast(delivery.broadcast_id)
    if broadcast.status == Broadcast.Status.CANCELLED and not delivery.is_test:
        return _("The broadcast was cancelled.")
    if (broadcast.campaign_id, delivery.recipient_email.lower()) in blocked:
        return _("The recipient unsubscribed, or their address bounced.")
    return ""


def _send_chunk(backend, chunk: list[Delivery], token: str, blocked: set, batch: Batch) -> int:
    ready = []
    for delivery in chunk:
        reason = _skip_reason(delivery, blocked, batch)
        if reason:
            _finish(delivery, token, Delivery.Status.CANCELLED, reason)
            continue
        if delivery.handoff_at is not None:
            # An earlier worker stopped while handing this one to the mail backend.
            delivered = was_delivered(backend, delivery.message_id)
            if delivered:
                _finish(delivery, token, Delivery.Status.SENT)
                continue
            if delivered is None:
                _finish(
                    delivery,
                    token,
                    Delivery.Status.FAILED,
                    _(
                        "Sending was interrupted and the mail server cannot tell whether this "
                        "message went out, so it was not sent again."
                    ),
                )
                continue
        try:
            ready.append((delivery, build_message(delivery, batch)))
        except Exception as error:  # a template or data problem: retry later, then fail
            logger.exception("could not build delivery %s", delivery.pk)
            _failed(delivery, token, repr(error))
    if not ready:
        return 0
    stamp = timezone.now()
    wanted = [d.pk for d, _m in ready]
    stamped = Delivery.objects.filter(
        pk__in=wanted, claim_token=token, status=Delivery.Status.SENDING
    ).update(handoff_at=stamp, lease_until=stamp + lease())
    if stamped == len(wanted):
        owned = set(wanted)
    else:
        owned = set(
            Delivery.objects.filter(pk__in=wanted, claim_token=token, handoff_at=stamp).values_list(
                "pk", flat=True
            )
        )
    done = []
    for delivery, message in ready:
        if delivery.pk not in owned:
            continue
        try:
            backend.send_messages([message])
        except Exception as error:
            logger.warning("delivery %s failed: %r", delivery.pk, error)
            _failed(delivery, token, repr(error))
        else:
            done.append(delivery.pk)
    Delivery.objects.filter(pk__in=done, claim_token=token).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return len(done)


def send_due(*, time_budget: float = 50.0) -> int:
    """Claim and send due deliveries until none are left or the time budget is spent."""
    sent = 0
    deadline = time.monotonic() + time_budget
    while time.monotonic() < deadline:
        token = claim()
        if token is None:
            break
        sent += send_claimed(token)
    return sent
