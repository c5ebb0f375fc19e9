"""Every view as every person in the cast: who gets the page, who is refused, who sees nothing.

Member data (names, emails, phones) may reach only the local's leaders and the building's
stewards; partners, the public and another local's leaders never see it.
"""

from datetime import date

import pytest
from django.urls import reverse

from campaigns.models import Conversation, ImportBatch, Member, StructureTestParticipation, Team
from tests import factories as f
from tests.conftest import ROLES

from .factories import make_test

pytestmark = pytest.mark.django_db

LEADER_ONLY = {
    "anonymous": 302,
    "leader": 200,
    "steward_a": 403,
    "steward_b": 403,
    "partner_x": 403,
    "partner_y": 403,
    "other_leader": 404,
}
BUILDING_A = {
    "anonymous": 302,
    "leader": 200,
    "steward_a": 200,
    "steward_b": 404,
    "partner_x": 404,
    "partner_y": 404,
    "other_leader": 404,
}


@pytest.fixture
def world(cast):
    member_a = f.make_member(
        cast.building_a, first_name="Alma", last_name="Acosta", phone="555-0101"
    )
    member_b = f.make_member(cast.building_b, first_name="Bert", last_name="Banks")
    test = make_test(cast.campaign)
    cast.campaign.refresh_from_db()
    cast.campaign.create_timeline_from_template()
    team = Team.objects.get(campaign=cast.campaign, kind=Team.Kind.ORGANIZING)
    team.members.add(cast.steward_a, cast.partner_x)
    task = team.tasks.create(title="Recruit stewards")
    return {"a": member_a, "b": member_b, "test": test, "team": team, "task": task}


def get(cast, role, url):
    return cast.client_for(role).get(url)


def expect(response, status):
    if status == 302:
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_campaign_page_is_for_the_local_and_shows_no_member_data(cast, world, role):
    response = get(cast, role, cast.campaign.get_absolute_url())
    expected = 404 if role == "other_leader" else 302 if role == "anonymous" else 200
    expect(response, expected)
    if expected == 200:
        assert b"Alma" not in response.content
        assert b"Community building and mapping" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_plan_changes_only_by_the_locals_leader(cast, world, role):
    response = cast.client_for(role).post(
        reverse("campaigns:plan_edit", args=[cast.campaign.slug]), {"vision": "Nurses everywhere"}
    )
    cast.campaign.refresh_from_db()
    assert (cast.campaign.vision == "Nurses everywhere") == (role == "leader")
    assert response.status_code == (302 if role in {"leader", "anonymous"} else LEADER_ONLY[role])


@pytest.mark.parametrize("role", ROLES)
def test_milestone_toggle_only_by_the_locals_leader(cast, world, role):
    milestone = cast.campaign.milestones.first()
    response = cast.client_for(role).post(
        reverse("campaigns:milestone_toggle", args=[milestone.pk])
    )
    milestone.refresh_from_db()
    assert milestone.is_done == (role == "leader")
    if role not in {"leader", "anonymous"}:
        assert response.status_code == (404 if role == "other_leader" else 403)


@pytest.mark.parametrize("role", ROLES)
def test_member_list_shows_only_what_each_role_may_see(cast, world, role):
    response = get(cast, role, reverse("campaigns:members"))
    if role in {"partner_x", "partner_y"}:
        assert response.status_code == 403
        return
    if role == "anonymous":
        expect(response, 302)
        return
    assert response.status_code == 200
    assert (b"Alma" in response.content) == (role in {"leader", "steward_a"})
    assert (b"Bert" in response.content) == (role in {"leader", "steward_b"})


@pytest.mark.parametrize("role", ROLES)
def test_member_detail(cast, world, role):
    response = get(cast, role, reverse("campaigns:member", args=[world["a"].pk]))
    expected = BUILDING_A[role]
    expect(response, expected)
    if expected == 200:
        assert b"555-0101" in response.content


@pytest.mark.parametrize("role", ROLES)
def test_member_edit_saves_only_for_leader_and_the_buildings_steward(cast, world, role):
    member = world["a"]
    data = {
        "first_name": "Alma",
        "last_name": "Changed",
        "building": cast.building_a.pk,
        "employee_id": member.employee_id,
        "work_email": member.work_email,
        "support_level": 2,
    }
    response = cast.client_for(role).post(reverse("campaigns:member_edit", args=[member.pk]), data)
    member.refresh_from_db()
    assert (member.last_name == "Changed") == (role in {"leader", "steward_a"})
    if role in {"steward_b", "other_leader"}:
        assert response.status_code == 404


