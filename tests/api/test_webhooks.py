"""Webhooks: a receiver on 127.0.0.1 gets each event once, signed, even when it refuses the
first two attempts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from api import webhooks
from api.models import Delivery, Webhook
from tests import factories as f
from tests.actions.factories import make_action

from .helpers import api_for, ours

pytestmark = pytest.mark.django_db


class Receiver:
    """An HTTP server that answers 500 to the first ``fail`` requests, then 204."""

    def __init__(self, fail: int):
        self.fail = fail
        self.requests: list = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.headers, body))
                self.send_response(500 if len(receiver.requests) <= receiver.fail else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self) -> list:
        return self.requests[self.fail :]


@pytest.fixture
def receiver():
    receiver = Receiver(fail=2)
    yield receiver
    receiver.server.shutdown()


def valid(secret: str, headers: dict, body: bytes) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["X-CommonGood-Signature"], expected)


def send_until_quiet(rounds: int = 6) -> None:
    """Run the sender, moving the clock past each back-off."""
    moment = timezone.now()
    for _ in range(rounds):
        with time_machine.travel(moment, tick=False):
            webhooks.send_due()
        moment += timedelta(hours=1)


def test_each_event_arrives_once_signed_after_two_failures(cast, receiver):
    hook, secret = Webhook.register(
        local=cast.local, url=receiver.url, events=["person", "attendance", "rsvp"], by=cast.leader
    )
    member = f.make_member(cast.building_a)
    make_action(cast.campaign, title="Rally", days=-1)
    api = api_for(cast, "leader")
    aep = api.aep()
    created = api.post(
        aep["_links"]["osdi:person_signup_helper"]["href"], {"person": {"family_name": "Newcomer"}}
    )
    assert created.status_code == 201
    events = api.every(aep["_links"]["osdi:events"]["href"], "events")
    href = events[0]["_links"]["osdi:attendances"]["href"]
    marked = api.post(href, {"identifiers": [f"common_good:{member.uuid}"], "attended": True})
    assert marked.status_code == 201
    assert Delivery.objects.filter(webhook=hook).count() == 3  # person, rsvp, attendance

    send_until_quiet()

    accepted = receiver.accepted()
    assert len(receiver.requests) == 3 + 2  # two refusals, then each event once
    for headers, body in receiver.requests:
        assert valid(secret, headers, body)
    documents = [json.loads(body) for _headers, body in accepted]
    assert sorted(d["event"] for d in documents) == ["attendance", "person", "rsvp"]
    assert len({d["id"] for d in documents}) == 3
    person = next(d for d in documents if d["event"] == "person")["payload"]
    assert ours(person).startswith("common_good:")
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
    # The refused deliveries were tried again under the same delivery id.
    first_id = receiver.requests[0][0]["X-CommonGood-Delivery"]
    assert sum(h["X-CommonGood-Delivery"] == first_id for h, _b in receiver.requests) >= 2


def test_planning_an_event_twice_delivers_it_once(cast, receiver):
    Webhook.register(local=cast.local, url=receiver.url, events=["person"], by=cast.leader)
    for _ in range(2):
        webhooks.plan(cast.local.pk, "person", "person:same", {"identifiers": []})
    receiver.fail = 0
    send_until_quiet(2)
    assert len(receiver.requests) == 1


def test_a_webhook_hears_only_its_own_locals_events(cast, receiver):
    Webhook.register(local=cast.other_local, url=receiver.url, events=["person"], by=cast.leader)
    assert webhooks.plan(cast.local.pk, "person", "person:x", {}) == 0


def test_a_claimed_delivery_is_not_claimed_twice(cast, receiver):
    Webhook.register(local=cast.local, url=receiver.url, events=["person"], by=cast.leader)
    webhooks.plan(cast.local.pk, "person", "person:x", {})
    _token, first = webhooks.claim()
    _token, second = webhooks.claim()
    assert len(first) == 1 and second == []


def test_a_delivery_that_keeps_failing_stops(cast):
    Webhook.register(
        local=cast.local, url="http://127.0.0.1:9/closed", events=["person"], by=cast.leader
    )
    webhooks.plan(cast.local.pk, "person", "person:x", {})
    send_until_quiet(webhooks.MAX_ATTEMPTS + 2)
    delivery = Delivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.attempts == webhooks.MAX_ATTEMPTS


def test_what_people_do_on_the_apps_pages_arrives_once(cast, receiver):
    """A public RSVP, a steward's mark on the participation page and a new member reach the
    webhook through the sweep, once each however often it runs."""
    from actions.models import Participation, Rsvp

    receiver.fail = 0
    Webhook.register(
        local=cast.local, url=receiver.url, events=["person", "rsvp", "attendance"], by=cast.leader
    )
    action = make_action(cast.campaign, title="Rally", is_public=True)
    Rsvp.sign_up(action, source="public", name="Sam", email="sam@example.org")
    member = f.make_member(cast.building_a)
    client = cast.client_for("steward_a")
    client.post(
        reverse("actions:participation_mark", args=[action.pk, member.pk]),
        {"field": "attended", "value": "1"},
    )
    assert Participation.objects.get(member=member).attended
    for _ in range(3):
        webhooks.sweep()
    send_until_quiet(2)
    events = sorted(json.loads(body)["event"] for _h, body in receiver.requests)
    # The new member, Sam's RSVP, the member's RSVP (came, so was coming) and attendance.
    assert events == ["attendance", "person", "rsvp", "rsvp"]
    other = Webhook.register(
        local=cast.other_local, url=receiver.url, events=["person"], by=cast.other_leader
    )[0]
    webhooks.sweep()
    assert not other.deliveries.exists()


def test_a_new_signature_arrives_once_signed_after_two_failures(cast, receiver):
    """One through the record signature helper (twice), one typed in from a paper sheet and
    one confirmed on line: each reaches the webhook once, however often the sweep runs."""
    from tests.reach.factories import make_petition

    hook, secret = Webhook.register(
        local=cast.local, url=receiver.url, events=["signature"], by=cast.leader
    )
    petition = make_petition(cast.campaign)
    api = api_for(cast, "leader")
    found = api.every(api.aep()["_links"]["osdi:petitions"]["href"], "petitions")[0]
    helper = found["_links"]["osdi:record_signature_helper"]["href"]
    body = {"person": {"family_name": "Lee", "email_addresses": [{"address": "lee@example.org"}]}}
    assert api.post(helper, body).status_code == 201
    assert api.post(helper, body).status_code == 200
    petition.add_paper_signatures(
        [{"name": "Ada", "email": "ada@example.org", "postcode": ""}], by=cast.leader
    )
    petition.sign_online(name="Sam", email="sam@example.org").confirm()
    for _ in range(3):
        webhooks.sweep()
    assert hook.deliveries.count() == 3

    send_until_quiet()

    assert len(receiver.requests) == 3 + 2
    for headers, raw in receiver.requests:
        assert valid(secret, headers, raw)
    documents = [json.loads(raw) for _headers, raw in receiver.accepted()]
    assert {d["event"] for d in documents} == {"signature"}
    addresses = sorted(d["payload"]["person"]["email_addresses"][0]["address"] for d in documents)
    assert addresses == ["ada@example.org", "lee@example.org", "sam@example.org"]
    assert len({d["id"] for d in documents}) == 3


def test_a_new_supporter_arrives_once_as_a_person_signed_after_two_failures(cast, receiver):
    """One added by a partner's person signup (twice), one who signed on line and confirmed:
    each reaches the leaders' webhook once as a person, however often the sweep runs; the
    online signer only once their address is confirmed."""
    from reach.models import Supporter
    from tests.reach.factories import make_petition

    hook, secret = Webhook.register(
        local=cast.local, url=receiver.url, events=["person"], by=cast.leader
    )
    partner = api_for(cast, "partner_x")
    helper = partner.aep()["_links"]["osdi:person_signup_helper"]["href"]
    person = {"family_name": "Lee", "email_addresses": [{"address": "lee@example.org"}]}
    assert partner.post(helper, {"person": person}).status_code == 201
    assert partner.post(helper, {"person": person}).status_code == 200
    signature = make_petition(cast.campaign).sign_online(name="Sam", email="sam@example.org")
    webhooks.sweep()
    assert hook.deliveries.count() == 1  # Sam's address is not confirmed yet
    signature.confirm()
    for _ in range(3):
        webhooks.sweep()
    assert hook.deliveries.count() == 2

    send_until_quiet()

    assert len(receiver.requests) == 2 + 2
    for headers, raw in receiver.requests:
        assert valid(secret, headers, raw)
    documents = [json.loads(raw) for _headers, raw in receiver.accepted()]
    assert [d["event"] for d in documents] == ["person", "person"]
    assert len({d["id"] for d in documents}) == 2
    expected = {f"common_good:{s.uuid}" for s in Supporter.objects.filter(local=cast.local)}
    assert {ours(d["payload"]) for d in documents} == expected
    names = sorted(d["payload"]["family_name"] for d in documents)
    assert names == ["Lee", "Sam"]
    for document in documents:
        assert "/people/supporters/" in document["payload"]["_links"]["self"]["href"]
