"""Petitions and signatures through the API, walked from the entry point by links only: each
role sees the signers it sees in the app, and the record signature helper upserts one signer
per email or identifier, recorded as a paper sheet's row is, with the API as its source."""

from __future__ import annotations

import pytest

from api.models import Delivery, Webhook
from reach.models import Consent, Signature, Supporter
from tests import factories as f
from tests.reach.factories import make_petition

from .helpers import api_for, ours
from .test_walk import TOKEN_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition(cast):
    """A published petition signed by a member of A, a member of B, X's and Y's people and a
    stranger on line."""
    petition = make_petition(cast.campaign)
    member_a = f.make_member(cast.building_a, work_email="ana@a.example")
    member_b = f.make_member(cast.building_b, work_email="bo@b.example")
    rows = [
        {"name": "", "email": member_a.work_email, "postcode": ""},
        {"name": "", "email": member_b.work_email, "postcode": ""},
    ]
    petition.add_paper_signatures(rows, by=cast.leader)
    petition.add_paper_signatures(
        [{"name": "Xena", "email": "xena@x.example", "postcode": "95815"}],
        by=cast.partner_x,
        organisation=cast.organisation_x,
    )
    petition.add_paper_signatures(
        [{"name": "Yuri", "email": "yuri@y.example", "postcode": "95815"}],
        by=cast.partner_y,
        organisation=cast.organisation_y,
    )
    online = petition.sign_online(name="Stranger", email="stranger@example.net")
    online.confirm()
    return petition


EXPECTED_SIGNERS = {
    "leader": {"ana@a.example", "bo@b.example", "xena@x.example", "yuri@y.example",
               "stranger@example.net"},
    "steward_a": {"ana@a.example"},
    "steward_b": {"bo@b.example"},
    "partner_x": {"xena@x.example"},
    "partner_y": {"yuri@y.example"},
}  # fmt: skip


def signers(signatures) -> set[str]:
    return {Signature.objects.get(uuid=ours(s).split(":")[1]).supporter.email for s in signatures}


@pytest.mark.parametrize("who", TOKEN_ROLES)
def test_each_role_sees_the_signers_it_sees_in_the_app(cast, petition, who):
    api = api_for(cast, who)
    petitions = api.every(api.aep()["_links"]["osdi:petitions"]["href"], "petitions")
    if who == "other_leader":
        assert petitions == []
        return
    (found,) = petitions
    assert ours(found) == f"common_good:{petition.uuid}"
    assert found["total_signatures"] == 5
    assert found["signature_goal"] == 100
    assert found["target"][0]["name"] == petition.target.name
    assert found["browser_url"].endswith(petition.get_public_url())
    signatures = api.every(found["_links"]["osdi:signatures"]["href"], "signatures", per_page=2)
    assert signers(signatures) == EXPECTED_SIGNERS[who]
    for signature in signatures:
        emails = signature["person"].get("email_addresses", [])
        if who.startswith("steward"):
            # A steward reads a member signer through the person, never as a supporter.
            assert emails == []
            assert api.get(signature["_links"]["osdi:person"]["href"]).status_code == 200
        else:
            assert emails
        assert api.get(signature["_links"]["self"]["href"]).status_code == 200


def test_the_statement_is_in_the_requests_language(cast, petition):
    api = api_for(cast, "leader")
    href = api.aep()["_links"]["osdi:petitions"]["href"]
    english = api.every(href, "petitions")[0]
    api.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "es"
    spanish = api.every(href, "petitions")[0]
    assert english["title"] == "Fund counselors in every school"
    assert spanish["title"] == "Consejeros en cada escuela"
    assert spanish["description"] == "Pedimos a la junta que financie consejeros."


def test_a_stewards_token_cannot_read_a_signature_of_another_building(cast, petition):
    leader = api_for(cast, "leader")
    found = leader.every(leader.aep()["_links"]["osdi:petitions"]["href"], "petitions")[0]
    signatures = leader.every(found["_links"]["osdi:signatures"]["href"], "signatures")
    of_b = next(
        s for s in signatures if s["person"]["email_addresses"][0]["address"] == "bo@b.example"
    )
    response = api_for(cast, "steward_a").get(of_b["_links"]["self"]["href"])
    assert response.status_code == 404
    assert response.json()["osdi:status"]["code"] == 404


def helper_of(api) -> str:
    found = api.every(api.aep()["_links"]["osdi:petitions"]["href"], "petitions")[0]
    return found["_links"]["osdi:record_signature_helper"]["href"]


