"""Every call made with a token is on the audit trail: a leader sees who (the token's person
and the token's name) called what (method, address without secrets, status) and when, in the
local's time; another local's leader does not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.urls import reverse

from api.models import ApiCall, Token
from api.trail import shown_path
from tests import factories as f

from .helpers import Api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the audit trail's triggers need PostgreSQL: set DATABASE_URL (CI does)")


def trail(cast, as_="leader", **params) -> str:
    response = cast.client_for(as_).get(reverse("audit:trail"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_stewards_api_call_is_on_the_leaders_trail_in_local_time(cast):
    _token, raw = Token.issue(cast.steward_a, name="Field sync", read_only=True, days=30)
    api = Api(raw)
    people = api.aep()["_links"]["osdi:people"]["href"]
    assert api.get(people, per_page=5).status_code == 200
    call = ApiCall.objects.get(path__startswith="/api/v1/people/")
    assert call.local == cast.local
    ApiCall.objects.filter(pk=call.pk).update(at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC))
    page = trail(cast, record="api_call")
    assert "API call GET /api/v1/people/?per_page=5, answered 200" in page
    assert "“Field sync”" in page
    assert cast.steward_a.display_name in page
    assert 'datetime="2026-11-01T19:00:00-0800"' in page
    # Filtered by the person, the call is found; by someone else, not.
    assert "Field sync" in trail(cast, who=cast.steward_a.email)
    assert "Field sync" not in trail(cast, who=cast.leader.email)
    assert "Field sync" not in trail(cast, as_="other_leader")


def test_a_write_by_token_names_the_tokens_person_on_the_trail(cast):
    member = f.make_member(cast.building_a, work_email="signup@a.example")
    _token, raw = Token.issue(cast.leader, name="Action Network", read_only=False, days=30)
    api = Api(raw)
    helper = api.aep()["_links"]["osdi:person_signup_helper"]["href"]
    person = {"family_name": "Renamed", "email_addresses": [{"address": member.work_email}]}
    body = {"person": person}
    assert api.post(helper, body).status_code == 200
    page = trail(cast, record="member", id=member.pk)
    assert "Renamed" in page
    assert cast.leader.display_name in page


def test_secret_looking_parameters_are_hidden():
    assert shown_path("/api/v1/people/?per_page=5&api_key=abc&$filter=x") == (
        "/api/v1/people/?per_page=5&api_key=…&$filter=x"
    )
    assert shown_path("/api/v1/") == "/api/v1/"
