"""A real Redis, used as cache and broker, is stopped in the middle of the run and started
again. While it is down people sign in, read the public page and a demand's history, and a
leader invites someone: every page answers, the leader is told the email waits, and the email
goes out exactly once after Redis is back and the beat's sweep runs. The same holds for
broadcasts, petitions, public surveys, the article tracker and decision requests."""

from __future__ import annotations

import subprocess
import time

import kombu.pools
import pytest
import redis
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, InvitationEmail
from actions.tasks import send_due_reminders
from campaigns.tasks import send_due_invitations
from config.celery import app as celery_app
from tests import factories as f
from tests.bargaining import factories as bf
from tests.demands.factories import make_demand
from tests.services import free_port, has_executable, wait_for_port

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


class OwnRedis:
    """A redis-server of this test's own, on a free port, that the test may stop and start."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None


def _forget_broker_connections() -> None:
    """Make Celery connect again with its current configuration: close and forget the pooled
    connections (kombu keeps them in a registry of its own) and the app's references to them."""
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis(tmp_path, settings):
    if not has_executable("redis-server"):
        pytest.skip("needs redis-server (apt-get install redis-server; CI has it)")
    server = OwnRedis(tmp_path)
    server.start()
    configured = settings.CACHES["default"]
    if "redis" not in configured["BACKEND"].lower():
        pytest.skip("needs the Redis cache of production: set CACHE_URL (CI does)")
    settings.CACHES = {"default": {**configured, "LOCATION": server.url(1)}}
    previous = (
        celery_app.conf.broker_url,
        celery_app.conf.task_always_eager,
        celery_app.conf.task_default_queue,
    )
    celery_app.conf.broker_url = server.url(0)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = "outage-test"
    _forget_broker_connections()
    try:
        yield server
    finally:
        server.stop()
        (
            celery_app.conf.broker_url,
            celery_app.conf.task_always_eager,
            celery_app.conf.task_default_queue,
        ) = previous
        _forget_broker_connections()


def queued_tasks(server: OwnRedis) -> int:
    return redis.Redis.from_url(server.url(0)).llen("outage-test")


def test_redis_stops_and_starts_nothing_fails_and_the_invitation_goes_out_once(cast, own_redis):
    bf.make_public_page(cast.campaign)
    demand = make_demand(cast.campaign, by=cast.leader)
    # With Redis up, work is queued as usual.
    send_due_reminders.delay()
    assert queued_tasks(own_redis) == 1

    own_redis.stop()

    leader = Client()
    response = leader.post(
        reverse("account_login"), {"login": cast.leader.email, "password": f.PASSWORD}
    )
    assert response.status_code == 302
    assert leader.get(reverse("home")).status_code == 200
    assert leader.get(reverse("demands:history", args=[demand.pk])).status_code == 200
    public = Client().get(reverse("open:campaign", args=[cast.campaign.slug]))
    assert public.status_code == 200

    started = time.monotonic()
    response = leader.post(
        reverse("team:invite", args=[cast.local.slug]),
        {"email": "while-down@example.org", "role": "steward", "buildings": [cast.building_a.pk]},
    )
    took = time.monotonic() - started
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The invitation to while-down@example.org is saved. The email will go out when the "
        "mail service is back."
    ]
    assert took < 5, f"the invitation took {took:.1f}s with the broker down"
    team = leader.get(reverse("team:people", args=[cast.local.slug]))
    assert team.status_code == 200 and "while-down@example.org" in team.content.decode()
    assert "email not sent yet" in team.content.decode()
    invitation = Invitation.objects.get(email="while-down@example.org")
    row = InvitationEmail.objects.get(invitation=invitation)
    assert row.status == InvitationEmail.Status.PENDING
    assert mail.outbox == []

    own_redis.start()

    # The beat's next tick reaches the broker again; the worker runs the sweep (here in this
    # process), and a second tick finds nothing left to send.
    send_due_invitations.delay()
    assert queued_tasks(own_redis) == 1  # a fresh server: only the new tick is queued
    send_due_invitations()
    send_due_invitations()
    assert [m.to for m in mail.outbox] == [["while-down@example.org"]]
    row.refresh_from_db()
    assert row.status == InvitationEmail.Status.SENT
    team = leader.get(reverse("team:people", args=[cast.local.slug])).content.decode()
    assert "while-down@example.org" in team and "email not sent yet" not in team
    assert Client().get(reverse("open:campaign", args=[cast.campaign.slug])).status_code == 200


