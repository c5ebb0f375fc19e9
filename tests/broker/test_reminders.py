"""Two real Celery workers send due reminders against Redis and PostgreSQL; one is killed with
SIGKILL in the middle of sending. Every reminder still goes out exactly once, counted in the
sent log that the mail backend writes (one line per message handed over)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from actions.mail import read_log
from actions.models import Reminder
from actions.tasks import send_due_reminders
from config.celery import app as celery_app
from tests.actions.factories import make_action
from tests.services import (
    ROOT,
    base_env,
    database_url_named,
    require_redis,
    require_shared_database,
)

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

REMINDERS = 240


def start_worker(name: str, env: dict, queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "solo", "--loglevel", "WARNING", "-Q", queue, "-n", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip


@pytest.fixture
def two_workers(tmp_path):
    redis_url = require_redis()
    require_shared_database()
    queue = f"test-reminders-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "sent.log"
    env = base_env(
        DATABASE_URL=database_url_named(connection.settings_dict["NAME"]),
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="actions.mail.SentLogBackend",
        EMAIL_SENT_LOG=str(log),
        # Slow enough that the kill lands mid-batch; short leases so the survivor takes over.
        EMAIL_SENT_LOG_DELAY="0.02",
        REMINDER_LEASE_SECONDS="3",
        REMINDER_BATCH_SIZE="20",
        BROADCAST_BATCH_SIZE="20",
    )
    workers = {name: start_worker(name, env, queue) for name in ["a", "b"]}
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield workers, log
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for process in workers.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def plan_due_reminders(cast, count: int) -> list[Reminder]:
    action = make_action(cast.campaign, days=1)
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            key=f"test:{action.pk}:{n}",
            campaign=cast.campaign,
            action=action,
            event_label="actions.action",
            event_id=action.pk,
            recipient_email=f"person{n}@example.org",
            reason="you are in a test",
            due_at=now - timedelta(minutes=1),
            next_attempt_at=now - timedelta(minutes=1),
        )
        for n in range(count)
    )
    return list(Reminder.objects.filter(action=action))


def test_two_workers_one_killed_every_reminder_sent_exactly_once(cast, two_workers):
    workers, log = two_workers
    planned = plan_due_reminders(cast, REMINDERS)
    for _tick in range(4):
        send_due_reminders.delay()

    # Wait until the first worker is busy sending, then kill it without warning.
    victim = workers["a"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if sum(line.endswith(f"\t{victim.pid}") for line in lines) >= 10:
            break
        time.sleep(0.02)
    else:
        pytest.fail("worker a never started sending")
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    stranded = Reminder.objects.filter(status="sending").count()

    # The beat keeps ticking; the survivor takes over the dead worker's claims after the lease.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not Reminder.objects.exclude(status="sent").exists():
            break
        send_due_reminders.delay()
        time.sleep(1)

    statuses = Counter(Reminder.objects.values_list("status", flat=True))
    assert statuses == {"sent": REMINDERS}, statuses
    sent = Counter(read_log(log))
    assert set(sent) == {r.message_id for r in planned}
    assert max(sent.values()) == 1, [m for m, n in sent.items() if n > 1]
    assert stranded > 0, "the kill did not interrupt a claimed batch; the test proved nothing"
    assert Reminder.objects.filter(attempts__gte=2).exists()
