"""The scale seed: one large local by default, a state affiliate's many locals on request, each
entirely separate from the others."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import Membership, Role, User
from actions.models import Action
from bargaining.models import Session
from campaigns.models import Building, Campaign, Local, Member
from demands.models import Demand
from partners.models import Organisation
from seeds.scale import LARGE, LARGE_MEMBERS, sizes

LOCALS = 3
MEMBERS = 40


@pytest.fixture
def state(db):
    call_command(
        "seed_scale", "--locals", LOCALS, "--members-per-local", MEMBERS, stdout=io.StringIO()
    )
    return {local.slug: local for local in Local.objects.filter(slug__startswith="scale")}


def leader_of(local: Local) -> User:
    return Membership.objects.get(local=local, role=Role.LEADER).user


def test_seed_scale_builds_several_locals_with_the_counts_asked_for(state):
    assert sorted(state) == ["scale", "scale-01", "scale-02"]
    assert leader_of(state["scale"]).email == "leader@scale.example"
    assert Campaign.objects.get(slug="scale-campaign").local == state["scale"]
    plan = sizes(LOCALS, MEMBERS)
    for size in plan:
        local = state[size.slug]
        assert Member.objects.filter(local=local).count() == MEMBERS
        assert Building.objects.filter(local=local).count() == size.buildings
        assert Membership.objects.filter(local=local, role=Role.STEWARD).count() == size.stewards
        assert Organisation.objects.filter(local=local).count() == size.organisations
        assert Demand.objects.filter(campaign__local=local).count() == size.demands
        assert Action.objects.filter(campaign__local=local).count() == size.actions
        assert Session.objects.filter(campaign__local=local).count() == size.sessions


def test_a_leader_of_one_seeded_local_sees_nothing_of_another(state, client):
    large, other = state["scale"], state["scale-01"]
    leader = leader_of(other)
    assert set(Local.objects.visible_to(leader)) == {other}
    assert set(Member.objects.visible_to(leader).values_list("local", flat=True)) == {other.pk}
    assert set(Campaign.objects.visible_to(leader)) == {Campaign.objects.get(local=other)}
    assert not Demand.objects.visible_to(leader).filter(campaign__local=large).exists()
    assert not Action.objects.visible_to(leader).filter(campaign__local=large).exists()
    assert not Organisation.objects.visible_to(leader).filter(local=large).exists()
    client.force_login(leader)
    dashboard = reverse("campaigns:dashboard", args=["scale-campaign"])
    assert client.get(dashboard).status_code == 404
    client.force_login(leader_of(large))
    assert client.get(dashboard).status_code == 200


def test_a_seeded_steward_sees_only_the_members_of_their_buildings(state):
    membership = Membership.objects.filter(local=state["scale-02"], role=Role.STEWARD).first()
    visible = Member.objects.visible_to(membership.user)
    assert visible.count() > 0
    assert set(visible.values_list("building", flat=True)) <= set(
        membership.buildings.values_list("pk", flat=True)
    )


def test_seeding_again_replaces_the_earlier_locals(state):
    call_command("seed_scale", "--locals", 2, "--members-per-local", 10, stdout=io.StringIO())
    assert set(Local.objects.filter(slug__startswith="scale").values_list("slug", flat=True)) == {
        "scale",
        "scale-01",
    }
    assert Member.objects.count() == 20
    assert not User.objects.filter(email__endswith="@local02.scale.example").exists()


def test_the_state_plan_is_300000_members_in_50_locals_around_the_large_one():
    plan = sizes(50)
    assert len(plan) == 50 and plan[0] == LARGE
    assert LARGE.members == LARGE_MEMBERS
    assert 299_000 <= sum(size.members for size in plan) <= 301_000
    others = [size.members for size in plan[1:]]
    assert max(others) < LARGE_MEMBERS and min(others) >= 1_000
    assert len(set(others)) > 40  # varied, not one size repeated
    assert len({size.slug for size in plan}) == len({size.domain for size in plan}) == 50


def test_the_seed_records_each_seeded_member_once_and_leaves_the_audit_triggers_on(state):
    from audit.models import MemberEvent

    seeded = Member.objects.filter(local__slug__startswith="scale")
    events = MemberEvent.objects.filter(pgh_obj_id__in=seeded.values("pk"), pgh_label="insert")
    assert events.count() == seeded.count() == LOCALS * MEMBERS
    assert events.filter(first_name="First7").count() == LOCALS
    member = seeded.first()
    member.notes = "Talked at the bus stop."
    member.save()
    assert MemberEvent.objects.filter(pgh_obj_id=member.pk, pgh_label="update").count() == 1


@pytest.mark.django_db(transaction=True)
def test_each_seeded_local_is_a_transaction_and_a_moment_of_its_own_in_the_audit_trail():
    from audit.models import MemberEvent

    call_command("seed_scale", "--locals", 2, "--members-per-local", 5, stdout=io.StringIO())
    moments = {
        slug: set(
            MemberEvent.objects.filter(local__slug=slug, pgh_label="insert").values_list(
                "pgh_created_at", flat=True
            )
        )
        for slug in ("scale", "scale-01")
    }
    assert all(len(times) == 1 for times in moments.values())
    assert moments["scale"] != moments["scale-01"]
    # The trigram indexes are built again once the locals are in.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%% USING gin %%'")
        assert cursor.fetchone()[0] > 0
