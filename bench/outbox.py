"""What the sending benchmarks share: two real Celery workers on a queue of their own, a mail
backend that writes one line per message (so SMTP is not what is measured), and the proof from
that sent log that every row went out exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_workers(env: dict, queue: str) -> list[subprocess.Popen]:
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


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for process in workers:
        process.terminate()
    for process in workers:
        # A worker finishes the batch in hand before it stops; one that does not within a
        # minute is killed, so the caller's cleanup always runs.
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class LogLines:
    """The lines of a sent log, counted as it grows without reading it again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self.lines = 0
        self.last = 0

    def count(self) -> int:
        try:
            with open(self.path, "rb") as log:
                log.seek(self.offset)
                chunk = log.read()
        except FileNotFoundError:
            return 0
        self.offset += len(chunk)
        self.lines += chunk.count(b"\n")
        return self.lines

    def grew(self) -> bool:
        before, self.last = self.last, self.count()
        return self.last > before


def send_with_two_workers(
    ctx,
    *,
    task,
    rows: Callable[[], object],
    start: Callable[[], int],
    what: str,
    settings: dict[str, str],
    ticks: int = 3,
    seconds: float = 200,
) -> tuple[float, float, int]:
    """Start two workers, call ``start()`` (which writes the due rows and returns how many),
    tick ``task`` as the beat would until ``rows()`` are all sent, and check the sent log.
    Returns the seconds it all took, the seconds ``start()`` took, and the count."""
    from actions.mail import read_log
    from config.celery import app as celery_app

    run = uuid.uuid4().hex[:8]
    folder = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    log = folder / "sent.log"
    queue = f"bench-{run}"
    env = dict(ctx.env)
    env.update(
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="actions.mail.SentLogBackend",
        EMAIL_SENT_LOG=str(log),
        **settings,
    )
    env.pop("EMAIL_URL", None)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    workers = start_workers(env, queue)
    try:
        time.sleep(3)  # let both workers connect before the clock starts
        started = time.monotonic()
        count = start()
        ready = time.monotonic() - started
        for _tick in range(ticks):
            task.delay()
        deadline = started + max(seconds, count / 500)
        # The sent log says how far the workers are: asking the database every half second
        # read all the run's rows (a key prefix matches every one), which at 300,000 took a
        # good part of a core from the workers. It is asked once the log is complete.
        logged = LogLines(log)
        idle = 0
        while time.monotonic() < deadline:
            if logged.count() >= count and not rows().exclude(status="sent").exists():
                break
            time.sleep(0.5)
            idle = 0 if logged.grew() else idle + 1
            if idle == 2:
                task.delay()  # the beat's next tick, when the workers have stopped sending
        elapsed = time.monotonic() - started
        sent = Counter(read_log(log))
        statuses = Counter(rows().values_list("status", flat=True))
        if statuses != {"sent": count} or len(sent) != count or max(sent.values()) != 1:
            raise AssertionError(
                f"{what} not sent exactly once: {statuses}, {len(sent)} distinct in the log"
            )
        return elapsed, ready, count
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        stop_workers(workers)
        if log.exists():
            os.unlink(log)
        folder.rmdir()
