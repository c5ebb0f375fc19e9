"""With the cache or the broker out of reach every page still answers, the person is told what
is waiting, and invitations wait in the outbox until the sweep sends them, once."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import Invitation, InvitationEmail, Role
from actions.models import Reminder
from actions.tasks import send_due_reminders
from campaigns import invitations
from campaigns.tasks import send_due_invitations
from tests import factories as f
from tests.bargaining import factories as bf
from tests.demands.factories import make_demand
from tests.services import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    """The configured Redis cache, pointed at a port where nothing listens."""
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        pytest.skip("needs the Redis cache of production: set CACHE_URL (CI does)")
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    yield


@pytest.fixture
def broker_down(monkeypatch):
    """Queueing the sweep fails as it does when Redis does not answer."""

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_due_reminders, "apply_async", refuse)
    monkeypatch.setattr(send_due_invitations, "apply_async", refuse)
    yield


def link_from(message) -> str:
    return re.search(r"https?://[^/]+(/team/invitations/[^/\s]+/)", message.body).group(1)


def test_every_page_answers_when_the_cache_is_down(cast, client, cache_down):
    bf.make_public_page(cast.campaign)
    demand = make_demand(cast.campaign, by=cast.leader)
    response = client.post(
        reverse("account_login"), {"login": cast.leader.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("demands:history", args=[demand.pk])).status_code == 200
    public = cast.client_for("anonymous").get(reverse("open:campaign", args=[cast.campaign.slug]))
    assert public.status_code == 200
    assert "We bargain in the open." in public.content.decode()


def test_a_cache_outage_is_logged_once_and_reads_as_an_empty_cache(cast, cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("anything", "default") == "default"
        assert cache.add("lock", 1) is True  # a lock is granted rather than waited for forever
        cache.set("key", "value")
        assert cache.get_many(["a", "b"]) == {}
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert len([r for r in caplog.records if r.name == "config.cache"]) == 1


def test_the_cache_is_used_again_once_it_answers(settings):
    from config.cache import ForgivingRedisCache

    backend = ForgivingRedisCache(f"redis://127.0.0.1:{free_port()}/0", {})
    assert backend.get("k") is None
    backend._down_until = 0  # the pause after a failure is over; Redis is tried again
    assert backend.get("k", "miss") == "miss"
    assert backend._down  # still down: nothing listens there


@pytest.mark.django_db(transaction=True)  # the request's own commit queues the email
def test_an_invitation_made_while_the_broker_is_down_is_saved_and_sent_later(cast, broker_down):
    client = cast.client_for("leader")
    response = client.post(
        reverse("team:invite", args=[cast.local.slug]),
        {"email": "during-outage@example.org", "role": "leader"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("team:people", args=[cast.local.slug]), 302)]
    page = response.content.decode()
    assert (
        "The invitation to during-outage@example.org is saved. The email will go out when the "
        "mail service is back." in page
    )
    assert "Invitation sent" not in page and "email not sent yet" in page
    invitation = Invitation.objects.get(email="during-outage@example.org")
    row = InvitationEmail.objects.get(invitation=invitation)
    assert row.status == InvitationEmail.Status.PENDING
    assert mail.outbox == []

    # The broker is back; the beat's sweep runs, twice as it may.
    assert invitations.send_due() == 1
    assert invitations.send_due() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["during-outage@example.org"]
    row.refresh_from_db()
    assert row.status == InvitationEmail.Status.SENT
    assert cast.client_for("anonymous").get(link_from(mail.outbox[0])).status_code == 200


def test_the_outbox_keeps_no_usable_link(cast, django_capture_on_commit_callbacks):
    invitation, token = Invitation.issue(
        local=cast.local, email="link@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    from campaigns.invitations import plan_invitation_email

    with django_capture_on_commit_callbacks(execute=True):
        row = plan_invitation_email(invitation)
    row.refresh_from_db()
    stored = " ".join(
        str(v) for v in InvitationEmail.objects.filter(pk=row.pk).values().get().values()
    )
    assert token not in stored
    emailed = link_from(mail.outbox[0])
    anonymous = cast.client_for("anonymous")
    # The email carries a fresh link; only it works.
    assert anonymous.get(reverse("accounts:accept_invitation", args=[token])).status_code == 410
    assert anonymous.get(emailed).status_code == 200


def test_sending_twice_sends_one_email(cast, django_capture_on_commit_callbacks):
    from campaigns.invitations import plan_invitation_email

    invitation, _token = Invitation.issue(
        local=cast.local, email="once@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan_invitation_email(invitation)
        plan_invitation_email(invitation)
    invitations.send_due()
    assert len(mail.outbox) == 1
    assert InvitationEmail.objects.count() == 1


def test_a_revoked_invitation_waiting_in_the_outbox_is_not_sent(cast, broker_down):
    from campaigns.invitations import plan_invitation_email

    invitation, _token = Invitation.issue(
        local=cast.local, email="revoked@example.org", role=Role.LEADER, invited_by=cast.leader
    )
    plan_invitation_email(invitation)
    invitation.revoke()
    assert invitations.send_due() == 0
    assert mail.outbox == []
    assert InvitationEmail.objects.get(invitation=invitation).status == "cancelled"


@pytest.mark.django_db(transaction=True)
def test_other_emails_that_cannot_be_queued_are_announced_once(cast, broker_down):
    """Cancelling an action plans notices for the people already reminded; the leader is told
    that the emails wait for the mail service, once however many were planned."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.actions.factories import make_action

    action = make_action(cast.campaign, days=1)
    for n in range(3):
        Reminder.objects.create(
            key=f"test:{action.pk}:{n}",
            campaign=cast.campaign,
            action=action,
            event_label="actions.action",
            event_id=action.pk,
            recipient_email=f"reminded{n}@example.org",
            status=Reminder.Status.SENT,
            due_at=timezone.now() - timedelta(hours=1),
            next_attempt_at=timezone.now() - timedelta(hours=1),
        )
    response = cast.client_for("leader").post(
        reverse("actions:cancel", args=[action.pk]), {"reason": "The board moved its meeting."}
    )
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told.count("Saved. The email will go out when the mail service is back.") == 1
    # The three people reminded and the two stewards of the action's buildings.
    assert (
        Reminder.objects.filter(
            kind=Reminder.Kind.CANCELLATION, status=Reminder.Status.PENDING
        ).count()
        == 5
    )


