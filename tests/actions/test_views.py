"""Each action view as each person in the cast."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Evaluation, Participation, Reminder, Rsvp, Tactic
from tests import factories as f
from tests.conftest import ROLES

from .factories import make_action

pytestmark = pytest.mark.django_db


def expected(who: str, allowed: dict) -> set[int]:
    if who in allowed:
        return {allowed[who]}
    if who == "anonymous":
        return {302}
    if who == "other_leader":
        return {404}
    return {403, 404}


@pytest.mark.parametrize("who", ROLES)
def test_action_detail_visibility(cast, who):
    internal = make_action(cast.campaign, title="Internal red-out")
    public = make_action(cast.campaign, title="Public rally", is_public=True)
    invited = make_action(cast.campaign, title="Coalition picket")
    invited.invited_organisations.add(cast.organisation_x)
    client = cast.client_for(who)
    codes = {
        a.title: client.get(a.get_absolute_url()).status_code for a in [internal, public, invited]
    }
    if who == "anonymous":
        assert set(codes.values()) == {302}
    elif who in {"leader", "steward_a", "steward_b"}:
        assert set(codes.values()) == {200}
    elif who == "partner_x":
        assert codes == {"Internal red-out": 404, "Public rally": 200, "Coalition picket": 200}
    elif who == "partner_y":
        assert codes == {"Internal red-out": 404, "Public rally": 200, "Coalition picket": 404}
    else:
        assert set(codes.values()) == {404}


def test_leader_schedules_an_action_and_reminders_are_planned(cast):
    building_a_member = f.make_member(cast.building_a)
    assert building_a_member
    tactic = Tactic.start_ladder(cast.campaign)[7]
    starts = timezone.localtime() + timedelta(days=10)
    response = cast.client_for("leader").post(
        reverse("actions:create", args=[cast.campaign.slug]),
        {
            "tactic": tactic.pk,
            "title": "Rally before school at Building A",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Front steps",
            "buildings": [cast.building_a.pk],
            "escalates_base": "on",
            "turnout_goal": "40",
            "invited_organisations": [cast.organisation_x.pk],
        },
    )
    action = Action.objects.get(title="Rally before school at Building A")
    assert response.status_code == 302
    assert action.created_by == cast.leader
    recipients = set(action.reminders.values_list("recipient_email", flat=True))
    # The steward of the building involved and the invited partner; not steward B, not partner Y.
    assert recipients == {"steward-a@test.example", "partner-x@test.example"}
    assert action.reminders.count() == 6  # two people, three offsets


def test_an_end_before_the_start_is_refused_and_nothing_is_saved(cast):
    tactic = Tactic.start_ladder(cast.campaign)[0]
    starts = timezone.localtime() + timedelta(days=3)
    response = cast.client_for("leader").post(
        reverse("actions:create", args=[cast.campaign.slug]),
        {
            "tactic": tactic.pk,
            "title": "Backwards",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "The end is before the start" in response.content.decode()
    assert not Action.objects.exists()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_only_the_leader_edits_and_cancels(cast, who):
    action = make_action(cast.campaign, is_public=True)
    client = cast.client_for(who)
    edit = client.get(reverse("actions:edit", args=[action.pk])).status_code
    cancel = client.post(
        reverse("actions:cancel", args=[action.pk]), {"reason": "The board moved the vote."}
    ).status_code
    if who == "leader":
        assert (edit, cancel) == (200, 302)
        action.refresh_from_db()
        assert action.is_cancelled
    else:
        assert edit in expected(who, {}) and cancel in expected(who, {})
        action.refresh_from_db()
        assert not action.is_cancelled


def test_cancel_asks_for_confirmation_first(cast):
    action = make_action(cast.campaign)
    response = cast.client_for("leader").get(reverse("actions:cancel", args=[action.pk]))
    assert b"Yes, cancel the action" in response.content
    action.refresh_from_db()
    assert action.status == Action.Status.PLANNED


def test_rescheduling_through_the_form_replans_pending_reminders(cast):
    action = make_action(cast.campaign, days=10, buildings=[cast.building_a])
    from actions.reminders import plan_action

    plan_action(action)
    before = set(action.reminders.values_list("due_at", flat=True))
    starts = timezone.localtime(action.starts_at + timedelta(days=2))
    response = cast.client_for("leader").post(
        reverse("actions:edit", args=[action.pk]),
        {
            "tactic": action.tactic_id,
            "title": action.title,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "buildings": [cast.building_a.pk],
            "change_reason": "The room is free two days later.",
        },
    )
    assert response.status_code == 302
    after = set(
        action.reminders.filter(status="pending", kind="reminder").values_list("due_at", flat=True)
    )
    assert len(after) == 3 and not (before & after)


@pytest.mark.parametrize("who", ROLES)
def test_participation_page_by_role(cast, who):
    action = make_action(cast.campaign)
    f.make_member(cast.building_a, first_name="Ana", last_name="Alpha")
    f.make_member(cast.building_b, first_name="Ben", last_name="Beta")
    response = cast.client_for(who).get(reverse("actions:participation", args=[action.pk]))
    allowed = {"leader": 200, "steward_a": 200, "steward_b": 200}
    assert response.status_code in expected(who, allowed)
    if who == "steward_a":
        assert b"Ana Alpha" in response.content and b"Ben Beta" not in response.content
    if who == "leader":
        assert b"Ana Alpha" in response.content and b"Ben Beta" in response.content


def test_steward_marks_own_member_with_htmx_and_not_others(cast):
    action = make_action(cast.campaign)
    mine = f.make_member(cast.building_a)
    theirs = f.make_member(cast.building_b)
    client = cast.client_for("steward_a")
    url = reverse("actions:participation_mark", args=[action.pk, mine.pk])
    response = client.post(url, {"field": "coming", "value": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'aria-pressed="true"' in response.content and b"data-announce" in response.content
    assert Participation.objects.get(member=mine).coming
    other = reverse("actions:participation_mark", args=[action.pk, theirs.pk])
    assert client.post(other, {"field": "coming", "value": "1"}).status_code == 404
    assert not Participation.objects.filter(member=theirs).exists()


def test_marking_without_javascript_redirects_back(cast):
    action = make_action(cast.campaign)
    member = f.make_member(cast.building_a)
    url = reverse("actions:participation_mark", args=[action.pk, member.pk])
    response = cast.client_for("leader").post(url, {"field": "attended", "value": "1"})
    assert response.status_code == 302
    record = Participation.objects.get(member=member)
    assert record.attended and record.coming


def test_steward_cannot_mark_members_of_buildings_not_involved(cast):
    action = make_action(cast.campaign, buildings=[cast.building_b])
    member = f.make_member(cast.building_a)
    url = reverse("actions:participation_mark", args=[action.pk, member.pk])
    assert (
        cast.client_for("steward_a").post(url, {"field": "coming", "value": "1"}).status_code == 404
    )


@pytest.mark.parametrize("who", ROLES)
def test_partner_rsvp_only_for_their_organisation(cast, who):
    action = make_action(cast.campaign, invited_organisations=[cast.organisation_x])
    url = reverse("actions:partner_rsvp", args=[action.pk])
    response = cast.client_for(who).post(url, {"names": "Rosa Diaz\nLuis Perez"})
    if who == "partner_x":
        assert response.status_code == 302
        assert set(Rsvp.objects.values_list("name", "organisation")) == {
            ("Rosa Diaz", cast.organisation_x.pk),
            ("Luis Perez", cast.organisation_x.pk),
        }
    else:
        assert response.status_code in ({302} if who == "anonymous" else {403, 404})
        assert not Rsvp.objects.exists()


def test_partner_sees_only_their_own_people_and_no_member_data(cast):
    action = make_action(cast.campaign, is_public=True)
    action.invited_organisations.add(cast.organisation_x, cast.organisation_y)
    f.make_member(cast.building_a, first_name="Secret", last_name="Member")
    Rsvp.objects.create(
        action=action, source="partner", name="Yolanda Y", organisation=cast.organisation_y
    )
    Rsvp.objects.create(action=action, source="public", name="Pat Public", email="pat@example.org")
    client = cast.client_for("partner_x")
    for url in [action.get_absolute_url(), reverse("actions:partner_rsvp", args=[action.pk])]:
        body = client.get(url).content.decode()
        assert "Yolanda Y" not in body and "Pat Public" not in body and "Secret Member" not in body


def test_partner_cannot_remove_another_organisations_person(cast):
    action = make_action(
        cast.campaign, invited_organisations=[cast.organisation_x, cast.organisation_y]
    )
    rsvp = Rsvp.objects.create(
        action=action, source="partner", name="Y person", organisation=cast.organisation_y
    )
    url = reverse("actions:partner_rsvp_remove", args=[action.pk, rsvp.pk])
    assert cast.client_for("partner_x").post(url).status_code == 404
    assert cast.client_for("partner_y").post(url).status_code == 302
    assert not Rsvp.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_evaluation_by_role(cast, who):
    action = make_action(cast.campaign, days=-1, turnout_goal=50)
    response = cast.client_for(who).post(
        reverse("actions:evaluate", args=[action.pk]),
        {"turnout": "62", "effect": "helped", "why": "Parents joined the walk-in."},
    )
    if who == "leader":
        assert response.status_code == 302
        action.refresh_from_db()
        assert action.status == "done" and action.evaluation.turnout == 62
    else:
        assert response.status_code in expected(who, {})
        assert not Evaluation.objects.exists()


def test_evaluation_needs_a_reason(cast):
    action = make_action(cast.campaign, days=-1)
    response = cast.client_for("leader").post(
        reverse("actions:evaluate", args=[action.pk]), {"turnout": "5", "effect": "helped"}
    )
    assert response.status_code == 200 and not Evaluation.objects.exists()


def test_leader_reorders_and_edits_the_ladder_without_javascript(cast):
    client = cast.client_for("leader")
    client.post(reverse("actions:tactics", args=[cast.campaign.slug]), {"start": "toolkit"})
    tactics = list(Tactic.objects.filter(campaign=cast.campaign))
    assert [t.name for t in tactics[:3]] == [
        "Petition signatures",
        "Union buttons",
        "Wear red on Thursdays",
    ]
    assert len(tactics) == 15 and tactics[-1].name == "Strike"
    client.post(reverse("actions:tactic_move", args=[tactics[1].pk]), {"direction": "up"})
    names = list(Tactic.objects.filter(campaign=cast.campaign).values_list("name", flat=True))
    assert names[:2] == ["Union buttons", "Petition signatures"]
    client.post(
        reverse("actions:tactic_edit", args=[tactics[0].pk]),
        {"name": "Online petition", "description": ""},
    )
    assert Tactic.objects.get(pk=tactics[0].pk).name == "Online petition"
    response = client.post(
        reverse("actions:tactics", args=[cast.campaign.slug]), {"name": "strike", "description": ""}
    )
    assert b"already has a tactic" in response.content
    assert (
        cast.client_for("steward_a")
        .post(reverse("actions:tactic_move", args=[tactics[1].pk]), {"direction": "up"})
        .status_code
        == 403
    )


def test_reminder_offsets_are_validated_and_replan(cast):
    action = make_action(cast.campaign, days=20, buildings=[cast.building_a])
    client = cast.client_for("leader")
    url = reverse("actions:reminders", args=[cast.campaign.slug])
    bad = client.post(url, {"offsets": "-5d, 1d"})
    assert bad.status_code == 200 and "never after" in bad.content.decode()
    absurd = client.post(url, {"offsets": "400d"})
    assert "more than 60 days" in absurd.content.decode()
    assert not action.reminders.exists()
    assert client.post(url, {"offsets": "3d, 4h"}).status_code == 302
    offsets = set(
        action.reminders.filter(status="pending").values_list("offset_minutes", flat=True)
    )
    assert offsets == {3 * 24 * 60, 4 * 60}


@pytest.mark.parametrize("who", ROLES)
def test_failed_reminders_page_and_retry(cast, who):
    action = make_action(cast.campaign)
    reminder = Reminder.objects.create(
        key="x",
        campaign=cast.campaign,
        action=action,
        recipient_email="a@example.org",
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
        status="failed",
        attempts=5,
        last_error="SMTPServerDisconnected",
    )
    client = cast.client_for(who)
    page = client.get(reverse("actions:reminders", args=[cast.campaign.slug]))
    retry = client.post(reverse("actions:reminder_retry", args=[reminder.pk]))
    reminder.refresh_from_db()
    if who == "leader":
        assert b"SMTPServerDisconnected" in page.content
        assert retry.status_code == 302 and reminder.status == "pending" and reminder.attempts == 0
    else:
        assert retry.status_code in {302, 404} and reminder.status == "failed"


def test_action_list_shows_visible_actions(cast):
    make_action(cast.campaign, title="Red Thursday", is_public=True)
    make_action(cast.campaign, title="Secret planning")
    body = cast.client_for("partner_y").get(reverse("actions:list")).content.decode()
    assert "Red Thursday" in body and "Secret planning" not in body
    other = cast.client_for("other_leader").get(reverse("actions:list")).content.decode()
    assert "Red Thursday" not in other


def test_for_organisation_lists_invited_actions(cast):
    invited = make_action(cast.campaign, invited_organisations=[cast.organisation_x])
    make_action(cast.campaign)
    cancelled = make_action(
        cast.campaign, invited_organisations=[cast.organisation_x], status="cancelled"
    )
    found = list(Action.objects.for_organisation(cast.organisation_x.pk))
    assert found == [invited] and cancelled not in found


def test_times_are_read_and_shown_in_the_locals_time_zone(cast):
    tactic = Tactic.start_ladder(cast.campaign)[0]
    year = timezone.now().year + 1
    response = cast.client_for("leader").post(
        reverse("actions:create", args=[cast.campaign.slug]),
        {
            "tactic": tactic.pk,
            "title": "Walk-in at seven",
            "starts_at": f"{year}-01-14T07:00",
            "ends_at": f"{year}-01-14T08:00",
        },
    )
    action = Action.objects.get(title="Walk-in at seven")
    # Los Angeles is eight hours behind UTC in January.
    assert (action.starts_at.hour, action.starts_at.utcoffset()) == (15, timedelta(0))
    page = cast.client_for("steward_a").get(response["Location"]).content.decode()
    assert "07:00" in page


def test_partners_do_not_see_the_power_map_or_evaluations(cast):
    from demands.models import Demand, Target

    target = Target.objects.create(campaign=cast.campaign, name="Superintendent Okafor")
    internal = Demand.objects.create(campaign=cast.campaign, title="Internal wage demand")
    shared = Demand.objects.create(campaign=cast.campaign, title="Nurses in every school")
    shared.shared_with.add(cast.organisation_x)
    action = make_action(
        cast.campaign, days=-1, target=target, invited_organisations=[cast.organisation_x]
    )
    action.demands.set([internal, shared])
    Evaluation.objects.create(action=action, turnout=5, effect="hindered", why="Rival slate.")
    partner = cast.client_for("partner_x").get(action.get_absolute_url()).content.decode()
    assert "Nurses in every school" in partner
    assert "Internal wage demand" not in partner
    assert "Superintendent Okafor" not in partner and "Rival slate" not in partner
    leader = cast.client_for("leader").get(action.get_absolute_url()).content.decode()
    assert "Superintendent Okafor" in leader and "Rival slate" in leader
