"""Two people with the same form open: a stale save gets the merge page and loses nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from campaigns.assessment import STATEMENTS
from campaigns.models import Assessment, Member, Milestone, Team
from tests import factories as f
from tests.forms import form_data, save_merge, stale_save

pytestmark = pytest.mark.django_db


def test_leaders_stale_member_form_keeps_the_phone_a_steward_just_saved(cast):
    member = f.make_member(cast.building_a, phone="", notes="")
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader, steward = cast.client_for("leader"), cast.client_for("steward_a")
    leaders_form = form_data(leader.get(url))
    stewards_form = form_data(steward.get(url))

    stewards_form["phone"] = "(916) 555-0134"
    assert steward.post(url, stewards_form).status_code == 302

    leaders_form["notes"] = "Wants to host a house meeting."
    stale = leader.post(url, leaders_form)

    assert stale.status_code == 409
    assert "Someone else saved this while you were editing" in stale.content.decode()
    member.refresh_from_db()
    assert member.phone == "+19165550134"  # stored in E.164, shown in national format
    # The merge page holds both: their phone, the leader's note, ready to save.
    merged = form_data(stale)
    assert merged["phone"] == "(916) 555-0134"
    assert merged["notes"] == "Wants to host a house meeting."
    assert leader.post(url, merged).status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.notes) == ("+19165550134", "Wants to host a house meeting.")


def test_both_changing_the_same_field_shows_both_and_lets_the_person_keep_theirs(cast):
    member = f.make_member(cast.building_a, notes="Met once.")
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader, steward = cast.client_for("leader"), cast.client_for("steward_a")
    leaders_form = form_data(leader.get(url))
    stewards_form = form_data(steward.get(url))
    stewards_form["notes"] = "Signed the petition."
    steward.post(url, stewards_form)

    leaders_form["notes"] = "Call after the board meeting."
    stale = leader.post(url, leaders_form)

    page = stale.content.decode()
    assert stale.status_code == 409
    assert "You both changed these" in page
    assert "Signed the petition." in page and "Call after the board meeting." in page
    assert "Met once." in page
    merged = form_data(stale)
    merged["keep_notes"] = "theirs"
    leader.post(url, merged)
    member.refresh_from_db()
    assert member.notes == "Signed the petition."


def test_a_save_writes_only_what_the_person_changed(cast):
    member = f.make_member(cast.building_a, phone="", notes="")
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader = cast.client_for("leader")
    data = form_data(leader.get(url))
    Member.objects.filter(pk=member.pk).update(job_class="Counselor")  # e.g. a roster import
    data["notes"] = "Prefers texts."
    leader.post(url, data)
    member.refresh_from_db()
    assert member.job_class == "Counselor"
    assert member.notes == "Prefers texts."


@pytest.fixture
def second_leader(cast):
    client = Client()
    client.force_login(f.make_leader(cast.local))
    return client


def test_stale_plan_save_keeps_the_strategy_another_leader_wrote(cast, second_leader):
    url = reverse("campaigns:plan_edit", args=[cast.campaign.slug])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"strategy": "Pack the board meeting."},
        {"vision": "A nurse in every school."},
    )
    cast.campaign.refresh_from_db()
    assert cast.campaign.strategy == "Pack the board meeting."
    assert cast.campaign.vision == ""
    save_merge(second_leader, url, stale)
    cast.campaign.refresh_from_db()
    assert (cast.campaign.strategy, cast.campaign.vision) == (
        "Pack the board meeting.",
        "A nurse in every school.",
    )


def test_stale_milestone_save_keeps_the_new_due_date(cast, second_leader):
    milestone = Milestone.objects.create(
        campaign=cast.campaign, title="Listening tour", due_on=date(2026, 3, 1)
    )
    url = reverse("campaigns:milestone_edit", args=[milestone.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"due_on": "2026-04-15"},
        {"notes": "Book the library."},
    )
    save_merge(second_leader, url, stale)
    milestone.refresh_from_db()
    assert (milestone.due_on, milestone.notes) == (date(2026, 4, 15), "Book the library.")


def test_stale_team_save_keeps_the_purpose_and_adds_the_members(cast, second_leader):
    team = Team.objects.create(campaign=cast.campaign, kind=Team.Kind.RESEARCH)
    url = reverse("campaigns:team_edit", args=[team.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"purpose": "Follow the district's money."},
        {"members": [str(cast.steward_a.pk)]},
    )
    team.refresh_from_db()
    assert team.purpose == "Follow the district's money."
    save_merge(second_leader, url, stale)
    team.refresh_from_db()
    assert team.purpose == "Follow the district's money."
    assert list(team.members.all()) == [cast.steward_a]


@time_machine.travel(datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles")))
def test_stale_self_assessment_does_not_overwrite_todays_scores(cast, second_leader):
    url = reverse("campaigns:assessment", args=[cast.campaign.slug])
    everything = {s.key: "2" for s in STATEMENTS}
    first_key = STATEMENTS[0].key
    leader = cast.client_for("leader")
    # Today's first assessment, then both leaders open the page.
    leader.post(url, {**form_data(leader.get(url)), **everything})
    stale = stale_save(
        leader,
        second_leader,
        url,
        {first_key: "4"},
        {"notes": "Partners want more say."},
    )
    assessment = Assessment.objects.get(campaign=cast.campaign)
    assert assessment.scores[first_key] == 4
    save_merge(second_leader, url, stale)
    assessment.refresh_from_db()
    assert assessment.scores[first_key] == 4
    assert assessment.notes == "Partners want more say."


@time_machine.travel(datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles")))
def test_two_first_assessments_of_the_day_do_not_overwrite_each_other(cast, second_leader):
    url = reverse("campaigns:assessment", args=[cast.campaign.slug])
    leader = cast.client_for("leader")
    scores = {s.key: "3" for s in STATEMENTS}
    stale = stale_save(leader, second_leader, url, scores, {**scores, "notes": "Second."})
    assert stale.status_code == 409
    assessment = Assessment.objects.get(campaign=cast.campaign)
    assert assessment.notes == ""
    save_merge(second_leader, url, stale)
    assessment.refresh_from_db()
    assert assessment.notes == "Second."


def test_a_member_form_opened_before_a_conversation_does_not_undo_its_support_level(cast):
    member = f.make_member(cast.building_a, support_level=3)
    url = reverse("campaigns:member_edit", args=[member.pk])
    leader = cast.client_for("leader")
    data = form_data(leader.get(url))
    member.log_conversation(by=cast.steward_a, held_on=date(2026, 11, 2), support_level=1)
    data["support_level"] = "4"
    stale = leader.post(url, data)
    assert stale.status_code == 409
    member.refresh_from_db()
    assert member.support_level == 1


def test_stale_building_save_keeps_the_address_another_leader_corrected(cast, second_leader):
    url = reverse("campaigns:building_edit", args=[cast.building_a.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"address": "2450 Oak Grove Way"},
        {"kind": "elementary"},
    )
    save_merge(second_leader, url, stale)
    cast.building_a.refresh_from_db()
    assert (cast.building_a.address, cast.building_a.kind) == ("2450 Oak Grove Way", "elementary")


def test_only_the_locals_leaders_edit_a_building(cast):
    url = reverse("campaigns:building_edit", args=[cast.building_a.pk])
    assert cast.client_for("steward_a").get(url).status_code == 403
    assert cast.client_for("other_leader").get(url).status_code == 404
    page = cast.client_for("leader").get(cast.building_a.get_absolute_url()).content.decode()
    assert url in page
