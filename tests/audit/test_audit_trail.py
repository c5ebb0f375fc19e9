"""The audit trail records who changed members, roles, building assignments and demands,
including bulk updates that bypass ``save()``, and only leaders read it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import Membership
from audit.models import (
    BuildingAssignmentEvent,
    DemandEvent,
    MemberEvent,
    MembershipEvent,
    ProposalEvent,
    ProposalVersionEvent,
)
from audit.trail.entries import Entries
from audit.trail.sources import Filters
from bargaining.models import ProposalVersion
from campaigns.models import Member
from demands.models import Demand
from tests import factories as f

# The tests that read the trail commit each statement on its own, as the app's requests and
# jobs do: the trail groups the changes of one transaction, and a test's single transaction
# would read as one bulk change.
committing = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the audit trail's triggers need PostgreSQL: set DATABASE_URL (CI does)")


def test_bulk_update_of_members_is_recorded(cast, postgres):
    member = f.make_member(cast.building_a, support_level=3)
    Member.objects.filter(pk=member.pk).update(support_level=1)
    labels = list(
        MemberEvent.objects.filter(pgh_obj_id=member.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", "support_level")
    )
    assert labels == [("insert", 3), ("update", 1)]


def test_roles_and_building_assignments_are_recorded(cast, postgres):
    membership = Membership.objects.get(user=cast.steward_a)
    membership.buildings.add(cast.building_b)
    Membership.objects.filter(pk=membership.pk).update(role="leader")
    assert BuildingAssignmentEvent.objects.filter(
        membership=membership, building=cast.building_b, pgh_label="insert"
    ).exists()
    assert MembershipEvent.objects.filter(pgh_obj_id=membership.pk, role="leader").exists()


def test_an_assignment_event_carries_the_local_of_its_building(cast, postgres):
    membership = Membership.objects.get(user=cast.steward_a)
    membership.buildings.add(cast.building_b)
    membership.buildings.remove(cast.building_a)
    other = f.make_building(cast.other_local, "Elsewhere High")
    outsider = Membership.objects.get(user=f.make_steward(cast.other_local, other))
    events = BuildingAssignmentEvent.objects.filter(membership__in=[membership, outsider])
    assert {(e.pgh_label, e.building_id, e.local_id) for e in events} == {
        ("insert", cast.building_a.pk, cast.local.pk),
        ("insert", cast.building_b.pk, cast.local.pk),
        ("delete", cast.building_a.pk, cast.local.pk),
        ("insert", other.pk, cast.other_local.pk),
    }


def test_the_trail_finds_a_locals_assignments_through_the_index_on_local_and_time(cast, postgres):
    """The query the trail pages by, for assignments alone: with sequential scans priced out
    (the test tables are tiny), the plan says which index and which condition it can use."""
    f.make_steward(cast.local, cast.building_b)
    entries = Entries(Filters(local_ids=frozenset({cast.local.pk}), record="assignment"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN {entries._moments()} LIMIT 25",  # noqa: S608
            [*entries.first_params, *entries.next_params],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_buildingassignment_at" in plan
    assert f"Index Cond: ((local_id = {cast.local.pk})" in plan
    assert "campaigns_building" not in plan


def test_demand_and_proposal_events_carry_the_local_of_their_campaign(cast, postgres):
    from tests.bargaining import factories as bf

    other = f.make_campaign(cast.other_local)
    ours, theirs = bf.make_proposal(cast.campaign), bf.make_proposal(other)
    versions = [bf.make_version(ours, published=False), bf.make_version(theirs, published=False)]
    demands = [bf.make_demand(cast.campaign), bf.make_demand(other)]
    Demand.objects.filter(pk=demands[0].pk).update(title="Counselors in every school")
    expected = {cast.campaign.pk: cast.local.pk, other.pk: cast.other_local.pk}
    events = DemandEvent.objects.filter(pgh_obj_id__in=[d.pk for d in demands])
    assert {(e.pgh_label, e.local_id) for e in events} >= {
        ("insert", cast.local.pk),
        ("update", cast.local.pk),
        ("insert", cast.other_local.pk),
    }
    assert all(e.local_id == expected[e.campaign_id] for e in events)
    proposals = ProposalEvent.objects.filter(pgh_obj_id__in=[ours.pk, theirs.pk])
    assert {(e.pgh_obj_id, e.local_id) for e in proposals} == {
        (ours.pk, cast.local.pk),
        (theirs.pk, cast.other_local.pk),
    }
    version_events = ProposalVersionEvent.objects.filter(pgh_obj_id__in=[v.pk for v in versions])
    assert {(e.pgh_obj_id, e.local_id) for e in version_events} == {
        (versions[0].pk, cast.local.pk),
        (versions[1].pk, cast.other_local.pk),
    }


@pytest.mark.parametrize("record", ["demand", "proposal", "proposal_version"])
def test_the_trail_finds_a_locals_bargaining_events_through_the_index_on_local_and_time(
    cast, postgres, record
):
    """Each step of the trail's walk reads one row of each table, not every event of the
    local's campaigns joined to them (the bench's trail walked 877 moments so, at 1.4 ms each)."""
    from tests.bargaining import factories as bf

    bf.make_version(bf.make_proposal(cast.campaign), published=False)
    bf.make_demand(cast.campaign)
    entries = Entries(Filters(local_ids=frozenset({cast.local.pk}), record=record))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN {entries._moments()} LIMIT 25",  # noqa: S608
            [*entries.first_params, *entries.next_params],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Cond: ((local_id = {cast.local.pk})" in plan
    assert "campaigns_campaign" not in plan
    assert "bargaining_proposal " not in plan


@committing
def test_a_change_through_a_view_names_who_made_it(cast, postgres):
    membership = Membership.objects.get(user=cast.steward_a)
    client = cast.client_for("leader")
    client.post(reverse("team:remove_membership", args=[membership.pk]))
    event = MembershipEvent.objects.get(pgh_obj_id=membership.pk, pgh_label="delete")
    assert event.pgh_context.metadata["user"] == cast.leader.pk
    response = client.get(reverse("audit:trail"))
    assert cast.leader.email in response.content.decode()


@committing
def test_demand_edits_are_recorded_and_the_trail_shows_what_changed(cast, postgres):
    demand = Demand.objects.create(campaign=cast.campaign, title="Counselors in every school")
    Demand.objects.filter(pk=demand.pk).update(title="A counselor in every school")
    assert DemandEvent.objects.filter(pgh_obj_id=demand.pk).count() == 2
    page = cast.client_for("leader").get(reverse("audit:trail")).content.decode()
    assert "Counselors in every school" in page
    assert "A counselor in every school" in page


def test_the_trail_shows_only_the_leaders_own_locals(cast, postgres):
    f.make_member(cast.building_a, first_name="Privateperson")
    page = cast.client_for("other_leader").get(reverse("audit:trail")).content.decode()
    assert "Privateperson" not in page


@pytest.mark.parametrize("who", ["steward_a", "partner_x"])
def test_only_leaders_read_the_trail(cast, who):
    assert cast.client_for(who).get(reverse("audit:trail")).status_code == 403


@committing
def test_the_trail_runs_constant_queries(cast, postgres, django_assert_max_num_queries):
    for _ in range(3):
        f.make_member(cast.building_a)
    client = cast.client_for("leader")
    client.get(reverse("audit:trail"))
    for _ in range(30):
        f.make_member(cast.building_a)
    with django_assert_max_num_queries(16):
        client.get(reverse("audit:trail"))


@committing
def test_proposal_versions_are_recorded(cast, postgres):
    from tests.bargaining import factories as bf

    proposal = bf.make_proposal(cast.campaign)
    version = bf.make_version(proposal, published=False, text="Class size caps of 24")
    ProposalVersion.objects.filter(pk=version.pk).update(text="Class size caps of 22")
    texts = list(
        ProposalVersionEvent.objects.filter(pgh_obj_id=version.pk)
        .order_by("pgh_id")
        .values_list("text", flat=True)
    )
    assert texts == ["Class size caps of 24", "Class size caps of 22"]
    page = cast.client_for("leader").get(reverse("audit:trail")).content.decode()
    assert "Class size caps of 22" in page
