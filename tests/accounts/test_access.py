"""Each foundation view as each member of the cast."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("leader", 200),
        ("steward_a", 200),
        ("steward_b", 404),
        ("partner_x", 404),
        ("partner_y", 404),
        ("other_leader", 404),
    ],
)
def test_building_page_is_for_leaders_and_its_stewards(cast, who, expected):
    member = f.make_member(cast.building_a, first_name="Rosa", last_name="Secretname")
    response = cast.client_for(who).get(reverse("campaigns:building", args=[cast.building_a.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert member.last_name in response.content.decode()


def test_steward_sees_only_their_buildings_in_the_list(cast):
    response = cast.client_for("steward_a").get(reverse("campaigns:buildings"))
    assert cast.building_a.name in response.content.decode()
    assert cast.building_b.name not in response.content.decode()


def test_partner_and_other_local_see_no_buildings(cast):
    for who in ("partner_x", "other_leader"):
        body = cast.client_for(who).get(reverse("campaigns:buildings")).content.decode()
        assert cast.building_a.name not in body


def test_home_shows_each_role_its_own_things(cast):
    steward_home = cast.client_for("steward_a").get(reverse("home")).content.decode()
    assert cast.building_a.name in steward_home
    assert cast.building_b.name not in steward_home
    partner_home = cast.client_for("partner_x").get(reverse("home")).content.decode()
    assert cast.organisation_x.name in partner_home
    assert cast.organisation_y.name not in partner_home
    leader_home = cast.client_for("leader").get(reverse("home")).content.decode()
    assert reverse("team:invite", args=[cast.local.slug]) in leader_home


def test_pages_with_member_data_are_not_cached(cast):
    response = cast.client_for("leader").get(
        reverse("campaigns:building", args=[cast.building_a.pk])
    )
    assert "no-store" in response["Cache-Control"]


def test_building_page_runs_constant_queries(cast, django_assert_max_num_queries):
    client = cast.client_for("steward_a")
    url = reverse("campaigns:building", args=[cast.building_a.pk])
    for _ in range(3):
        f.make_member(cast.building_a)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(60):
        f.make_member(cast.building_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
