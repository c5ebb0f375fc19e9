"""The demo's broadcasts load, tell the sent update's story, and loading again changes nothing."""

import pytest
from django.core.management import call_command

from broadcasts.models import Broadcast, Delivery, Link

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sent_update_and_a_draft_and_loads_twice_the_same():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    update = Broadcast.objects.get(name="October bargaining update")
    counts = update.counts()
    assert counts["sent"] > 5 and counts["failed"] == 1 and counts["unsubscribed"] == 1
    assert counts["clicks"] == 37 and counts["pending"] == 0
    assert update.status == Broadcast.Status.SENT and update.finished_at is not None
    assert set(update.deliveries.values_list("language", flat=True)) <= {"en", "es"}
    assert Broadcast.objects.filter(status="draft", audience="stewards").exists()
    before = (Broadcast.objects.count(), Delivery.objects.count(), Link.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Broadcast.objects.count(), Delivery.objects.count(), Link.objects.count()) == before
