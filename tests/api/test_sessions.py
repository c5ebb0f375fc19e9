"""Published bargaining sessions are events of the API, told apart from actions by their
type, read-only, with their times in the local's zone and the modified_date filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.actions.factories import make_action
from tests.bargaining.factories import make_session

from .helpers import api_for
from .test_walk import TOKEN_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(cast):
    held = make_session(
        cast.campaign,
        starts_at=datetime(2027, 1, 15, 1, 30, tzinfo=UTC),  # 17:30 on the 14th in LA
        ends_at=datetime(2027, 1, 15, 4, 0, tzinfo=UTC),
        agenda="Internal agenda",
        notes="Internal notes",
    )
    hidden = make_session(cast.campaign, published=False, offset_days=7)
    return held, hidden


def session_events(api) -> list[dict]:
    events = api.every(api.aep()["_links"]["osdi:events"]["href"], "events", per_page=2)
    return [e for e in events if e["type"] == "bargaining_session"]


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_of_the_local_reads_the_published_sessions(cast, sessions, who):
    api = api_for(cast, who)
    found = session_events(api)
    if who == "other_leader":
        assert found == []
        return
    (event,) = found
    assert event["start_date"] == "2027-01-14T17:30:00-08:00"
    assert event["end_date"] == "2027-01-14T20:00:00-08:00"
    assert event["location"] == {"venue": "District board room"}
    assert event["description"] == "Public summary"
    assert event["status"] == "confirmed"
    assert event["identifiers"][0].startswith("common_good:")
    assert "Internal" not in str(event)
    again = api.get(event["_links"]["self"]["href"])
    assert again.status_code == 200
    assert again.json() == event


def test_a_session_is_in_spanish_for_a_spanish_client(cast, sessions):
    api = api_for(cast, "leader")
    api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    (event,) = session_events(api)
    assert event["description"] == "Resumen público"


def test_the_modified_date_filter_reads_sessions_too(cast, sessions):
    held, _hidden = sessions
    api = api_for(cast, "leader")
    href = api.aep()["_links"]["osdi:events"]["href"]
    later = (held.updated_at + timedelta(seconds=1)).isoformat()
    assert api.every(href, "events", **{"$filter": f"modified_date gt '{later}'"}) == []
    earlier = (held.updated_at - timedelta(seconds=1)).isoformat()
    found = api.every(href, "events", **{"$filter": f"modified_date gt '{earlier}'"})
    assert [e["type"] for e in found] == ["bargaining_session"]


def test_another_locals_leader_cannot_read_a_session(cast, sessions):
    (event,) = session_events(api_for(cast, "leader"))
    response = api_for(cast, "other_leader").get(event["_links"]["self"]["href"])
    assert response.status_code == 404


def test_an_action_is_at_its_local_hour_with_the_offset(cast):
    """A rally at 19:00 in Los Angeles is written 19:00-08:00, not as the next day in UTC."""
    make_action(
        cast.campaign,
        title="Rally at the board",
        starts_at=datetime(2027, 1, 15, 3, 0, tzinfo=UTC),
        ends_at=datetime(2027, 1, 15, 4, 30, tzinfo=UTC),
    )
    api = api_for(cast, "leader")
    events = api.every(api.aep()["_links"]["osdi:events"]["href"], "events", per_page=2)
    (rally,) = [e for e in events if e["title"] == "Rally at the board"]
    assert rally["type"] == "action"
    assert rally["start_date"] == "2027-01-14T19:00:00-08:00"
    assert rally["end_date"] == "2027-01-14T20:30:00-08:00"
