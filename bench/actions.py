"""Benchmarks for the escalation ladder and the reminders.

- pages "ladder", "digest" and "action_detail": the ladder, the steward digest's page and the
  next action of the large campaign, as its leader.
- reminders_s: two Celery workers (against the harness's Redis and database) send 36,000 due
  reminders; the sent log proves each went out exactly once. The mail backend writes one line
  per message and nothing else, so SMTP is not what is measured.
- reminders_state_s: the same with 300,000 reminders, a state affiliate's members, when
  ``BENCH_SCALE=state``; it replaces reminders_s in that run.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

from .outbox import send_with_two_workers

REMINDERS = 36_000
STATE_REMINDERS = 300_000


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    from django.utils import timezone

    from actions.models import Action

    leader = "leader@scale.example"
    action = (
        Action.objects.filter(campaign__slug="scale-campaign", starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    return {
        "ladder": ("/actions/campaign/scale-campaign/ladder/", leader),
        "digest": ("/actions/campaign/scale-campaign/digest/", leader),
        "action_detail": (f"/actions/{action.pk}/", leader),
    }


def measure(ctx) -> dict[str, float]:
    from django.db import connection
    from django.utils import timezone

    from actions.models import Action, Reminder
    from actions.tasks import send_due_reminders

    state = os.environ.get("BENCH_SCALE") == "state"
    count, key = (STATE_REMINDERS, "reminders_state_s") if state else (REMINDERS, "reminders_s")
    action = (
        Action.objects.filter(campaign__slug="scale-campaign", starts_at__gt=timezone.now())
        .order_by("starts_at")
        .last()
    )
    run = uuid.uuid4().hex[:8]
    now = timezone.now()
    Reminder.objects.bulk_create(
        (
            Reminder(
                key=f"bench:{run}:{n}",
                campaign_id=action.campaign_id,
                action=action,
                event_label="actions.action",
                event_id=action.pk,
                recipient_email=f"m{n}@district.example",
                recipient_name=f"First{n} Last{n}",
                reason="you are in the benchmark",
                offset_minutes=60,
                due_at=now - timedelta(minutes=1),
                next_attempt_at=now - timedelta(minutes=1),
            )
            for n in range(count)
        ),
        batch_size=5_000,
    )
    # A deployment plans reminders days before they fall due, and autovacuum has analyzed the
    # table by then. Written just before the clock starts, they would find the planner still
    # counting the table as it was (nearly empty), and each claim sorted every pending row.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Reminder._meta.db_table}")
    bench = Reminder.objects.filter(key__startswith=f"bench:{run}:")
    try:
        # Ten times the target (60 s for 300,000), so a slow run still reports its time.
        elapsed, _ready, _count = send_with_two_workers(
            ctx,
            task=send_due_reminders,
            rows=lambda: bench,
            start=lambda: count,
            what="reminders",
            settings={"REMINDER_BATCH_SIZE": "1000"},
            ticks=4,
            seconds=170,
        )
    finally:
        bench.delete()
    return {key: round(elapsed, 1)}
