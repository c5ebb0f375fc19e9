"""What the broker tests share: real Celery workers on a queue of their own, and the proof,
from the sent log the mail backend writes, that an outbox sent every row exactly once while
one of two workers was killed mid-send."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager

import pytest
from django.db import connection

from actions.mail import read_log
from config.celery import app as celery_app
from tests.services import (
    ROOT,
    base_env,
    database_url_named,
    require_redis,
    require_shared_database,
)


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


@contextmanager
def workers_on_own_queue(names: list[str], **settings: str):
    """Start a worker per name on a fresh queue this process sends its tasks to."""
    redis_url = require_redis()
    require_shared_database()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = base_env(
        DATABASE_URL=database_url_named(connection.settings_dict["NAME"]),
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        **settings,
    )
    workers = {name: start_worker(name, env, queue) for name in names}
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield workers
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for process in workers.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def two_workers(tmp_path):
    log = tmp_path / "sent.log"
    with workers_on_own_queue(
        ["a", "b"],
        EMAIL_BACKEND="actions.mail.SentLogBackend",
        EMAIL_SENT_LOG=str(log),
        # Slow enough that the kill lands mid-batch; short leases so the survivor takes over.
        EMAIL_SENT_LOG_DELAY="0.02",
        REMINDER_LEASE_SECONDS="3",
        REMINDER_BATCH_SIZE="20",
        BROADCAST_BATCH_SIZE="20",
    ) as workers:
        yield workers, log


def kill_one_and_finish(two_workers, task, rows) -> None:
    """Tick ``task``, kill worker a with SIGKILL once it is sending, keep ticking as the beat
    would until the survivor has taken over, and assert every row of ``rows`` (a queryset of
    outbox rows) went out exactly once."""
    workers, log = two_workers
    expected = rows.count()
    for _tick in range(4):
        task.delay()

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
    stranded = rows.filter(status="sending").count()

    # The beat keeps ticking; the survivor takes over the dead worker's claims after the lease.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not rows.exclude(status="sent").exists():
            break
        task.delay()
        time.sleep(1)

    statuses = Counter(rows.values_list("status", flat=True))
    assert statuses == {"sent": expected}, statuses
    sent = Counter(read_log(log))
    assert set(sent) == {row.message_id for row in rows}
    assert max(sent.values()) == 1, [m for m, n in sent.items() if n > 1]
    assert stranded > 0, "the kill did not interrupt a claimed batch; the test proved nothing"
    assert rows.filter(attempts__gte=2).exists()
