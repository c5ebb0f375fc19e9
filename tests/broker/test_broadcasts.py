"""Two real Celery workers send a broadcast against Redis and PostgreSQL; one is killed with
SIGKILL in the middle of sending. Every delivery still goes out exactly once, counted in the
sent log that the mail backend writes (one line per message handed over)."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

import pytest

from actions.mail import read_log
from broadcasts.models import Delivery
from broadcasts.tasks import send_due_broadcasts
from seeds.factories import build_member
from tests.broadcasts.factories import make_broadcast

from .test_reminders import two_workers  # noqa: F401  (the fixture: two workers, a sent log)

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

MEMBERS = 240


def test_two_workers_one_killed_every_broadcast_delivery_sent_exactly_once(
    cast,
    two_workers,  # noqa: F811 - the fixture imported above
):
    from campaigns.models import Member

    workers, log = two_workers
    Member.objects.bulk_create(
        build_member(cast.building_a, n, prefix="B", preferred_language="Spanish" if n % 3 else "")
        for n in range(MEMBERS)
    )
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    # The request's on_commit queues a task; the tick loop below stands in for the beat.
    assert broadcast.schedule(by=cast.leader) == MEMBERS
    for _tick in range(4):
        send_due_broadcasts.delay()

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
    stranded = Delivery.objects.filter(status="sending").count()

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not Delivery.objects.exclude(status="sent").exists():
            break
        send_due_broadcasts.delay()
        time.sleep(1)

    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {"sent": MEMBERS}, statuses
    sent = Counter(read_log(log))
    assert set(sent) == {d.message_id for d in Delivery.objects.all()}
    assert max(sent.values()) == 1, [m for m, n in sent.items() if n > 1]
    assert stranded > 0, "the kill did not interrupt a claimed batch; the test proved nothing"
    assert Delivery.objects.filter(attempts__gte=2).exists()
