"""The campaign plan, the timeline on the home page, teams and their tasks."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Milestone, Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline(cast):
    today = timezone.localdate()
    late = Milestone.objects.create(
        campaign=cast.campaign, title="Map every building", due_on=today - timedelta(days=3)
    )
    soon = Milestone.objects.create(
        campaign=cast.campaign, title="Listening session at Del Paso", due_on=today + timedelta(2)
    )
    return late, soon


@pytest.mark.parametrize("role", ["leader", "steward_a"])
def test_home_shows_what_is_overdue_and_next(cast, timeline, role):
    response = cast.client_for(role).get(reverse("home"))
    html = response.content.decode()
    assert "Overdue" in html and "Map every building" in html
    assert "Listening session at Del Paso" in html
    if role == "steward_a":
        assert reverse("campaigns:my_buildings") in html


@pytest.mark.parametrize("role", ["partner_x", "other_leader"])
def test_home_of_others_shows_no_internal_timeline(cast, timeline, role):
    html = cast.client_for(role).get(reverse("home")).content.decode()
    assert "Map every building" not in html


def test_a_team_member_sees_their_teams_tasks_at_home(cast):
    cast.campaign.refresh_from_db()
    cast.campaign.create_timeline_from_template()
    team = Team.objects.get(campaign=cast.campaign, kind=Team.Kind.COMMUNICATIONS)
    team.members.add(cast.partner_x)
    team.tasks.create(title="Parent flyer in Hmong")
    assert (
        "Parent flyer in Hmong"
        in cast.client_for("partner_x").get(reverse("home")).content.decode()
    )
    assert (
        "Parent flyer in Hmong"
        not in cast.client_for("partner_y").get(reverse("home")).content.decode()
    )


def test_leader_checks_off_a_milestone_in_place(cast, timeline):
    late, _soon = timeline
    response = cast.client_for("leader").post(
        reverse("campaigns:milestone_toggle", args=[late.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="milestone-{late.pk}"')
    assert "checked off" in html and 'aria-pressed="true"' in html
    late.refresh_from_db()
    assert late.is_done and late.done_by == cast.leader


def test_new_campaign_form_refuses_a_past_target_date_and_saves_nothing(cast):
    response = cast.client_for("leader").post(
        reverse("campaigns:create"),
        {
            "local": cast.local.pk,
            "name": "Late",
            "slug": "late",
            "bargaining_target_date": "2001-01-01",
        },
    )
    assert response.status_code == 200
    assert "must be in the future" in response.content.decode()
    assert not Campaign.objects.filter(slug="late").exists()


def test_leader_cannot_create_a_campaign_for_another_local(cast):
    response = cast.client_for("other_leader").post(
        reverse("campaigns:create"),
        {
            "local": cast.local.pk,
            "name": "Hijack",
            "slug": "hijack",
            "bargaining_target_date": "2029-01-01",
        },
    )
    assert response.status_code == 200
    assert not Campaign.objects.filter(slug="hijack").exists()


def test_leader_edits_the_plan_and_adds_a_milestone(cast):
    client = cast.client_for("leader")
    client.post(
        reverse("campaigns:plan_edit", args=[cast.campaign.slug]),
        {"vision": "A nurse in every school", "theory_of_target": "The board decides"},
    )
    page = client.get(cast.campaign.get_absolute_url()).content.decode()
    assert "A nurse in every school" in page and "The board decides" in page
    response = client.post(
        reverse("campaigns:milestone_add", args=[cast.campaign.slug]),
        {"title": "Red Thursday at every school", "due_on": "2027-01-14"},
    )
    assert response.status_code == 302
    assert cast.campaign.milestones.filter(title="Red Thursday at every school").exists()
