"""The one outbox loop: rows written in the transaction that causes them, then claimed and
handed off exactly once. Reminders (actions/reminders), broadcasts (broadcasts/sending.py),
webhooks (api/webhooks.py) and invitations each describe their row and how to compose and hand
over its message in a subclass of ``Outbox``; the loop below is theirs in common.

A row moves ``pending → sending → sent``, or back to ``pending`` after a failure (with
exponential back-off), or to ``failed`` after the last attempt, or to ``cancelled``.

1. **Claim.** One short transaction selects due rows with ``SELECT … FOR UPDATE SKIP LOCKED``
   (rows whose lease ran out first, then pending ones in the order they fell due) and marks
   them ``sending`` with a random ``claim_token`` and a lease. Two workers never hold the same
   row; a row whose worker stopped is claimed again when its lease runs out. A task message
   carries no ids, only "look for due work", so a lost or repeated task changes nothing.
2. **Hand off.** Before giving a chunk to the backend, the worker stamps ``handoff_at`` (and
   renews the lease) on the rows it still owns, in its own transaction.
3. **Mark.** What the backend accepted becomes ``sent``, only under our claim token, with the
   chunk's other outcomes and whatever they settle (``Outbox.settle``) in one transaction.

A reclaimed row that was stamped may or may not have gone out: the worker asks the backend
whether the row's fixed Message-ID went out (``was_delivered``) and marks it sent, sends it,
or (a backend that cannot tell, SMTP) marks it failed with an explanation: a visible "maybe"
rather than a second message. A row without ``handoff_at`` (``stamps_handoff = False``, the
webhooks) is sent again, and its receiver drops the repeat by the id it carries.

The rows themselves share their columns through ``OutboxRow`` (what the loop reads and writes)
and ``MailOutboxRow`` (an email's hand-off stamp and fixed Message-ID), so the claim's partial
indexes are declared once.

This module sits in ``config`` because every app that sends builds on it; it imports none of
them.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core import mail
from django.core.mail import get_connection
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"


class OutboxRow(models.Model):
    """The columns the loop reads and writes on every kind of row, the index that finds claims
    whose worker stopped and the one that finds a worker's own claim."""

    class Status(models.TextChoices):
        PENDING = PENDING, gettext_lazy("Pending")
        SENDING = SENDING, gettext_lazy("Sending")
        SENT = SENT, gettext_lazy("Sent")
        FAILED = FAILED, gettext_lazy("Failed")
        CANCELLED = CANCELLED, gettext_lazy("Not sent")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        indexes = [
            models.Index(
                fields=["lease_until"],
                condition=Q(status=SENDING),
                name="%(app_label)s_%(class)s_lease",
            ),
            # A batch is read, stamped and marked by its claim token. Every row that passed
            # through "sending" leaves a dead entry in the lease index until a vacuum, so a
            # lookup through it grew with the rows already sent (300,000 reminders read the
            # whole index for each batch); keyed by the token, it reads one batch. It is not
            # partial: one on "sending" rows was what the planner chose for the expired-lease
            # query too, reading all of it rather than the lease index's range.
            models.Index(fields=["claim_token"], name="%(app_label)s_%(class)s_claim"),
        ]


class MailOutboxRow(OutboxRow):
    """An email in the outbox: when it is due, when it was handed to the mail server and when
    it went out, under a Message-ID that stays the same on every attempt so that receiving
    servers can drop a duplicate."""

    message_prefix: ClassVar[str]

    next_attempt_at = models.DateTimeField(default=timezone.now)
    handoff_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(OutboxRow.Meta):
        abstract = True
        indexes = [
            *OutboxRow.Meta.indexes,
            # In the claim's order (due time, then id), so a claim reads the first rows of
            # the index and stops rather than sorting every pending row: reminders for one
            # event all fall due at the same minute.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status=PENDING),
                name="%(app_label)s_%(class)s_due",
            ),
        ]

    def message_key(self) -> str:
        """What makes this message unique; its digest goes into the Message-ID."""
        return self.key

    @property
    def message_id(self) -> str:
        digest = hashlib.sha256(self.message_key().encode()).hexdigest()[:16]
        return f"<{self.message_prefix}-{self.pk}-{digest}@commongood>"


def interrupted_message() -> str:
    return _(
        "Sending was interrupted and the mail server cannot tell whether this message went "
        "out, so it was not sent again."
    )


def was_delivered(backend, message_id: str) -> bool | None:
    """Ask the mail backend whether a message went out: True, False, or None if it cannot say."""
    check = getattr(backend, "was_delivered", None)
    if check is not None:
        return check(message_id)
    if settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend":
        return any(m.extra_headers.get("Message-ID") == message_id for m in mail.outbox)
    return None