@pytest.mark.django_db(transaction=True)
def test_a_report_render_that_could_not_be_queued_is_caught_up_by_the_sweep(cast, monkeypatch):
    from bargaining.models import PublishedReport
    from bargaining.tasks import render_public_reports, render_stale_public_reports

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(render_public_reports, "apply_async", refuse)
    bf.make_public_page(cast.campaign)
    session = bf.make_session(cast.campaign, published=False)
    response = cast.client_for("leader").post(
        reverse("bargaining:publish", args=["session", session.pk]), {"action": "publish"}
    )
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Saved. The PDF report will be updated when the background service is back." in told
    assert not PublishedReport.objects.exists()

    render_stale_public_reports()
    campaign = cast.campaign
    campaign.refresh_from_db()
    versions = set(PublishedReport.objects.values_list("page_version", flat=True))
    assert versions == {campaign.public_version}


@pytest.mark.django_db(transaction=True)
def test_the_notice_is_in_the_readers_language(cast, broker_down):
    client = cast.client_for("leader")
    response = client.post(
        reverse("team:invite", args=[cast.local.slug]),
        {"email": "en-espanol@example.org", "role": "leader"},
        HTTP_ACCEPT_LANGUAGE="es",
        follow=True,
    )
    assert "El correo saldrá cuando vuelva el servicio de correo." in response.content.decode()
