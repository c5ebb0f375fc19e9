"""The API walked from its entry point by links only, as each role's token: the same people,
events and attendances as each role sees in the app."""

from __future__ import annotations

import pytest

from actions.models import Action, Participation, Rsvp
from campaigns.models import Member
from tests import factories as f
from tests.actions.factories import make_action

from .helpers import api_for, ours

pytestmark = pytest.mark.django_db

TOKEN_ROLES = ["leader", "steward_a", "steward_b", "partner_x", "partner_y", "other_leader"]


@pytest.fixture
def world(cast):
    for _ in range(3):
        f.make_member(cast.building_a)
    for _ in range(2):
        f.make_member(cast.building_b)
    f.make_member(f.make_building(cast.other_local, "Elsewhere High"))
    private = make_action(cast.campaign, title="CAT meeting")
    invited = make_action(
        cast.campaign, title="Town hall", invited_organisations=[cast.organisation_x]
    )
    public = make_action(cast.campaign, title="Rally", is_public=True)
    for member in Member.objects.filter(building=cast.building_a):
        Participation.mark(invited, member, by=cast.leader, coming=True)
    Participation.mark(
        invited,
        Member.objects.filter(building=cast.building_b).first(),
        by=cast.leader,
        attended=True,
    )
    Rsvp.sign_up(
        invited,
        source="partner",
        name="Pat X",
        email="pat@x.example",
        organisation=cast.organisation_x,
        added_by=cast.partner_x,
    )
    Rsvp.sign_up(invited, source="public", name="Sam Public", email="sam@public.example")
    return {"private": private, "invited": invited, "public": public}


def common_good(rows) -> set[str]:
    return {f"common_good:{row.uuid}" for row in rows}


def test_the_entry_point_links_every_collection(cast):
    aep = api_for(cast, "leader").aep()
    assert aep["max_pagesize"] == 100
    assert aep["motd"]
    assert {"osdi:people", "osdi:events", "osdi:person_signup_helper"} <= set(aep["_links"])
    assert aep["_links"]["curies"][0]["name"] == "osdi"


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_sees_the_people_it_sees_in_the_app(cast, world, who):
    api = api_for(cast, who)
    people = api.every(api.aep()["_links"]["osdi:people"]["href"], "people", per_page=2)
    expected = common_good(Member.objects.visible_to(getattr(cast, who)))
    assert {ours(p) for p in people} == expected
    if who == "partner_x":
        assert people == []


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_sees_the_events_and_attendances_it_sees_in_the_app(cast, world, who):
    api = api_for(cast, who)
    user = getattr(cast, who)
    events = api.every(api.aep()["_links"]["osdi:events"]["href"], "events")
    assert {ours(e) for e in events} == common_good(Action.objects.visible_to(user))
    for event in events:
        attendances = api.every(event["_links"]["osdi:attendances"]["href"], "attendances")
        seen = {ours(a) for a in attendances}
        action = Action.objects.get(uuid=ours(event).split(":")[1])
        members = Participation.objects.filter(
            action=action, member__in=Member.objects.visible_to(user)
        )
        assert common_good(members) <= seen
        for attendance in attendances:
            person = attendance["_links"].get("osdi:person")
            if person:
                # Every member an attendance links to is one the token may read.
                assert api.get(person["href"]).status_code == 200
    if who == "partner_x":
        invited = next(e for e in events if e["name"] == "Town hall")
        attendances = api.every(invited["_links"]["osdi:attendances"]["href"], "attendances")
        # Partner X sees its own RSVP, and no member and no stranger.
        assert [a["person"]["family_name"] for a in attendances] == ["Pat X"]


def test_a_page_says_how_many_pages_and_records(cast, world):
    api = api_for(cast, "leader")
    body = api.get(api.aep()["_links"]["osdi:people"]["href"], per_page=2).json()
    assert body["total_records"] == 5
    assert body["total_pages"] == 3
    assert body["per_page"] == 2
    assert body["page"] == 1
    assert len(body["_embedded"]["osdi:people"]) == 2
    assert body["_links"]["next"]["href"]


