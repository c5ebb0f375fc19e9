"""Two real Celery workers send a broadcast against Redis and PostgreSQL; one is killed with
SIGKILL in the middle of sending. Every delivery still goes out exactly once, counted in the
sent log that the mail backend writes (one line per message handed over), and the broadcast
says it was sent."""

from __future__ import annotations

import pytest

from broadcasts.models import Broadcast, Delivery
from broadcasts.tasks import send_due_broadcasts
from seeds.factories import build_member
from tests.broadcasts.factories import make_broadcast

from .conftest import kill_one_and_finish

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

MEMBERS = 240


def test_two_workers_one_killed_every_broadcast_delivery_sent_exactly_once(cast, two_workers):
    from campaigns.models import Member

    Member.objects.bulk_create(
        build_member(cast.building_a, n, prefix="B", preferred_language="Spanish" if n % 3 else "")
        for n in range(MEMBERS)
    )
    broadcast = make_broadcast(cast.campaign, building=cast.building_a)
    # The request's on_commit queues a task; the ticks stand in for the beat.
    assert broadcast.schedule(by=cast.leader) == MEMBERS
    kill_one_and_finish(two_workers, send_due_broadcasts, Delivery.objects.all())
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SENT and broadcast.finished_at is not None
