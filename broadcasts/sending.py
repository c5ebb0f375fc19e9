"""Sending deliveries exactly once, through the project's one outbox loop (config/outbox.py):
claim due rows with ``SKIP LOCKED`` and a lease, stamp the hand-off, mark sent under the claim
token; a worker taking over an interrupted hand-off asks the backend whether the fixed
Message-ID went out, and marks the row failed ("maybe") rather than send it twice. The chunk
that finishes a broadcast's last delivery marks the broadcast sent, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from config.enqueue import enqueue
from config.outbox import Outbox

from .composing import Batch, build_message
from .models import Broadcast, Delivery, Suppression


def send_soon() -> None:
    """Ask a worker to send what is due, once the current transaction commits."""
    from .tasks import send_due_broadcasts

    enqueue(send_due_broadcasts)


@dataclass
class Reading:
    """What one batch of deliveries reads once."""

    composing: Batch = field(default_factory=Batch)
    blocked: set[tuple[int, str]] = field(default_factory=set)


class DeliveryOutbox(Outbox):
    model = Delivery
    batch_setting = "BROADCAST_BATCH_SIZE"
    default_batch = 500

    def prepare(self, rows: list[Delivery]) -> Reading:
        reading = Reading()
        emails: dict[int, set[str]] = {}
        for delivery in rows:
            campaign_id = reading.composing.broadcast(delivery.broadcast_id).campaign_id
            emails.setdefault(campaign_id, set()).add(delivery.recipient_email.lower())
        for campaign, found in emails.items():
            reading.blocked |= {(campaign, e) for e in Suppression.suppressed(found, campaign)}
        return reading

    def skip_reason(self, delivery: Delivery, reading: Reading) -> str:
        broadcast = reading.composing.broadcast(delivery.broadcast_id)
        if broadcast.status == Broadcast.Status.CANCELLED and not delivery.is_test:
            return _("The broadcast was cancelled.")
        if (broadcast.campaign_id, delivery.recipient_email.lower()) in reading.blocked:
            return _("The recipient unsubscribed, or their address bounced.")
        return ""

    def compose(self, delivery: Delivery, reading: Reading):
        return build_message(delivery, reading.composing)

    def settle(self, rows: list[Delivery], now) -> None:
        Broadcast.finish_sending({d.broadcast_id for d in rows}, now)


OUTBOX = DeliveryOutbox()
claim = OUTBOX.claim
send_claimed = OUTBOX.send_claimed
send_due = OUTBOX.send_due
