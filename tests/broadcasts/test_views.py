"""A leader writes, previews, tests and sends a broadcast; the pages' queries do not grow with
the segment; nobody else sees a broadcast."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from broadcasts import sending
from broadcasts.models import Broadcast, Delivery
from tests import factories as f

from .factories import make_broadcast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_a_leader_writes_previews_tests_and_sends_to_one_building(
    cast, django_capture_on_commit_callbacks
):
    f.make_member(cast.building_a, first_name="Ana", preferred_language="Spanish")
    f.make_member(cast.building_a, first_name="Ben")
    f.make_member(cast.building_b)
    client = cast.client_for("leader")
    response = client.post(
        reverse("broadcasts:create", args=[cast.campaign.slug]),
        {
            "name": "Building A update",
            "audience": "members",
            "building": cast.building_a.pk,
            "default_language": "en",
            "subject_en": "Update",
            "body_en": "See https://example.org/a",
            "subject_es": "Novedad",
            "body_es": "Vea https://example.org/a",
        },
    )
    broadcast = Broadcast.objects.get(name="Building A update")
    assert response.status_code == 302 and response["Location"] == reverse(
        "broadcasts:detail", args=[broadcast.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert "People in the segment now" in page and "<dd>2</dd>" in page
    # The preview is as a reader of each language will get it, with the counted link.
    assert "As Ana" in page and "As Ben" in page and "Novedad" in page
    assert "https://example.org/a" in page
    # Each preview marks where its reader's unsubscribe link goes, in the message's language.
    assert "(the reader&#x27;s unsubscribe link)" in page
    assert "(el enlace de baja del lector)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("broadcasts:test", args=[broadcast.pk]))
    assert [m.to for m in mail.outbox] == [["leader@test.example"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("broadcasts:schedule", args=[broadcast.pk]), {"send_at": ""})
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["Novedad", "Update"]
    page = client.get(reverse("broadcasts:detail", args=[broadcast.pk])).content.decode()
    assert "Send me a test" in page and "Send now or at that time" not in page
    # Once sent, the preview shows the links as readers got them: through the counter.
    assert "/r/" in page


def test_the_form_needs_the_default_languages_text(cast):
    response = cast.client_for("leader").post(
        reverse("broadcasts:create", args=[cast.campaign.slug]),
        {"name": "x", "audience": "members", "default_language": "es", "subject_en": "Hi",
         "body_en": "Hello"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "The default language needs a subject and a message." in response.content.decode()
    assert not Broadcast.objects.exists()


def test_scheduling_later_waits_in_the_locals_time(cast, evening_in_california):
    cast.local.timezone = "America/Los_Angeles"
    cast.local.save(update_fields=["timezone"])
    f.make_member(cast.building_a)
    broadcast = make_broadcast(cast.campaign)
    client = cast.client_for("leader")
    client.post(
        reverse("broadcasts:schedule", args=[broadcast.pk]), {"send_at": "2026-11-30T07:00"}
    )
    broadcast.refresh_from_db()
    # 07:00 on Monday in California is 15:00 UTC, though UTC is already Monday 04:30.
    assert broadcast.send_at.isoformat() == "2026-11-30T15:00:00+00:00"
    assert sending.send_due() == 0
    page = client.get(reverse("broadcasts:detail", args=[broadcast.pk])).content.decode()
    assert "7:00" in page or "07:00" in page


def test_a_failed_message_shows_and_try_again_queues_it(cast, django_capture_on_commit_callbacks):
    broadcast = make_broadcast(cast.campaign)
    broadcast.status = Broadcast.Status.SCHEDULED
    broadcast.save()
    Delivery.objects.create(
        broadcast=broadcast,
        key="k1",
        recipient_email="gone@district.example",
        next_attempt_at="2026-01-01T00:00Z",
        status=Delivery.Status.FAILED,
        attempts=5,
        last_error="550 mailbox unavailable",
    )
    client = cast.client_for("leader")
    page = client.get(reverse("broadcasts:detail", args=[broadcast.pk])).content.decode()
    assert "550 mailbox unavailable" in page and "Try again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("broadcasts:retry", args=[broadcast.pk]))
    assert Delivery.objects.get().status == "sent"
    assert mail.outbox[0].to == ["gone@district.example"]


def test_a_scheduled_broadcast_cannot_be_edited(cast):
    f.make_member(cast.building_a)
    broadcast = make_broadcast(cast.campaign)
    broadcast.schedule(by=cast.leader)
    client = cast.client_for("leader")
    assert client.get(reverse("broadcasts:edit", args=[broadcast.pk])).status_code == 403
    assert client.post(reverse("broadcasts:schedule", args=[broadcast.pk])).status_code == 403


@pytest.mark.parametrize("who", ["steward_a", "partner_x", "other_leader"])
def test_only_the_locals_leaders_find_a_broadcast(cast, who):
    broadcast = make_broadcast(cast.campaign)
    client = cast.client_for(who)
    assert client.get(reverse("broadcasts:detail", args=[broadcast.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 40])
def test_the_broadcast_page_takes_the_same_queries_however_big_the_segment(
    cast, django_assert_num_queries, extra
):
    for n in range(extra + 2):
        f.make_member(cast.building_a, preferred_language="Spanish" if n % 2 else "")
    draft = make_broadcast(cast.campaign)
    sent = make_broadcast(cast.campaign, name="Sent")
    sent.schedule(by=cast.leader)
    Delivery.objects.filter(broadcast=sent).update(status="failed")
    client = cast.client_for("leader")
    client.get(reverse("broadcasts:detail", args=[draft.pk]))
    with django_assert_num_queries(15):
        client.get(reverse("broadcasts:detail", args=[draft.pk]))
    with django_assert_num_queries(15):
        client.get(reverse("broadcasts:detail", args=[sent.pk]))
    with django_assert_num_queries(8):
        client.get(reverse("broadcasts:list", args=[cast.campaign.slug]))


def test_a_sent_broadcast_says_sent_with_the_local_time_on_both_pages(cast, evening_in_california):
    cast.local.timezone = "America/Los_Angeles"
    cast.local.save(update_fields=["timezone"])
    f.make_member(cast.building_a)
    broadcast = make_broadcast(cast.campaign, name="Thursday update")
    broadcast.schedule(by=cast.leader)
    assert sending.send_due() == 1
    broadcast.refresh_from_db()
    assert broadcast.status == Broadcast.Status.SENT
    # Sent at 20:30 on Sunday in California, though UTC is already Monday 04:30.
    assert broadcast.finished_at.isoformat() == "2026-11-30T04:30:00+00:00"
    cast.leader.language = "es"
    cast.leader.save(update_fields=["language"])
    client = cast.client_for("leader")
    detail = client.get(reverse("broadcasts:detail", args=[broadcast.pk])).content.decode()
    listing = client.get(reverse("broadcasts:list", args=[cast.campaign.slug])).content.decode()
    for page in (detail, listing):
        assert "Enviado" in page and "Programada" not in page
        assert "20:30" in page or "8:30" in page
        assert "04:30" not in page and "4:30" not in page
    assert "Enviado el" in detail


def test_a_broadcast_to_nobody_stays_a_draft_and_says_why(cast):
    """A building with no member to write to: nothing is scheduled, and the leader is told."""
    broadcast = make_broadcast(cast.campaign, building=cast.building_b)
    client = cast.client_for("leader")
    response = client.post(
        reverse("broadcasts:schedule", args=[broadcast.pk]), {"send_at": ""}, follow=True
    )
    assert "Nobody in this audience can be written to now" in response.content.decode()
    broadcast.refresh_from_db()
    assert broadcast.is_draft and broadcast.send_at is None
    assert not Delivery.objects.filter(broadcast=broadcast).exists()
