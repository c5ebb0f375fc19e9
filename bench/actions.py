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
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

REMINDERS = 36_000
STATE_REMINDERS = 300_000
ROOT = Path(__file__).resolve().parents[1]


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


def _workers(env: dict, queue: str) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "-Q",
                queue,
                "-n",
                f"bench-{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for name in ["a", "b"]
    ]


def measure(ctx) -> dict[str, float]:
    from django.utils import timezone

    from actions.mail import read_log
    from actions.models import Action, Reminder
    from actions.tasks import send_due_reminders
    from config.celery import app as celery_app

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
    bench = Reminder.objects.filter(key__startswith=f"bench:{run}:")
    folder = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    log = folder / "sent.log"
    queue = f"bench-{run}"
    env = dict(ctx.env)
    env.update(
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="actions.mail.SentLogBackend",
        EMAIL_SENT_LOG=str(log),
        REMINDER_BATCH_SIZE="1000",
    )
    env.pop("EMAIL_URL", None)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    workers = _workers(env, queue)
    try:
        time.sleep(3)  # let both workers connect before the clock starts
        started = time.monotonic()
        for _tick in range(4):
            send_due_reminders.delay()
        # Ten times the target (60 s for 300,000), so a slow run still reports its time.
        deadline = started + max(170, count / 500)
        while time.monotonic() < deadline:
            if not bench.exclude(status="sent").exists():
                break
            time.sleep(0.5)
            if not bench.filter(status="sending").exists():
                send_due_reminders.delay()  # the beat's next tick
        elapsed = time.monotonic() - started
        sent = Counter(read_log(log))
        statuses = Counter(bench.values_list("status", flat=True))
        if statuses != {"sent": count} or len(sent) != count or max(sent.values()) != 1:
            raise AssertionError(
                f"reminders not sent exactly once: {statuses}, {len(sent)} distinct in the log"
            )
        return {key: round(elapsed, 1)}
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for process in workers:
            process.terminate()
        for process in workers:
            # A worker finishes the batch in hand before it stops; one that does not within a
            # minute is killed, so the cleanup below always runs.
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        bench.delete()
        if log.exists():
            os.unlink(log)
        folder.rmdir()