def test_steward_cannot_move_a_member_to_a_building_they_do_not_steward(cast, world):
    member = world["a"]
    response = cast.client_for("steward_a").post(
        reverse("campaigns:member_edit", args=[member.pk]),
        {"first_name": "Alma", "last_name": "Acosta", "building": cast.building_b.pk},
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    member.refresh_from_db()
    assert member.building == cast.building_a


@pytest.mark.parametrize("role", ROLES)
def test_conversation_log(cast, world, role):
    url = reverse("campaigns:conversation_log", args=[world["a"].pk])
    expect(get(cast, role, url), dict(BUILDING_A)[role])
    response = cast.client_for(role).post(
        url, {"held_on": "2026-11-01", "outcome": "committed", "support_level": "2"}
    )
    saved = Conversation.objects.filter(member=world["a"]).exists()
    assert saved == (role in {"leader", "steward_a"})
    if role in {"leader", "steward_a"}:
        assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_structure_test_toggle(cast, world, role):
    url = reverse("campaigns:participation_toggle", args=[world["test"].pk, world["a"].pk])
    response = cast.client_for(role).post(url)
    ticked = StructureTestParticipation.objects.filter(member=world["a"]).exists()
    assert ticked == (role in {"leader", "steward_a"})
    if not ticked and role != "anonymous":
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["building_organize", "meeting_log"])
def test_building_pages(cast, world, role, name):
    response = get(cast, role, reverse(f"campaigns:{name}", args=[cast.building_a.pk]))
    expect(response, BUILDING_A[role])
    if response.status_code == 200 and name == "building_organize":
        assert b"Alma" in response.content and b"Bert" not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_meeting_log_saves_only_for_leader_and_the_buildings_steward(cast, world, role):
    cast.client_for(role).post(
        reverse("campaigns:meeting_log", args=[cast.building_a.pk]),
        {"held_on": "2026-11-02", "agenda": "Petition", "attendees": [world["a"].pk]},
    )
    assert cast.building_a.meetings.exists() == (role in {"leader", "steward_a"})


@pytest.mark.parametrize("role", ROLES)
def test_my_buildings(cast, world, role):
    response = get(cast, role, reverse("campaigns:my_buildings"))
    if role == "steward_a":
        assert response.status_code == 200
        assert b"Alma" in response.content and b"Bert" not in response.content
    elif role == "steward_b":
        assert b"Bert" in response.content and b"Alma" not in response.content
    elif role in {"leader", "other_leader"}:
        assert response.status_code == 302
    elif role == "anonymous":
        expect(response, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_member_export(cast, world, role):
    response = get(cast, role, reverse("campaigns:member_export"))
    if role in {"leader", "other_leader", "steward_a", "steward_b"}:
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert (b"Alma" in content) == (role in {"leader", "steward_a"})
        assert (b"Bert" in content) == (role in {"leader", "steward_b"})
    elif role == "anonymous":
        expect(response, 302)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_import_pages(cast, world, role, media):
    from campaigns.roster import parse_roster, store_sheets

    batch = ImportBatch(local=cast.local, uploaded_by=cast.leader, original_name="r.csv")
    store_sheets(batch, parse_roster(b"Employee ID,First Name,Last Name\nE1,A,B\n"))
    expect(
        get(cast, role, reverse("campaigns:import_upload")),
        {**LEADER_ONLY, "other_leader": 200}[role],
    )
    response = get(cast, role, reverse("campaigns:import_mapping", args=[batch.pk]))
    expect(response, LEADER_ONLY[role])
    response = cast.client_for(role).post(reverse("campaigns:import_run", args=[batch.pk]))
    assert Member.objects.filter(employee_id="E1").exists() is False


@pytest.mark.parametrize("role", ROLES)
def test_team_pages_for_leaders_and_team_members(cast, world, role):
    team = world["team"]
    response = get(cast, role, team.get_absolute_url())
    allowed = role in {"leader", "steward_a", "partner_x"}
    expect(response, 200 if allowed else 302 if role == "anonymous" else 404)
    if allowed:
        assert b"Recruit stewards" in response.content
    cast.client_for(role).post(reverse("campaigns:task_toggle", args=[world["task"].pk]))
    world["task"].refresh_from_db()
    assert world["task"].is_done == allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_the_leader_or_team_lead_adds_tasks(cast, world, role):
    team = world["team"]
    team.lead = cast.steward_a
    team.save()
    cast.client_for(role).post(reverse("campaigns:task_add", args=[team.pk]), {"title": "New"})
    assert team.tasks.filter(title="New").exists() == (role in {"leader", "steward_a"})


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_campaign(cast, role):
    response = cast.client_for(role).post(
        reverse("campaigns:create"),
        {
            "local": cast.local.pk,
            "name": "Next contract",
            "slug": "next-contract",
            "bargaining_target_date": date(2029, 7, 1).isoformat(),
        },
    )
    created = cast.local.campaigns.filter(slug="next-contract").first()
    assert (created is not None) == (role == "leader")
    if created:
        assert response.status_code == 302
        assert created.phases.count() == 8 and created.milestones.count() > 15


@pytest.mark.parametrize("role", ["leader", "steward_a"])
def test_member_list_runs_a_constant_number_of_queries(cast, role, django_assert_num_queries):
    client = cast.client_for(role)
    client.get(reverse("campaigns:members"))
    counts = []
    for size in (3, 30):
        for _ in range(size):
            f.make_member(cast.building_a)
        with django_assert_num_queries(9) as captured:
            response = client.get(reverse("campaigns:members"))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
