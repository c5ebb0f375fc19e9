"""Benchmarks for broadcasts.

- page "broadcast_detail": a draft broadcast to every member of the large local, as its leader
  (the segment's size is counted over 36,000 members).
- broadcast_schedule_s: scheduling it, which writes the 36,000 deliveries in one transaction.
- broadcast_s: two Celery workers send those 36,000 deliveries; the sent log proves each went
  out exactly once. The mail backend writes one line per message, so SMTP is not measured.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

from .actions import _workers

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
    from actions.mail import read_log
    from broadcasts.tasks import send_due_broadcasts
    from config.celery import app as celery_app

    run = uuid.uuid4().hex[:8]
    broadcast = _broadcast(f"bench {run}")
    folder = Path(tempfile.mkdtemp(prefix="cg-bench-"))
    log = folder / "sent.log"
    queue = f"bench-{run}"
    env = dict(ctx.env)
    env.update(
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="actions.mail.SentLogBackend",
        EMAIL_SENT_LOG=str(log),
        BROADCAST_BATCH_SIZE="1000",
    )
    env.pop("EMAIL_URL", None)
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    workers = _workers(env, queue)
    deliveries = broadcast.deliveries.all()
    try:
        time.sleep(3)  # let both workers connect before the clock starts
        started = time.monotonic()
        count = broadcast.schedule(by=User.objects.get(email=LEADER))
        scheduled = time.monotonic() - started
        for _tick in range(3):
            send_due_broadcasts.delay()
        deadline = started + 200
        while time.monotonic() < deadline:
            if not deliveries.exclude(status="sent").exists():
                break
            time.sleep(0.5)
            if not deliveries.filter(status="sending").exists():
                send_due_broadcasts.delay()  # the beat's next tick
        elapsed = time.monotonic() - started
        sent = Counter(read_log(log))
        statuses = Counter(deliveries.values_list("status", flat=True))
        if statuses != {"sent": count} or len(sent) != count or max(sent.values()) != 1:
            raise AssertionError(
                f"broadcast not sent exactly once: {statuses}, {len(sent)} distinct in the log"
            )
        return {
            "broadcast_s": round(elapsed, 1),
            "broadcast_schedule_s": round(scheduled, 1),
            "broadcast_messages": count,
        }
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        for process in workers:
            process.terminate()
        for process in workers:
            try:
                process.wait(timeout=60)
            except Exception:
                process.kill()
                process.wait()
        broadcast.delete()
        if log.exists():
            os.unlink(log)
        folder.rmdir()
