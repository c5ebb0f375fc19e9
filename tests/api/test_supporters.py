"""Supporters as OSDI people: beside the members in the people collection, scoped as in the
app (a leader their local's, a partner their organisation's, a steward none), their consent
as the address's status, found by ``modified_date`` when their consent changes, upserted by
a partner's person signup, and linked from their signatures."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from api.models import Identifier
from campaigns.models import Member
from reach.models import Consent, Supporter
from tests import factories as f
from tests.reach.factories import make_petition, make_supporter

from .helpers import api_for, ours

pytestmark = pytest.mark.django_db

TOKEN_ROLES = ["leader", "steward_a", "steward_b", "partner_x", "partner_y", "other_leader"]


@pytest.fixture
def supporters(cast) -> dict[str, Supporter]:
    f.make_member(cast.building_a, personal_email="member@home.example")
    made = {
        "x": make_supporter(cast.local, brought_by=cast.organisation_x),
        "y": make_supporter(cast.local, brought_by=cast.organisation_y),
        "plain": make_supporter(cast.local),
        "other": make_supporter(cast.other_local),
    }
    # A member who signed is one of the people as the member, not twice.
    Supporter.match_or_create(
        cast.local, email="member@home.example", brought_by=cast.organisation_x
    )
    # An online signer who has not clicked the link yet may have typed someone else's address.
    make_petition(cast.campaign).sign_online(
        name="Not yet", email="pending@example.org", brought_by=cast.organisation_x
    )
    return made


SEES = {
    "leader": {"x", "y", "plain"},
    "steward_a": set(),
    "steward_b": set(),
    "partner_x": {"x"},
    "partner_y": {"y"},
    "other_leader": {"other"},
}


def people(api, **params) -> list[dict]:
    return api.every(api.aep()["_links"]["osdi:people"]["href"], "people", **params)


def is_supporter(person: dict) -> bool:
    return "/people/supporters/" in person["_links"]["self"]["href"]


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_sees_the_supporters_it_sees_in_the_app_after_the_members(cast, supporters, who):
    api = api_for(cast, who)
    found = people(api, per_page=2)
    expected = {f"common_good:{supporters[key].uuid}" for key in SEES[who]}
    assert {ours(p) for p in found if is_supporter(p)} == expected
    members = {ours(p) for p in found if not is_supporter(p)}
    visible = Member.objects.visible_to(getattr(cast, who))
    assert members == {f"common_good:{m.uuid}" for m in visible}
    kinds = [is_supporter(p) for p in found]
    assert kinds == sorted(kinds), "members first, then supporters"
    assert len(found) == len({ours(p) for p in found})
    for person in found:
        assert api.get(person["_links"]["self"]["href"]).status_code == 200


@pytest.mark.parametrize("who", ["steward_a", "partner_y", "other_leader", "anonymous"])
def test_others_cannot_read_organisation_xs_supporter(cast, supporters, who):
    leader = api_for(cast, "leader")
    href = next(p for p in people(leader) if ours(p) == f"common_good:{supporters['x'].uuid}")[
        "_links"
    ]["self"]["href"]
    response = api_for(cast, who).get(href)
    assert response.status_code == (401 if who == "anonymous" else 404)
    assert "osdi:status" in response.json()


def test_a_supporter_carries_contacts_identifiers_and_the_readers_consent(cast):
    supporter = make_supporter(
        cast.local,
        email="ana@example.org",
        name="Ana Reyes",
        phone="+19165550101",
        postcode="95815",
        language="es",
        brought_by=cast.organisation_x,
    )
    Identifier.attach(supporter, ["action_network:ana-1"])
    supporter.give_consent(Consent.Purpose.CAMPAIGN_UPDATES, how="online", wording="Updates")
    leader = people(api_for(cast, "leader"))
    partner = people(api_for(cast, "partner_x"))
    (as_leader,) = [p for p in leader if is_supporter(p)]
    (as_partner,) = partner
    assert as_leader["identifiers"] == [f"common_good:{supporter.uuid}", "action_network:ana-1"]
    assert as_leader["family_name"] == "Ana Reyes"
    assert as_leader["phone_numbers"] == [{"primary": True, "number": "+19165550101"}]
    assert as_leader["postal_addresses"] == [{"primary": True, "postal_code": "95815"}]
    assert as_leader["languages_spoken"] == ["es"]
    # The campaign's updates are the leader's to send; the partner's are X's own.
    assert as_leader["email_addresses"][0]["status"] == "subscribed"
    assert as_partner["email_addresses"] == [
        {"primary": True, "address": "ana@example.org", "status": "unsubscribed"}
    ]
    consent = supporter.give_consent(
        Consent.Purpose.PARTNER_UPDATES,
        how="online",
        wording="Updates from X",
        organisation=cast.organisation_x,
    )
    assert people(api_for(cast, "partner_x"))[0]["email_addresses"][0]["status"] == "subscribed"
    consent.withdraw()
    assert people(api_for(cast, "partner_x"))[0]["email_addresses"][0]["status"] == "unsubscribed"


def test_a_later_consent_or_withdrawal_brings_the_supporter_into_a_sync_since(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        supporter = make_supporter(cast.local)
    api = api_for(cast, "leader")

    def changed_since(moment) -> list[str]:
        since = f"modified_date gt '{moment.isoformat()}'"
        return [ours(p) for p in people(api, **{"$filter": since})]

    ours_id = f"common_good:{supporter.uuid}"
    assert changed_since(start + timedelta(minutes=1)) == []
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        consent = supporter.give_consent(
            Consent.Purpose.CAMPAIGN_UPDATES, how="online", wording="Updates"
        )
    assert changed_since(start + timedelta(minutes=30)) == [ours_id]
    assert changed_since(start + timedelta(hours=2)) == []
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        consent.withdraw()
    assert changed_since(start + timedelta(hours=2)) == [ours_id]


def signup(api, person: dict):
    return api.post(api.aep()["_links"]["osdi:person_signup_helper"]["href"], {"person": person})


def test_a_partners_signup_twice_with_the_same_email_makes_one_supporter_it_brought(cast):
    api = api_for(cast, "partner_x")
    person = {
        "given_name": "Rosa",
        "family_name": "Parks",
        "email_addresses": [{"address": "Rosa@Example.org"}],
        "identifiers": ["action_network:rosa"],
    }
    first = signup(api, person)
    assert first.status_code == 201, first.content
    phone = [{"number": "916 555 0101"}]
    second = signup(api, {**person, "identifiers": [], "phone_numbers": phone})
    assert second.status_code == 200, second.content
    (supporter,) = Supporter.objects.filter(local=cast.local)
    assert supporter.email == "rosa@example.org" and supporter.name == "Rosa Parks"
    assert supporter.brought_by == cast.organisation_x
    assert supporter.phone == "+19165550101"
    assert second.json()["identifiers"] == [f"common_good:{supporter.uuid}", "action_network:rosa"]
    assert not Member.objects.filter(last_name="Parks").exists()
    # Found again by the identifier the partner gave, whatever the email.
    moved = [{"address": "new@example.org"}]
    again = signup(api, {"identifiers": ["action_network:rosa"], "email_addresses": moved})
    assert again.status_code == 200
    assert Supporter.objects.filter(local=cast.local).count() == 1


@pytest.mark.parametrize("whose", ["member", "partner_y"])
def test_a_partners_signup_of_someone_it_does_not_see_says_nothing_about_them(cast, whose):
    if whose == "member":
        f.make_member(cast.building_a, work_email="known@school.example", phone="+19165550100")
    else:
        make_supporter(
            cast.local, email="known@school.example", brought_by=cast.organisation_y, phone=""
        )
    response = signup(
        api_for(cast, "partner_x"),
        {
            "family_name": "Someone",
            "email_addresses": [{"address": "known@school.example"}],
            "identifiers": ["action_network:taken"],
        },
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert set(body) == {"request_type", "response_code", "osdi:status"}
    assert "known@school.example" not in response.content.decode()
    assert not Supporter.objects.filter(brought_by=cast.organisation_x).exists()
    assert not Identifier.objects.filter(value="taken").exists()


def test_a_partners_signup_needs_an_email(cast):
    response = signup(api_for(cast, "partner_x"), {"family_name": "Nobody"})
    assert response.status_code == 400
    assert not Supporter.objects.exists()


def test_a_supporters_signature_links_to_them_among_the_people(cast):
    petition = make_petition(cast.campaign)
    petition.add_paper_signatures(
        [{"name": "Lee", "email": "lee@example.org", "postcode": ""}],
        by=cast.partner_x,
        organisation=cast.organisation_x,
    )
    supporter = Supporter.objects.get(email="lee@example.org")
    for who in ("leader", "partner_x"):
        api = api_for(cast, who)
        found = api.every(api.aep()["_links"]["osdi:petitions"]["href"], "petitions")[0]
        (signature,) = api.every(found["_links"]["osdi:signatures"]["href"], "signatures")
        person = api.get(signature["_links"]["osdi:person"]["href"])
        assert person.status_code == 200
        assert ours(person.json()) == f"common_good:{supporter.uuid}"