def test_per_page_stops_at_max_pagesize(cast, world):
    api = api_for(cast, "leader")
    body = api.get(api.aep()["_links"]["osdi:people"]["href"], per_page=1000).json()
    assert body["per_page"] == 100


def test_a_person_carries_their_contacts_and_identifiers(cast):
    member = f.make_member(cast.building_a, personal_email="home@example.org", phone="+19165550101")
    api = api_for(cast, "steward_a")
    people = api.every(api.aep()["_links"]["osdi:people"]["href"], "people")
    (person,) = people
    assert person["identifiers"] == [f"common_good:{member.uuid}"]
    assert {e["address"] for e in person["email_addresses"]} == {
        member.work_email,
        "home@example.org",
    } - {""}
    assert person["phone_numbers"] == [{"primary": True, "number": "+19165550101"}]
    assert person["given_name"] == member.first_name


def test_a_stewards_token_cannot_read_another_buildings_member(cast):
    member_b = f.make_member(cast.building_b)
    leader = api_for(cast, "leader")
    people = leader.every(leader.aep()["_links"]["osdi:people"]["href"], "people")
    href = next(p for p in people if ours(p) == f"common_good:{member_b.uuid}")["_links"]
    response = api_for(cast, "steward_a").get(href["self"]["href"])
    assert response.status_code == 404
    assert response.json()["osdi:status"]["code"] == 404


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_finds_the_support_levels_it_sees_as_taggings(cast, world, who):
    Member.objects.filter(building=cast.building_a).update(support_level=1)
    Member.objects.filter(building=cast.building_b).update(support_level=2)
    api = api_for(cast, who)
    tags = api.every(api.aep()["_links"]["osdi:tags"]["href"], "tags")
    assert len(tags) == 5
    leaders = next(t for t in tags if t["name"].startswith("1"))
    taggings = api.every(leaders["_links"]["osdi:taggings"]["href"], "taggings")
    people = {
        api.get(t["_links"]["osdi:person"]["href"]).json()["identifiers"][0] for t in taggings
    }
    user = getattr(cast, who)
    assert people == common_good(Member.objects.visible_to(user).filter(support_level=1))


def test_a_sync_follows_next_links_by_keyset_and_sees_everyone_once(cast, world):
    """The ``next`` links carry the cursor and the first page's count: the pages after it
    read on from the last person, without OFFSET and without counting again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(cast, "leader")
    href = api.aep()["_links"]["osdi:people"]["href"]
    first = api.get(href, per_page=2).json()
    seen = [ours(p) for p in first["_embedded"]["osdi:people"]]
    next_href = first["_links"]["next"]["href"]
    assert "after=" in next_href
    pages = [first]
    while next_href:
        with CaptureQueriesContext(connection) as captured:
            body = api.get(next_href).json()
        people_sql = [q["sql"] for q in captured if "campaigns_member" in q["sql"]]
        assert not any("OFFSET" in sql or "COUNT(" in sql for sql in people_sql), people_sql
        seen += [ours(p) for p in body["_embedded"]["osdi:people"]]
        pages.append(body)
        next_href = body["_links"].get("next", {}).get("href")
    assert len(seen) == len(set(seen)) == 5
    assert [p["page"] for p in pages] == [1, 2, 3]
    assert {p["total_records"] for p in pages} == {5}
    assert {p["total_pages"] for p in pages} == {3}
    # The previous link goes back by page number, without the cursor.
    previous = pages[2]["_links"]["previous"]["href"]
    assert "after=" not in previous
    assert (
        api.get(previous).json()["_embedded"]["osdi:people"]
        == (pages[1]["_embedded"]["osdi:people"])
    )


def test_a_forged_count_in_a_next_link_is_counted_again(cast, world):
    api = api_for(cast, "leader")
    first = api.get(api.aep()["_links"]["osdi:people"]["href"], per_page=2).json()
    forged = first["_links"]["next"]["href"].split("&of=")[0] + "&of=999.forged"
    body = api.get(forged).json()
    assert body["total_records"] == 5
