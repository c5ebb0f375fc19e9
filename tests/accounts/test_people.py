"""The People page: searched, filtered and paged at any size; removing someone asks first;
pending invitations paged on a page of their own."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation, Membership, Role
from tests import factories as f


def team_url(cast, **params) -> str:
    from urllib.parse import urlencode

    url = reverse("team:people", args=[cast.local.slug])
    return f"{url}?{urlencode(params)}" if params else url


def page_of(cast, **params) -> str:
    response = cast.client_for("leader").get(team_url(cast, **params))
    assert response.status_code == 200
    return response.content.decode()


def add_stewards(cast, count: int, building=None) -> None:
    building = building or cast.building_a
    for n in range(count):
        f.make_steward(cast.local, building, first_name=f"Crowd{n}", last_name="Steward")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("leader", 200),
        ("steward_a", 403),
        ("steward_b", 403),
        ("partner_x", 403),
        ("partner_y", 403),
        ("other_leader", 404),
    ],
)
def test_the_people_page_and_its_invitations_are_for_the_locals_leaders(cast, who, status):
    client = cast.client_for(who)
    for name in ("team:people", "team:invitations"):
        assert client.get(reverse(name, args=[cast.local.slug])).status_code == status


def test_search_finds_people_by_name_email_and_full_name(cast):
    f.make_steward(cast.local, cast.building_a, first_name="Ana", last_name="López")
    f.make_steward(cast.local, cast.building_b, first_name="Sam", last_name="Lee")
    assert "Ana López" in page_of(cast, q="ana")
    assert "Sam Lee" not in page_of(cast, q="ana")
    assert "Ana López" in page_of(cast, q="Ana López")
    by_email = page_of(cast, q="steward-b@test")
    assert "steward-b@test.example" in by_email
    assert "steward-a@test.example" not in by_email


def test_role_and_building_filters_combine(cast):
    page = page_of(cast, role=Role.STEWARD, building=cast.building_b.pk)
    assert "steward-b@test.example" in page
    assert "steward-a@test.example" not in page
    assert "partner-x@test.example" not in page
    partners = page_of(cast, role=Role.PARTNER)
    assert "partner-x@test.example" in partners
    assert "steward-a@test.example" not in partners


def test_the_building_filter_searches_without_javascript(cast):
    page = page_of(cast, building__q="High", building__search="1")
    assert f'name="building" value="{cast.building_b.pk}"' in page
    assert f'name="building" value="{cast.building_a.pk}"' not in page


def test_another_locals_building_filters_nothing_in(cast):
    theirs = f.make_building(cast.other_local, "Far Away Middle")
    page = page_of(cast, building=theirs.pk)
    assert "Far Away Middle" not in page
    assert "steward-a@test.example" in page


def test_the_page_is_paged_and_carries_no_form_per_row(cast):
    add_stewards(cast, 30)
    first = page_of(cast)
    assert "Page 1 of 2" in first
    assert first.count("<form") == page_of(cast, q="Crowd1").count("<form")
    second = page_of(cast, page=2)
    assert "Page 2 of 2" in second


def test_the_page_runs_the_same_queries_at_two_sizes(cast):
    client = cast.client_for("leader")
    add_stewards(cast, 3)
    for n in range(3):
        Invitation.issue(
            local=cast.local, email=f"a{n}@x.example", role=Role.LEADER, invited_by=cast.leader
        )
    client.get(team_url(cast))
    with CaptureQueriesContext(connection) as small:
        client.get(team_url(cast))
    add_stewards(cast, 70, building=cast.building_b)
    for n in range(20):
        Invitation.issue(
            local=cast.local,
            email=f"b{n}@x.example",
            role=Role.STEWARD,
            invited_by=cast.leader,
            buildings=[cast.building_a, cast.building_b],
        )
    with CaptureQueriesContext(connection) as large:
        client.get(team_url(cast))
    assert len(large) == len(small)


def test_pending_invitations_beyond_the_first_are_on_their_own_paged_page(cast):
    for n in range(60):
        Invitation.issue(
            local=cast.local, email=f"wait{n}@x.example", role=Role.LEADER, invited_by=cast.leader
        )
    team = page_of(cast)
    assert team.count("@x.example") == 10
    assert "All 60 pending invitations" in team
    client = cast.client_for("leader")
    url = reverse("team:invitations", args=[cast.local.slug])
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert client.get(url, {"page": 2}).content.decode().count("@x.example") == 10


def test_removing_asks_first_and_the_question_changes_nothing(cast):
    membership = Membership.objects.get(user=cast.steward_a)
    url = reverse("team:remove_membership", args=[membership.pk])
    page = cast.client_for("leader").get(url).content.decode()
    assert "Building A Elementary" in page
    assert 'method="post"' in page
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_leader_cannot_remove_their_own_role(cast):
    own = Membership.objects.get(user=cast.leader)
    client = cast.client_for("leader")
    for method in (client.get, client.post):
        response = method(reverse("team:remove_membership", args=[own.pk]))
        assert response.status_code == 302
    assert Membership.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("who", ["steward_a", "partner_x", "other_leader"])
def test_only_the_locals_leaders_see_the_removal_question(cast, who):
    membership = Membership.objects.get(user=cast.steward_b)
    response = cast.client_for(who).get(reverse("team:remove_membership", args=[membership.pk]))
    assert response.status_code in (403, 404)


def test_the_navigation_names_the_audit_trail_for_leaders_only(cast):
    trail = reverse("audit:trail")
    assert f'href="{trail}"' in page_of(cast)
    home = cast.client_for("steward_a").get(reverse("home")).content.decode()
    assert f'href="{trail}"' not in home
