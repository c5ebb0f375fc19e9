"""Tokens: made and revoked on the person's own page, shown once, kept hashed; expired and
revoked tokens stop working; every call is recorded and rate-limited per token."""

from __future__ import annotations

import hashlib
import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from api.models import ApiCall, Token, Webhook
from api.tokens import PerTokenThrottle
from tests import factories as f

from .helpers import Api, api_for, token_for

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_kept_hashed(cast):
    client = cast.client_for("steward_a")
    response = client.post(
        reverse("api:new_token"), {"name": "Action Builder", "days": "90", "read_only": "on"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = Token.objects.get(user=cast.steward_a)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.read_only
    assert secret not in client.get(reverse("api:tokens")).content.decode()
    assert Api(secret).aep()["motd"]


def test_a_person_revokes_their_token_and_it_stops_working(cast):
    raw = token_for(cast.leader)
    token = Token.objects.get(user=cast.leader)
    response = cast.client_for("leader").post(reverse("api:revoke_token", args=[token.pk]))
    assert response.status_code == 302
    answer = Api(raw).get("/api/v1/")
    assert answer.status_code == 401
    assert answer.json()["osdi:status"]["code"] == 401


def test_nobody_revokes_another_persons_token(cast):
    token_for(cast.leader)
    token = Token.objects.get(user=cast.leader)
    response = cast.client_for("steward_a").post(reverse("api:revoke_token", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_expired_token_stops_working(cast):
    raw = token_for(cast.leader, days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert Api(raw).get("/api/v1/").status_code == 401


def test_no_token_is_refused_in_the_osdi_shape(cast):
    response = Api(None).get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["osdi:status"]["code"] == 401
    assert Api("cg_not-a-token").get("/api/v1/").status_code == 401


def test_a_deactivated_persons_token_stops_working(cast):
    raw = token_for(cast.steward_a)
    cast.steward_a.is_active = False
    cast.steward_a.save()
    assert Api(raw).get("/api/v1/").status_code == 401


def test_every_call_is_recorded_without_personal_data(cast):
    f.make_member(cast.building_a, work_email="private@school.example")
    api = api_for(cast, "leader")
    api.every(api.aep()["_links"]["osdi:people"]["href"], "people")
    calls = list(ApiCall.objects.order_by("at"))
    assert [c.path for c in calls] == ["/api/v1/", "/api/v1/people/"]
    assert all(c.user == cast.leader and c.status == 200 for c in calls)
    assert Token.objects.get(user=cast.leader).last_used_at is not None


def test_each_token_has_its_own_rate_limit(cast, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"osdi_token": "2/minute"})
    busy = api_for(cast, "leader")
    assert [busy.get("/api/v1/").status_code for _ in range(3)] == [200, 200, 429]
    refused = busy.get("/api/v1/")
    assert refused.json()["osdi:status"]["code"] == 429
    assert api_for(cast, "leader").get("/api/v1/").status_code == 200


def test_modified_date_filter_returns_only_later_changes(cast):
    old = f.make_member(cast.building_a)
    api = api_for(cast, "leader")
    cut = timezone.now()
    new = f.make_member(cast.building_a)
    people = api.every(
        api.aep()["_links"]["osdi:people"]["href"],
        "people",
        **{"$filter": f"modified_date gt '{cut.isoformat()}'"},
    )
    assert [p["identifiers"][0] for p in people] == [f"common_good:{new.uuid}"]
    assert old.uuid != new.uuid


def test_a_filter_it_cannot_read_is_a_400(cast):
    api = api_for(cast, "leader")
    response = api.get("/api/v1/people/", **{"$filter": "given_name eq 'x'"})
    assert response.status_code == 400
    assert response.json()["osdi:status"]["code"] == 400


def test_the_schema_and_its_documentation_are_served(cast):
    client = cast.client_for("anonymous")
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200
    assert b"/api/v1/people/" in schema.content
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_the_page_that_shows_a_new_token_is_valid_html(cast, tmp_path):
    from tests.test_html_standards import require_vnu

    vnu = require_vnu()
    response = cast.client_for("leader").post(
        reverse("api:new_token"), {"name": "Sync", "days": "30"}
    )
    page = tmp_path / "new-token.html"
    page.write_bytes(response.content)
    checked = subprocess.run(
        [*vnu, "--errors-only", "--format", "gnu", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.stderr == ""


def test_a_leader_registers_a_webhook_and_sees_its_secret_once(cast):
    client = cast.client_for("leader")
    response = client.post(
        reverse("api:webhooks", args=[cast.local.slug]),
        {"url": "https://hooks.example.org/in", "events": ["person", "rsvp"]},
    )
    assert response.status_code == 200
    hook = Webhook.objects.get()
    assert hook.events == ["person", "rsvp"]
    assert hook.secret in response.content.decode()
    again = client.get(reverse("api:webhooks", args=[cast.local.slug])).content.decode()
    assert hook.secret not in again and hook.url in again
    removed = client.post(reverse("api:remove_webhook", args=[hook.pk]))
    assert removed.status_code == 302
    hook.refresh_from_db()
    assert hook.removed_at is not None