def test_redis_stopped_the_pages_added_last_round_answer(cast, own_redis):
    """Broadcasts (the leader's and a partner's), the petition's sign page, the public
    survey, the article tracker and decision requests, read and written with Redis down:
    every page answers, and what would be sent waits in its outbox."""
    from datetime import timedelta

    from django.utils import timezone

    from broadcasts.models import Broadcast, Delivery
    from demands.models import DecisionRequest
    from reach.models import Signature
    from surveys.models import Response, Survey
    from tests.broadcasts.factories import make_broadcast
    from tests.reach.factories import make_petition
    from tests.reach.test_petitions import later as petition_later
    from tests.reach.test_petitions import sign_data
    from tests.surveys.factories import make_survey, post_data
    from tests.surveys.test_surveys import _later as survey_later

    bf.make_public_page(cast.campaign, tracker_on=True)
    article = bf.make_article(cast.campaign, title="Class size")
    bf.make_version(bf.make_proposal(cast.campaign, article=article), text="Caps of 24.")
    f.make_member(cast.building_a)
    broadcast = make_broadcast(cast.campaign)
    partner_broadcast = make_broadcast(
        cast.campaign,
        audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        organisation=cast.organisation_x,
    )
    petition = make_petition(cast.campaign)
    survey = make_survey(
        cast.campaign, audience=Survey.Audience.PUBLIC, open_by=cast.leader, slug="listening"
    )
    demand = make_demand(cast.campaign, by=cast.leader, coauthors=[cast.organisation_x])

    own_redis.stop()

    leader, partner, visitor = Client(), Client(), Client()
    leader.force_login(cast.leader)
    partner.force_login(cast.partner_x)
    slug = cast.campaign.slug
    for client, url in [
        (leader, reverse("broadcasts:list", args=[slug])),
        (leader, reverse("broadcasts:create", args=[slug])),
        (leader, reverse("broadcasts:detail", args=[broadcast.pk])),
        (partner, reverse("broadcasts:partner_list", args=[cast.organisation_x.pk])),
        (partner, reverse("broadcasts:partner_create", args=[cast.organisation_x.pk])),
        (partner, reverse("broadcasts:partner_detail", args=[partner_broadcast.pk])),
        (visitor, petition.get_public_url()),
        (visitor, reverse("open_surveys:answer", args=[slug, survey.slug])),
        (visitor, reverse("open:articles", args=[slug])),
        (visitor, reverse("open:articles", args=[slug]) + "?lang=es"),
        (leader, reverse("demands:decision_ask", args=[demand.pk])),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    # Scheduling writes the deliveries; they wait for the worker.
    response = leader.post(reverse("broadcasts:schedule", args=[broadcast.pk]))
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Saved. The email will go out when the mail service is back." in told
    assert Delivery.objects.filter(broadcast=broadcast, status=Delivery.Status.PENDING).exists()

    url = petition.get_public_url()
    data = sign_data(visitor, url, email="signed-while-down@example.org")
    with petition_later():
        response = visitor.post(url, data)
    assert response.status_code == 302
    assert Signature.objects.filter(petition=petition).count() == 1

    url = reverse("open_surveys:answer", args=[slug, survey.slug])
    issued = visitor.get(url).context["form"].initial["issued"]
    with survey_later():
        response = visitor.post(url, {**post_data(survey), "issued": issued})
    assert response.status_code == 302 and Response.objects.filter(survey=survey).count() == 1

    deadline = timezone.localtime(timezone.now() + timedelta(days=7))
    response = leader.post(
        reverse("demands:decision_ask", args=[demand.pk]),
        {
            "organisations": [cast.organisation_x.pk],
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "question": "Do you agree?",
        },
    )
    assert response.status_code == 302
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Saved. The email will go out when the mail service is back." in told
    decision = DecisionRequest.objects.get(demand=demand)
    response = partner.get(reverse("demands:decision", args=[decision.pk]))
    assert response.status_code == 200
    response = partner.post(
        reverse("demands:decision", args=[decision.pk]),
        {"organisation": cast.organisation_x.pk, "choice": "agree", "reason": "It helps."},
    )
    assert response.status_code == 302
    assert mail.outbox == []