class Undelivered(Exception):
    """The backend refused a message; ``fields`` are stored on the row with the error."""

    def __init__(self, error: str, **fields: Any) -> None:
        super().__init__(error)
        self.error = error
        self.fields = fields


class Outbox:
    """One kind of outbox row. A subclass names its model and overrides the hooks below."""

    model: ClassVar[type[models.Model]]
    due_field: ClassVar[str] = "next_attempt_at"
    sent_status: ClassVar[str] = SENT
    sent_at_field: ClassVar[str] = "sent_at"
    max_attempts: ClassVar[int] = 5
    first_retry: ClassVar[timedelta] = timedelta(minutes=1)
    lease_setting: ClassVar[str] = "REMINDER_LEASE_SECONDS"
    default_lease: ClassVar[timedelta] = timedelta(minutes=5)
    batch_setting: ClassVar[str] = ""
    default_batch: ClassVar[int] = 200
    # Without a record of what went out, small chunks keep the "may have gone out" set small.
    handoff_chunk: ClassVar[int] = 50
    stamps_handoff: ClassVar[bool] = True
    # The relations a claimed batch's messages read, loaded with the rows in one query.
    claimed_related: ClassVar[tuple[str, ...]] = ()

    # What a subclass says about its rows and its messages.

    def prepare(self, rows: list) -> Any:
        """What one batch reads once (events, suppressions, renderings)."""
        return None

    def skip_reason(self, row, batch) -> str:
        """Why ``row`` must not go out now (it is cancelled with that reason), or ""."""
        return ""

    def compose(self, row, batch):
        raise NotImplementedError

    def message_id(self, row) -> str:
        return row.message_id

    def connect(self):
        """The backend one batch hands its messages to, opened once and closed after."""
        return get_connection()

    def hand_off(self, channel, row, message) -> dict:
        """Give one message to the backend; raise (``Undelivered`` to store fields) if it
        refuses. Returns fields to store on the row when it is marked sent."""
        channel.send_messages([message])
        return {}

    def settle(self, rows: list, now) -> None:
        """Called in the transaction that records a chunk's outcomes (e.g. a parent finished)."""

    # The loop.

    def lease(self) -> timedelta:
        seconds = getattr(settings, self.lease_setting, None)
        return timedelta(seconds=int(seconds)) if seconds else self.default_lease

    def batch_size(self) -> int:
        return int(getattr(settings, self.batch_setting, 0) or self.default_batch)

    def claim(self, limit: int | None = None, now=None) -> str | None:
        """Claim a batch of due rows for this worker; returns the claim token, or None."""
        now = now or timezone.now()
        token = secrets.token_hex(16)
        limit = limit or self.batch_size()
        rows = self.model.objects
        with transaction.atomic():
            # Two queries, each served by a partial or status index: claims whose worker
            # stopped first, then pending rows in the order they fell due.
            expired = rows.filter(status=SENDING, lease_until__lt=now)
            pending = rows.filter(status=PENDING, **{f"{self.due_field}__lte": now}).order_by(
                self.due_field, "pk"
            )
            if connection.features.has_select_for_update_skip_locked:
                expired = expired.select_for_update(skip_locked=True)
                pending = pending.select_for_update(skip_locked=True)
            ids = list(expired.values_list("pk", flat=True)[:limit])
            if len(ids) < limit:
                ids += list(pending.values_list("pk", flat=True)[: limit - len(ids)])
            if not ids:
                return None
            # The rows are this transaction's: locked (PostgreSQL re-checks a locked row's
            # conditions against its newest version) or, on SQLite, inside a write lock taken
            # at BEGIN. So they are updated by id alone, which the primary key serves; with
            # the due conditions repeated, the planner scanned every pending row per batch.
            rows.filter(pk__in=ids).update(
                status=SENDING,
                claim_token=token,
                lease_until=now + self.lease(),
                attempts=F("attempts") + 1,
            )
        return token

    def claimed(self, token: str) -> list:
        rows = self.model.objects.filter(claim_token=token, status=SENDING).order_by("pk")
        if self.claimed_related:
            rows = rows.select_related(*self.claimed_related)
        return list(rows)

    def send_claimed(self, token: str) -> int:
        """Send the rows claimed under ``token``; returns how many went out."""
        rows = self.claimed(token)
        if not rows:
            return 0
        batch = self.prepare(rows)
        channel = self.connect()
        # A backend that can say what went out lets a worker taking over resolve a whole
        # interrupted batch, so the batch is handed off at once (three commits per batch).
        chunk = len(rows) if hasattr(channel, "was_delivered") else self.handoff_chunk
        sent = 0
        opened = getattr(channel, "open", None)
        if opened:
            opened()
        try:
            for start in range(0, len(rows), chunk):
                sent += self._send_chunk(channel, rows[start : start + chunk], token, batch)
        finally:
            closing = getattr(channel, "close", None)
            if closing:
                closing()
        return sent

    def send_due(self, *, time_budget: float | None = 50.0) -> int:
        """Claim and send due rows until none are left or the time budget is spent."""
        sent = 0
        deadline = None if time_budget is None else time.monotonic() + time_budget
        while deadline is None or time.monotonic() < deadline:
            token = self.claim()
            if token is None:
                break
            sent += self.send_claimed(token)
        return sent

    def _send_chunk(self, channel, chunk: list, token: str, batch) -> int:
        outcomes = Outcomes()
        ready = []
        for row in chunk:
            reason = self.skip_reason(row, batch)
            if reason:
                outcomes.end(row, CANCELLED, reason)
                continue
            if self.stamps_handoff and row.handoff_at is not None:
                # An earlier worker stopped while handing this one to the backend.
                delivered = was_delivered(channel, self.message_id(row))
                if delivered:
                    outcomes.done(row, {})
                    continue
                if delivered is None:
                    outcomes.end(row, FAILED, interrupted_message())
                    continue
            try:
                ready.append((row, self.compose(row, batch)))
            except Exception as error:  # a template or data problem: retry later, then fail
                logger.exception("could not compose %s %s", self.model.__name__, row.pk)
                outcomes.retry(row, repr(error))
        owned = self._stamp([row.pk for row, _message in ready], token)
        for row, message in ready:
            if row.pk not in owned:
                continue
            try:
                fields = self.hand_off(channel, row, message)
            except Undelivered as error:
                outcomes.retry(row, error.error, error.fields)
            except Exception as error:
                logger.warning("%s %s failed: %r", self.model.__name__, row.pk, error)
                outcomes.retry(row, repr(error))
            else:
                outcomes.done(row, fields)
        self._record(outcomes, chunk, token)
        return outcomes.sent

    def _stamp(self, wanted: list[int], token: str) -> set[int]:
        """Stamp the hand-off on the rows this worker still owns, in one statement; when fewer
        match than were asked for (a lease ran out and another worker took some), look up
        which."""
        if not wanted:
            return set()
        stamp = timezone.now()
        fields: dict[str, Any] = {"lease_until": stamp + self.lease()}
        if self.stamps_handoff:
            fields["handoff_at"] = stamp
        mine = self.model.objects.filter(pk__in=wanted, claim_token=token, status=SENDING)
        if mine.update(**fields) == len(wanted):
            return set(wanted)
        return set(
            self.model.objects.filter(
                pk__in=wanted, claim_token=token, lease_until=fields["lease_until"]
            ).values_list("pk", flat=True)
        )

    def _record(self, outcomes: Outcomes, chunk: list, token: str) -> None:
        now = timezone.now()
        mine = self.model.objects.filter(claim_token=token, status=SENDING)
        with transaction.atomic():
            for fields, ids in outcomes.sent_groups():
                mine.filter(pk__in=ids).update(
                    status=self.sent_status,
                    lease_until=None,
                    last_error="",
                    **{self.sent_at_field: now},
                    **fields,
                )
            for row, status, error in outcomes.ended:
                mine.filter(pk=row.pk).update(status=status, last_error=error, lease_until=None)
            for row, error, fields in outcomes.retries:
                if row.attempts >= self.max_attempts:
                    status, due = FAILED, {}
                else:
                    status = PENDING
                    due = {self.due_field: now + self.first_retry * (2 ** (row.attempts - 1))}
                if self.stamps_handoff:
                    due["handoff_at"] = None
                mine.filter(pk=row.pk).update(
                    status=status, last_error=error, lease_until=None, **due, **fields
                )
            self.settle(chunk, now)


class Outcomes:
    """What became of each row of a chunk, recorded together once the chunk is handed off."""

    def __init__(self) -> None:
        self.sent_fields: dict[tuple, list[int]] = {}
        self.ended: list[tuple[Any, str, str]] = []
        self.retries: list[tuple[Any, str, dict]] = []
        self.sent = 0

    def done(self, row, fields: dict) -> None:
        self.sent_fields.setdefault(tuple(sorted(fields.items())), []).append(row.pk)
        self.sent += 1

    def end(self, row, status: str, error: str) -> None:
        self.ended.append((row, status, error))

    def retry(self, row, error: str, fields: dict | None = None) -> None:
        self.retries.append((row, error, fields or {}))

    def sent_groups(self) -> Iterable[tuple[dict, list[int]]]:
        for key, ids in self.sent_fields.items():
            yield dict(key), ids
