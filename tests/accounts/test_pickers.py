"""Pickers: a search endpoint that answers only with what the person may see, and forms that
choose buildings, demands and organisations by typing, with or without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Invitation
from actions.models import Action
from demands.models import Demand
from tests import factories as f
from tests.actions.factories import make_action
from tests.forms import form_data


def found(cast, who: str, source: str, q: str, **params) -> list[str]:
    response = cast.client_for(who).get(
        reverse("pickers:search", args=[source]), {"q": q, **params}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return [result["label"] for result in response.json()["results"]]


def test_a_steward_searching_buildings_finds_only_their_own(cast):
    assert found(cast, "steward_a", "buildings", "building") == ["Building A Elementary"]
    assert found(cast, "steward_b", "buildings", "building") == ["Building B High"]
    assert found(cast, "leader", "buildings", "building") == [
        "Building A Elementary",
        "Building B High",
    ]


@pytest.mark.parametrize("who", ["partner_x", "other_leader"])
def test_people_outside_the_buildings_find_none(cast, who):
    assert found(cast, who, "buildings", "building") == []
    assert found(cast, who, "members", "ana") == []


def test_member_search_is_scoped_like_the_member_list(cast):
    f.make_member(cast.building_a, first_name="Ana", last_name="Alvarez")
    f.make_member(cast.building_b, first_name="Ana", last_name="Bravo")
    assert found(cast, "leader", "members", "ana") == ["Ana Alvarez", "Ana Bravo"]
    assert found(cast, "steward_a", "members", "ana") == ["Ana Alvarez"]


def test_search_ignores_accents_and_case_and_narrows_to_the_local(cast):
    f.make_building(cast.local, "Escuela Peñasco", kind="elementary")
    f.make_building(cast.other_local, "Peñasco Middle", kind="middle")
    assert found(cast, "leader", "buildings", "PENASCO") == ["Escuela Peñasco"]
    assert found(cast, "leader", "buildings", "penasco", local=cast.other_local.pk) == []


def test_demands_and_organisations_are_searchable(cast):
    Demand.objects.create(campaign=cast.campaign, title="Counselors in every school")
    assert found(cast, "leader", "demands", "counsel", campaign=cast.campaign.pk) == [
        "Counselors in every school"
    ]
    assert found(cast, "leader", "organisations", "parents") == ["Organisation X Parents"]
    assert found(cast, "partner_y", "organisations", "organisation") == ["Organisation Y Faith"]


def test_an_unknown_source_is_not_found(cast):
    response = cast.client_for("leader").get(reverse("pickers:search", args=["users"]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    response = cast.client_for("anonymous").get(reverse("pickers:search", args=["buildings"]))
    assert response.status_code == 302


def test_the_search_answers_at_most_twenty(cast):
    for n in range(25):
        f.make_building(cast.local, f"Maple {n:02d}")
    response = cast.client_for("leader").get(
        reverse("pickers:search", args=["buildings"]), {"q": "maple"}
    )
    assert len(response.json()["results"]) == 20
    assert response.json()["more"] is True


def invite_url(cast) -> str:
    return reverse("team:invite", args=[cast.local.slug])


def test_the_invitation_form_lists_no_building_until_asked(cast):
    for n in range(150):
        f.make_building(cast.local, f"School {n:03d}", kind="elementary")
    page = cast.client_for("leader").get(invite_url(cast)).content.decode()
    assert 'name="buildings" value="' not in page.replace('value="kind:', "")
    assert "Every Elementary school (150 buildings)" in page


def test_without_javascript_a_search_lists_matches_and_sends_nothing(cast):
    client = cast.client_for("leader")
    lincoln = f.make_building(cast.local, "Lincoln Elementary", kind="elementary")
    data = {"email": "new@x.example", "role": "steward", "buildings__q": "linc"}
    page = client.post(invite_url(cast), {**data, "buildings__search": "1"}).content.decode()
    assert f'name="buildings" value="{lincoln.pk}"' in page
    assert not Invitation.objects.filter(email="new@x.example").exists()
    client.post(invite_url(cast), {**data, "buildings": [lincoln.pk]})
    invitation = Invitation.objects.get(email="new@x.example")
    assert list(invitation.buildings.all()) == [lincoln]


def test_every_building_of_a_kind_is_one_tick(cast):
    schools = [f.make_building(cast.local, f"Elm {n}", kind="elementary") for n in range(4)]
    f.make_building(cast.local, "Oak High", kind="high")
    f.make_building(cast.other_local, "Their Elementary", kind="elementary")
    cast.client_for("leader").post(
        invite_url(cast),
        {"email": "kind@x.example", "role": "steward", "buildings": ["kind:elementary"]},
    )
    invitation = Invitation.objects.get(email="kind@x.example")
    assert set(invitation.buildings.all()) == set(schools)


def test_another_locals_building_cannot_be_chosen(cast):
    theirs = f.make_building(cast.other_local, "Their School")
    page = cast.client_for("leader").post(
        invite_url(cast), {"email": "x@x.example", "role": "steward", "buildings": [theirs.pk]}
    )
    assert page.status_code == 200
    assert not Invitation.objects.filter(email="x@x.example").exists()


def test_an_unknown_kind_is_refused(cast):
    cast.client_for("leader").post(
        invite_url(cast), {"email": "x@x.example", "role": "steward", "buildings": ["kind:moon"]}
    )
    assert not Invitation.objects.filter(email="x@x.example").exists()


def test_the_action_form_keeps_its_chosen_buildings_and_demands(cast):
    demand = Demand.objects.create(campaign=cast.campaign, title="Smaller classes")
    action = make_action(cast.campaign, buildings=[cast.building_a])
    action.demands.add(demand)
    client = cast.client_for("leader")
    url = reverse("actions:edit", args=[action.pk])
    data = form_data(client.get(url))
    assert data["buildings"] == str(cast.building_a.pk)
    assert data["demands"] == str(demand.pk)
    data["buildings"] = [cast.building_a.pk, cast.building_b.pk]
    data["title"] = "Rally with both schools"
    # The form shows the time to the minute, so it reads as moved: say why.
    data["change_reason"] = "Both schools together."
    assert client.post(url, data).status_code == 302
    action = Action.objects.get(pk=action.pk)
    assert set(action.buildings.all()) == {cast.building_a, cast.building_b}
    assert list(action.demands.all()) == [demand]


def test_the_member_form_has_no_select_of_every_building(cast):
    for n in range(120):
        f.make_building(cast.local, f"Site {n:03d}")
    member = f.make_member(cast.building_a)
    client = cast.client_for("leader")
    url = reverse("campaigns:member_edit", args=[member.pk])
    page = client.get(url).content.decode()
    assert "Site 050" not in page
    data = form_data(client.get(url))
    assert data["building"] == str(cast.building_a.pk)
    data["building"] = cast.building_b.pk
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.building == cast.building_b
