"""Sending claimed reminders exactly once, through the project's one outbox loop
(config/outbox.py; the package's docstring tells the whole design)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from config.outbox import Outbox, was_delivered

from ..models import Action, Reminder, Unsubscribe
from ..models.reminder import COMPOSED_BY_MODEL
from .composing import Batch, build_message, event_of

__all__ = ["was_delivered"]


@dataclass
class Reading:
    """What one batch of reminders reads once."""

    now: datetime
    unsubscribed: set[tuple[str, str]]
    composing: Batch = field(default_factory=Batch)


class ReminderOutbox(Outbox):
    model = Reminder
    batch_setting = "REMINDER_BATCH_SIZE"
    default_batch = 200

    def prepare(self, rows: list[Reminder]) -> Reading:
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
        return Reading(now=timezone.now(), unsubscribed=unsubscribed)

    def skip_reason(self, reminder: Reminder, reading: Reading) -> str:
        if reminder.kind in COMPOSED_BY_MODEL:
            # A message the person asked for (a confirmation link) is not a stream to leave.
            return apps.get_model(reminder.event_label).outbox_skip_reason(reminder)
        if (reminder.recipient_email, reminder.stream) in reading.unsubscribed:
            return _("The recipient unsubscribed.")
        if reminder.kind in {Reminder.Kind.REMINDER, Reminder.Kind.CONFIRMATION}:
            event = event_of(reminder, reading.composing)
            if event is None or getattr(event, "is_cancelled", False):
                return _("The event was cancelled.")
            if event.starts_at <= reading.now:
                return _("The event had already started.")
            # A decision request stops reminding an organisation once it has answered.
            still_reminds = getattr(event, "still_reminds", None)
            if still_reminds is not None and not still_reminds(reminder.user_id):
                return _("Their organisation has already answered.")
        return ""

    def compose(self, reminder: Reminder, reading: Reading):
        return build_message(reminder, reading.composing)


OUTBOX = ReminderOutbox()
MAX_ATTEMPTS = OUTBOX.max_attempts
BACKOFF_BASE = OUTBOX.first_retry
HANDOFF_CHUNK = OUTBOX.handoff_chunk
lease = OUTBOX.lease
batch_size = OUTBOX.batch_size
claim = OUTBOX.claim
send_claimed = OUTBOX.send_claimed
send_due = OUTBOX.send_due
