from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from campaigns.models import (
    Assessment,
    Conversation,
    Member,
    Milestone,
    Phase,
    StructureTestParticipation,
    Team,
)
from tests import factories as f

from .factories import make_test

pytestmark = pytest.mark.django_db


def test_new_campaign_gets_the_toolkit_timeline_counted_back_from_bargaining(cast):
    campaign = f.make_campaign(cast.local, bargaining_target_date=date(2028, 7, 1))
    campaign.create_timeline_from_template()
    phases = list(Phase.objects.filter(campaign=campaign))
    assert [p.name for p in phases][:2] == ["Community building and mapping", "Listening tours"]
    assert [p.name for p in phases][-3:] == ["Bargaining", "Settlement", "Enforcement"]
    assert phases[0].starts_on == date(2028, 7, 1) - timedelta(days=540)
    assert phases[5].starts_on == date(2028, 7, 1)
    assert Milestone.objects.filter(campaign=campaign).count() > 15
    assert set(Team.objects.filter(campaign=campaign).values_list("kind", flat=True)) == set(
        Team.Kind.values
    )
    campaign.create_timeline_from_template()  # a second call changes nothing
    assert Phase.objects.filter(campaign=campaign).count() == 8


def test_overdue_and_upcoming_milestones(cast):
    today = cast.local.today()
    late = Milestone.objects.create(
        campaign=cast.campaign, title="Late", due_on=today - timedelta(1)
    )
    soon = Milestone.objects.create(campaign=cast.campaign, title="Soon", due_on=today)
    done = Milestone.objects.create(
        campaign=cast.campaign, title="Done", due_on=today - timedelta(5)
    )
    done.check_off(by=cast.leader)
    assert list(Milestone.objects.overdue()) == [late]
    assert list(Milestone.objects.upcoming()) == [soon]
    assert late.is_overdue and not done.is_overdue
    done.reopen()
    assert done.done_at is None and done.is_overdue


def test_talk_order_puts_never_contacted_then_stale_then_undecided_first(cast):
    now = timezone.now()
    recent_supporter = f.make_member(cast.building_a, support_level=2, last_contacted_at=now)
    undecided = f.make_member(cast.building_a, support_level=3, last_contacted_at=now)
    stale = f.make_member(
        cast.building_a, support_level=1, last_contacted_at=now - timedelta(days=20)
    )
    never = f.make_member(cast.building_a)
    order = list(Member.objects.filter(building=cast.building_a).in_talk_order())
    assert order == [never, stale, undecided, recent_supporter]


def test_logging_a_conversation_updates_support_and_last_contact(cast):
    member = f.make_member(cast.building_a)
    member.log_conversation(
        by=cast.steward_a,
        held_on=date(2026, 11, 2),
        outcome=Conversation.Outcome.COMMITTED,
        support_level=2,
    )
    member.refresh_from_db()
    assert member.support_level == 2
    assert member.last_contacted_at.date() == date(2026, 11, 2)
    # An older conversation logged later does not move the last contact back.
    member.log_conversation(
        by=cast.steward_a,
        held_on=date(2026, 10, 1),
        outcome=Conversation.Outcome.THINKING,
        support_level=None,
    )
    member.refresh_from_db()
    assert member.last_contacted_at.date() == date(2026, 11, 2)
    assert member.support_level == 2
    assert member.conversations.count() == 2


def test_support_level_outside_one_to_five_is_refused_by_the_database(cast):
    member = f.make_member(cast.building_a)
    member.support_level = 9
    with pytest.raises(IntegrityError):
        member.save()


def test_structure_test_toggle_ticks_and_unticks(cast):
    test = make_test(cast.campaign)
    member = f.make_member(cast.building_a)
    assert test.toggle(member, by=cast.steward_a) is True
    assert StructureTestParticipation.objects.filter(test=test, member=member).exists()
    assert test.toggle(member, by=cast.steward_a) is False
    assert not StructureTestParticipation.objects.exists()


def test_assessment_averages_each_element(cast):
    assessment = Assessment.objects.create(
        campaign=cast.campaign,
        taken_on=date(2026, 5, 1),
        scores={"rj-reia": 1, "rj-affected-lead": 3, "rj-language": 2, "i-stewards": 4},
    )
    scores = assessment.element_scores()
    assert scores["racial-justice"] == 2.0
    assert scores["internal"] == 4.0
    assert scores["partners"] is None