def test_recording_the_same_signer_twice_makes_one_signer(cast):
    petition = make_petition(cast.campaign)
    api = api_for(cast, "leader")
    body = {
        "identifiers": ["action_network:sig-1"],
        "person": {
            "given_name": "Rosa",
            "family_name": "Park",
            "identifiers": ["action_network:person-1"],
            "email_addresses": [{"address": "Rosa@Example.org"}],
            "postal_addresses": [{"postal_code": "95815"}],
        },
    }
    first = api.post(helper_of(api), body)
    assert first.status_code == 201, first.content
    again = api.post(helper_of(api), {"person": {"identifiers": ["action_network:person-1"]}})
    assert again.status_code == 200, again.content
    assert ours(first.json()) == ours(again.json())
    (signature,) = Signature.objects.filter(petition=petition)
    assert signature.source == Signature.Source.API
    assert signature.entered_by == cast.leader
    assert signature.is_counted
    assert Supporter.objects.filter(email="rosa@example.org").count() == 1
    assert "action_network:sig-1" in first.json()["identifiers"]
    # No consent without the client saying so.
    assert not Consent.objects.filter(supporter=signature.supporter).exists()
    assert petition.counts()["total"] == 1


def test_consent_is_recorded_only_when_the_client_sends_it(cast):
    make_petition(cast.campaign)
    api = api_for(cast, "leader")
    body = {
        "person": {"family_name": "Lee", "email_addresses": [{"address": "lee@example.org"}]},
        "common_good:consent": {
            "purpose": "campaign_updates",
            "wording": "Keep me posted about the campaign.",
        },
    }
    assert api.post(helper_of(api), body).status_code == 201
    (consent,) = Consent.objects.filter(supporter__email="lee@example.org")
    assert consent.how == Consent.How.IMPORT
    assert consent.wording == "Keep me posted about the campaign."


def test_a_member_named_by_their_person_link_is_matched_to_the_member(cast):
    petition = make_petition(cast.campaign)
    member = f.make_member(cast.building_a, work_email="member-a@a.example")
    api = api_for(cast, "steward_a")
    person = api.every(api.aep()["_links"]["osdi:people"]["href"], "people")[0]
    body = {"person": {}, "_links": {"osdi:person": {"href": person["_links"]["self"]["href"]}}}
    response = api.post(helper_of(api), body)
    assert response.status_code == 201, response.content
    assert response.json()["_links"]["osdi:person"]["href"] == person["_links"]["self"]["href"]
    assert Signature.objects.get(petition=petition).supporter.member == member


def test_a_partners_signature_is_credited_to_its_organisation_and_scoped(cast):
    petition = make_petition(cast.campaign)
    f.make_member(cast.building_a, work_email="member@a.example")
    api = api_for(cast, "partner_x")
    body = {"person": {"email_addresses": [{"address": "member@a.example"}]}}
    response = api.post(helper_of(api), body)
    assert response.status_code == 201, response.content
    signature = Signature.objects.get(petition=petition)
    assert signature.brought_by == cast.organisation_x
    # The signer is a member: the union's to see, so the partner reads no email nor person.
    assert "email_addresses" not in response.json()["person"]
    assert "osdi:person" not in response.json()["_links"]
    # A partner cannot name a member by their uuid either.
    member = f.make_member(cast.building_a)
    other = {"person": {"identifiers": [f"common_good:{member.uuid}"]}}
    assert api.post(helper_of(api), other).status_code == 400


def test_a_read_only_token_records_no_signature(cast):
    make_petition(cast.campaign)
    api = api_for(cast, "leader", read_only=True)
    body = {"person": {"family_name": "Lee", "email_addresses": [{"address": "l@example.org"}]}}
    response = api.post(helper_of(api), body)
    assert response.status_code == 403
    assert not Signature.objects.exists()


def test_a_new_signature_plans_one_webhook_delivery(cast):
    hook, _secret = Webhook.register(
        local=cast.local, url="http://127.0.0.1:9/hook", events=["signature"], by=cast.leader
    )
    make_petition(cast.campaign)
    api = api_for(cast, "leader")
    body = {"person": {"family_name": "Lee", "email_addresses": [{"address": "l@example.org"}]}}
    api.post(helper_of(api), body)
    api.post(helper_of(api), body)
    (delivery,) = Delivery.objects.filter(webhook=hook)
    assert delivery.event == "signature"
    assert delivery.payload["person"]["email_addresses"][0]["address"] == "l@example.org"
