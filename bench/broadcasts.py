"""Benchmarks for broadcasts.

- page "broadcast_detail": a draft broadcast to every member of the large local, as its leader
  (the segment's size is counted over 36,000 members).
- broadcast_schedule_s: scheduling it, which writes the 36,000 deliveries in one transaction.
- broadcast_s: two Celery workers send those 36,000 deliveries; the sent log proves each went
  out exactly once. The mail backend writes one line per message, so SMTP is not measured.
"""

from __future__ import annotations

import uuid

from .outbox import send_with_two_workers

LEADER = "leader@scale.example"


def _campaign():
    from campaigns.models import Campaign

    return Campaign.objects.select_related("local").get(slug="scale-campaign")


def _broadcast(name: str):
    from accounts.models import User
    from broadcasts.models import Broadcast, BroadcastText

    broadcast = Broadcast.objects.create(
        campaign=_campaign(),
        name=name,
        created_by=User.objects.get(email=LEADER),
    )
    for language, subject, body in [
        ("en", "Bargaining update", "We meet the district on Thursday: https://example.org/t"),
        ("es", "Actualización", "Nos reunimos con el distrito el jueves: https://example.org/t"),
    ]:
        BroadcastText.objects.create(
            broadcast=broadcast, language=language, subject=subject, body=body
        )
    return broadcast


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    from broadcasts.models import Broadcast

    draft = Broadcast.objects.filter(campaign__slug="scale-campaign", name="bench draft").first()
    draft = draft or _broadcast("bench draft")
    return {"broadcast_detail": (f"/broadcasts/{draft.pk}/", LEADER)}


def measure(ctx) -> dict[str, float]:
    from accounts.models import User
    from broadcasts.tasks import send_due_broadcasts

    broadcast = _broadcast(f"bench {uuid.uuid4().hex[:8]}")
    leader = User.objects.get(email=LEADER)
    try:
        elapsed, scheduled, count = send_with_two_workers(
            ctx,
            task=send_due_broadcasts,
            rows=broadcast.deliveries.all,
            start=lambda: broadcast.schedule(by=leader),
            what="broadcast",
            settings={"BROADCAST_BATCH_SIZE": "1000"},
        )
    finally:
        broadcast.delete()
    return {
        "broadcast_s": round(elapsed, 1),
        "broadcast_schedule_s": round(scheduled, 1),
        "broadcast_messages": count,
    }
