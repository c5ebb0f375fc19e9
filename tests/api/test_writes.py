"""Writes through the API, with the app's own checks: recording an attendance as on the
participation page, and the person signup helper, which upserts on an identifier or email."""

from __future__ import annotations

import pytest

from actions.models import Participation
from campaigns.models import Member
from reach.models import Supporter
from tests import factories as f
from tests.actions.factories import make_action

from .helpers import api_for, ours

pytestmark = pytest.mark.django_db


def signup(api, person: dict):
    return api.post(api.aep()["_links"]["osdi:person_signup_helper"]["href"], {"person": person})


def event_link(api, title: str) -> dict:
    events = api.every(api.aep()["_links"]["osdi:events"]["href"], "events")
    return next(e for e in events if e["name"] == title)["_links"]


def test_an_upsert_twice_with_the_same_email_makes_one_person(cast):
    api = api_for(cast, "leader")
    person = {
        "given_name": "Rosa",
        "family_name": "Parks",
        "email_addresses": [{"address": "Rosa@Example.org", "primary": True}],
        "identifiers": ["action_network:1111"],
    }
    first = signup(api, person)
    assert first.status_code == 201, first.content
    second = signup(api, {**person, "identifiers": [], "given_name": "Rosa L."})
    assert second.status_code == 200, second.content
    assert Member.objects.filter(work_email__iexact="rosa@example.org").count() == 1
    member = Member.objects.get(work_email__iexact="rosa@example.org")
    assert member.first_name == "Rosa L."
    assert second.json()["identifiers"] == [f"common_good:{member.uuid}", "action_network:1111"]


def test_an_upsert_finds_the_person_by_a_foreign_identifier(cast):
    api = api_for(cast, "leader")
    signup(api, {"family_name": "Chavez", "identifiers": ["van:42"]})
    again = signup(api, {"family_name": "Chávez", "identifiers": ["van:42"]})
    assert again.status_code == 200
    assert Member.objects.filter(last_name__startswith="Ch").count() == 1


def test_a_steward_updates_their_buildings_member_and_adds_nobody(cast):
    member = f.make_member(cast.building_a, work_email="ana@school.example")
    api = api_for(cast, "steward_a")
    response = signup(
        api,
        {
            "email_addresses": [{"address": "ana@school.example"}],
            "phone_numbers": [{"number": "(916) 555-0101"}],
        },
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert member.phone == "+19165550101"
    before = Member.objects.count()
    refused = signup(api, {"family_name": "New", "email_addresses": [{"address": "n@x.example"}]})
    assert refused.status_code == 403
    assert refused.json()["osdi:status"]["code"] == 403
    assert Member.objects.count() == before


def test_a_steward_cannot_reach_another_buildings_member_by_email(cast):
    member_b = f.make_member(cast.building_b, work_email="bea@school.example")
    response = signup(
        api_for(cast, "steward_a"),
        {"given_name": "Changed", "email_addresses": [{"address": "bea@school.example"}]},
    )
    assert response.status_code == 403
    member_b.refresh_from_db()
    assert member_b.first_name != "Changed"


@pytest.mark.parametrize(("who", "organisation"), [("partner_x", "x"), ("partner_y", "y")])
def test_a_partner_adds_no_member_but_a_supporter_it_brought(cast, who, organisation):
    person = {"family_name": "Someone", "email_addresses": [{"address": "someone@x.example"}]}
    response = signup(api_for(cast, who), person)
    assert response.status_code == 201, response.content
    assert not Member.objects.filter(last_name="Someone").exists()
    supporter = Supporter.objects.get(email="someone@x.example")
    assert supporter.brought_by == getattr(cast, f"organisation_{organisation}")


def test_a_read_only_token_writes_nothing(cast):
    response = signup(api_for(cast, "leader", read_only=True), {"family_name": "Someone"})
    assert response.status_code == 403
    assert not Member.objects.filter(last_name="Someone").exists()


def test_a_steward_records_their_members_attendance_by_following_links(cast):
    member = f.make_member(cast.building_a)
    action = make_action(cast.campaign, title="Rally", days=-1)
    api = api_for(cast, "steward_a")
    people = api.every(api.aep()["_links"]["osdi:people"]["href"], "people")
    person = next(p for p in people if ours(p) == f"common_good:{member.uuid}")
    attendances = event_link(api, "Rally")["osdi:attendances"]["href"]
    body = {"_links": {"osdi:person": person["_links"]["self"]}, "attended": True}
    response = api.post(attendances, body)
    assert response.status_code == 201, response.content
    record = Participation.objects.get(action=action, member=member)
    assert record.attended and record.coming and record.recorded_by == cast.steward_a
    assert response.json()["attended"] is True
    again = api.post(attendances, body)
    assert again.status_code == 200
    assert Participation.objects.filter(action=action).count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("steward_b", 404), ("partner_x", 403), ("other_leader", 404), ("anonymous", 401)],
)
def test_others_cannot_mark_a_member_of_building_a(cast, who, status):
    member = f.make_member(cast.building_a)
    action = make_action(cast.campaign, title="Rally", invited_organisations=[cast.organisation_x])
    leader = api_for(cast, "leader")
    href = event_link(leader, "Rally")["osdi:attendances"]["href"]
    response = api_for(cast, who).post(href, {"identifiers": [f"common_good:{member.uuid}"]})
    assert response.status_code == status, response.content
    assert "osdi:status" in response.json()
    assert not Participation.objects.filter(action=action).exists()


def test_a_cancelled_action_takes_no_attendance(cast):
    member = f.make_member(cast.building_a)
    action = make_action(cast.campaign, title="Rally")
    leader = api_for(cast, "leader")
    href = event_link(leader, "Rally")["osdi:attendances"]["href"]
    action.cancel(by=cast.leader)
    response = leader.post(href, {"identifiers": [f"common_good:{member.uuid}"]})
    assert response.status_code == 403
