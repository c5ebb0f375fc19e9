"""The power map: targets, relationships, the SVG grid and its table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demands.models import Target
from tests import factories as f

from .factories import make_demand, make_target

pytestmark = pytest.mark.django_db

MAP_READ = {
    "anonymous": 302,
    "leader": 200,
    "steward_a": 200,
    "partner_x": 404,
    "other_leader": 404,
}
LIST_STATUS = {
    "anonymous": 302,
    "leader": 200,
    "steward_a": 200,
    "partner_x": 403,
    "other_leader": 200,
}


@pytest.mark.parametrize("who,status", MAP_READ.items())
def test_who_sees_a_target(cast, who, status):
    target = make_target(cast.campaign, "Superintendent <Smith>")
    assert cast.client_for(who).get(target.get_absolute_url()).status_code == status
    listing = cast.client_for(who).get(reverse("demands:targets"))
    assert listing.status_code == LIST_STATUS[who]
    if listing.status_code == 200:
        assert ("Superintendent &lt;Smith&gt;" in listing.content.decode()) == (status == 200)


def test_the_map_is_an_svg_grid_with_a_table_alternative(cast):
    make_target(cast.campaign, "Twin Rivers school board", power=5, alignment=0)
    make_target(
        cast.campaign, "Golden State Charter Network", kind="bad_actor", power=3, alignment=-2
    )
    content = cast.client_for("leader").get(reverse("demands:targets")).content.decode()
    assert (
        '<svg class="map-svg" viewBox="0 0' in content and 'aria-describedby="map-desc"' in content
    )
    assert '<title id="map-title">' in content
    assert "<caption>Targets on the power map</caption>" in content
    assert content.count("Golden State Charter Network") == 2  # on the map and in the table
    assert "style=" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_crowded_cell_says_how_many_more(cast):
    for n in range(6):
        make_target(cast.campaign, f"Council member {n}", power=2, alignment=1)
    content = cast.client_for("leader").get(reverse("demands:targets")).content.decode()
    assert "+2 more" in content


def test_member_relationships_are_shown_to_leaders_not_stewards(cast):
    member = f.make_member(cast.building_a, first_name="Darnell", last_name="Her")
    target = make_target(cast.campaign)
    target.members.add(member)
    target.organisations.add(cast.organisation_x)
    assert (
        "Darnell Her" in cast.client_for("leader").get(target.get_absolute_url()).content.decode()
    )
    steward_view = cast.client_for("steward_a").get(target.get_absolute_url()).content.decode()
    assert "Darnell Her" not in steward_view
    assert "Organisation X Parents" in steward_view


def target_data(cast, **extra):
    data = {
        "campaign": cast.campaign.pk,
        "name": "Sacramento City Council",
        "kind": "decision_maker",
        "power": 4,
        "alignment": 1,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "who,status",
    [
        ("leader", 302),
        ("steward_a", 403),
        ("partner_x", 403),
        ("anonymous", 302),
        ("other_leader", 200),
    ],
)
def test_who_adds_a_target(cast, who, status):
    response = cast.client_for(who).post(reverse("demands:target_create"), target_data(cast))
    assert response.status_code == status
    assert Target.objects.filter(campaign=cast.campaign).exists() == (who == "leader")


def test_power_out_of_range_is_refused(cast):
    response = cast.client_for("leader").post(
        reverse("demands:target_create"), target_data(cast, power=9)
    )
    assert "Power runs from 1" in response.content.decode()
    assert not Target.objects.exists()


def test_influence_between_targets_and_who_can_say_yes(cast):
    board = make_target(cast.campaign, "School board", power=5)
    bank = make_target(cast.campaign, "River City Bank", kind="bad_actor")
    url = reverse("demands:target_edit", args=[bank.pk])
    assert cast.client_for("steward_a").post(url, target_data(cast)).status_code == 403
    response = cast.client_for("leader").post(
        url,
        target_data(
            cast,
            name="River City Bank",
            kind="bad_actor",
            influences=[board.pk],
            organisations=[cast.organisation_y.pk],
        ),
    )
    assert response.status_code == 302
    assert list(bank.influences.all()) == [board]
    demand = make_demand(cast.campaign, title="Counselors")
    demand.decision_makers.add(board)
    page = cast.client_for("steward_a").get(board.get_absolute_url()).content.decode()
    assert "River City Bank" in page  # influenced by
    assert "Counselors" in page  # can say yes to


def test_map_query_count_is_constant(cast):
    client = cast.client_for("leader")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("demands:targets"))
        return len(ctx)

    first = make_target(cast.campaign, "First")
    small = count()
    for n in range(29):
        t = make_target(cast.campaign, f"T{n}", power=n % 5 + 1, alignment=n % 5 - 2)
        t.influences.add(first)
        t.organisations.add(cast.organisation_x)
    assert count() == small


def test_leaders_map_members_with_a_relationship_to_a_target(cast):
    member = f.make_member(cast.building_a, first_name="Tou", last_name="Vang")
    target = make_target(cast.campaign)
    url = reverse("demands:target_mapping", args=[target.pk])
    assert cast.client_for("steward_a").post(url, {"member": member.pk}).status_code == 403
    assert cast.client_for("partner_x").get(url).status_code == 404
    assert "Tou Vang" in cast.client_for("leader").post(url, {"q": "Vang"}).content.decode()
    cast.client_for("leader").post(url, {"member": member.pk})
    assert list(target.members.all()) == [member]
