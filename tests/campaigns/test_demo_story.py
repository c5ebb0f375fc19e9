"""The demo campaign tells one consistent story: ten weeks into bargaining, with every date
(timeline, demands, listening sessions, sessions, proposals, agreements, actions) agreeing
with that phase, counted from the day it is seeded in California."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action
from bargaining.models import CampaignEvent, ProposalVersion, Session, TentativeAgreement
from campaigns.models import Assessment, Campaign, Milestone, WeeklySnapshot
from demands.models import Demand, DemandTransition
from partners.models import ListeningSession, Support

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
# 20:30 in California, when it is already the next day in UTC.
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def assert_one_story(today):
    now = timezone.now()
    campaign = Campaign.objects.get(slug="true-2027")
    opened = campaign.bargaining_target_date

    # A definite phase: bargaining, which opened before today.
    current = [p.name for p in campaign.phases.all() if p.is_current(today)]
    assert current == ["Bargaining"]
    assert opened < today
    bargaining = campaign.phases.get(name="Bargaining")
    assert bargaining.starts_on == opened

    # The timeline: what was due is done, and done when it was due; what is open is ahead.
    for milestone in Milestone.objects.filter(campaign=campaign):
        if milestone.is_done:
            assert milestone.due_on < today, milestone.title
            assert timezone.localtime(milestone.done_at, PACIFIC).date() == milestone.due_on
        else:
            assert milestone.due_on >= today, milestone.title
    launch = Milestone.objects.get(campaign=campaign, title="Public launch with partners")

    # Sessions: after the launch, from the first on the target date; held ones in the past,
    # the next one still to come.
    sessions = list(Session.objects.filter(campaign=campaign).order_by("starts_at"))
    days = [timezone.localtime(s.starts_at, PACIFIC).date() for s in sessions]
    assert days[0] == opened and all(day > launch.due_on for day in days)
    assert all(bargaining.starts_on <= day <= bargaining.ends_on for day in days)
    for session, day in zip(sessions, days, strict=True):
        if session.status == Session.Status.SCHEDULED:
            assert session.starts_at > now
        else:
            assert session.starts_at < now and day < today
        assert session.published_at is None or session.published_at <= now
    assert any(s.status == Session.Status.SCHEDULED for s in sessions)

    # Proposals are passed at sessions that were held, on the day they were held.
    versions = ProposalVersion.objects.filter(proposal__campaign=campaign).select_related("session")
    for version in versions:
        assert version.session.status == Session.Status.HELD
        assert version.passed_on == timezone.localtime(version.session.starts_at, PACIFIC).date()

    # No tentative agreement before its proposal was tabled, none in the future, and each
    # one signed where its proposal's agreed version was passed.
    agreements = TentativeAgreement.objects.filter(campaign=campaign)
    assert agreements.exists()
    for agreement in agreements:
        passed = [v.passed_on for v in versions if v.proposal_id == agreement.proposal_id]
        agreed = [
            v.passed_on
            for v in versions
            if v.proposal_id == agreement.proposal_id and v.status == "agreed"
        ]
        assert min(passed) < agreement.signed_on <= today
        assert agreed == [agreement.signed_on]
    assert not versions.filter(status="agreed").exclude(proposal__in=agreements.values("proposal"))

    for event in CampaignEvent.objects.filter(campaign=campaign):
        assert event.occurred_on < today
    assert not CampaignEvent.objects.filter(
        campaign=campaign, kind__in=["ratification", "strike_vote"], occurred_on__lt=opened
    )

    # Demands: drafted before bargaining, proposed from its first session on, nothing dated
    # in the future.
    for demand in Demand.objects.filter(campaign=campaign):
        assert timezone.localtime(demand.created_at, PACIFIC).date() < opened
        moves = list(demand.transitions.order_by("pk"))
        times = [m.at for m in moves]
        assert times == sorted(times) and all(t <= now for t in times)
        assert all(demand.created_at <= t for t in times)
        assert demand.published_at is None or demand.published_at <= now
        for move in moves:
            if move.to_status == Demand.Status.PROPOSED:
                assert timezone.localtime(move.at, PACIFIC).date() >= opened
            if move.to_status == Demand.Status.ADOPTED:
                assert timezone.localtime(move.at, PACIFIC).date() < opened
    assert DemandTransition.objects.exists()

    # Listening before the demands; support letters before bargaining; nothing ahead.
    first_demand = Demand.objects.filter(campaign=campaign).order_by("created_at").first()
    for listening in ListeningSession.objects.filter(organisation__local=campaign.local):
        assert listening.held_on < timezone.localtime(first_demand.created_at, PACIFIC).date()
    for support in Support.objects.filter(campaign=campaign):
        assert support.received_on < opened
    for assessment in Assessment.objects.filter(campaign=campaign):
        assert assessment.taken_on < opened
    assert all(w.week <= today for w in WeeklySnapshot.objects.filter(campaign=campaign))
    return campaign


def test_the_demo_is_ten_weeks_into_bargaining_and_every_date_agrees():
    with time_machine.travel(EVENING, tick=False):
        seed()
        today = EVENING.date()
        assert timezone.now().date() != today  # UTC is already the next day.
        campaign = assert_one_story(today)
        assert 70 <= (today - campaign.bargaining_target_date).days < 77
        assert campaign.bargaining_target_date.weekday() == 2  # Sessions fall on Wednesdays.
        for action in Action.objects.filter(campaign=campaign):
            if action.status == Action.Status.DONE:
                assert action.starts_at < timezone.now()
                assert timezone.localtime(action.starts_at, PACIFIC).date() > (
                    campaign.bargaining_target_date
                )
            else:
                assert action.starts_at > timezone.now()


def test_seeding_again_changes_nothing_and_on_a_later_day_moves_the_story_along():
    with time_machine.travel(EVENING, tick=False):
        seed()
        counts = [
            m.objects.count()
            for m in (Session, ProposalVersion, TentativeAgreement, CampaignEvent, Milestone)
        ]
        seed()
        assert [
            m.objects.count()
            for m in (Session, ProposalVersion, TentativeAgreement, CampaignEvent, Milestone)
        ] == counts
    later = EVENING + timedelta(days=30)
    with time_machine.travel(later, tick=False):
        seed()
        assert_one_story(later.date())
        assert [
            m.objects.count()
            for m in (Session, ProposalVersion, TentativeAgreement, CampaignEvent, Milestone)
        ] == counts
