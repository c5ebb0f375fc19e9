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

from ..conftest import held_for_the_module

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
# 20:30 in California, when it is already the next day in UTC.
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)


def seed():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(scope="module", autouse=True)
def _demo_seeded_this_evening(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module at 20:30 in California; each test reads it, or
    seeds again on top of it inside its own transaction."""
    with held_for_the_module(django_db_blocker):
        with django_db_blocker.unblock(), time_machine.travel(EVENING, tick=False):
            seed()
        yield


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


BEFORE_THE_TABLE = {Demand.Status.DRAFT, Demand.Status.REVIEW, Demand.Status.ADOPTED}
AT_OR_PAST_THE_TABLE = set(Demand.Status) - BEFORE_THE_TABLE - {Demand.Status.WITHDRAWN}
# How far along a status is; an outcome (won, lost, withdrawn) is past anything the record says.
RANK = {
    Demand.Status.DRAFT: 0,
    Demand.Status.REVIEW: 1,
    Demand.Status.ADOPTED: 2,
    Demand.Status.PROPOSED: 3,
    Demand.Status.TENTATIVE: 4,
}


def what_the_record_says(demand) -> str | None:
    """Where the bargaining record puts a demand: tentatively agreed when an agreement covers
    a proposal carrying it, at the table when such a proposal was tabled, else nowhere."""
    proposals = demand.proposals.all()
    if TentativeAgreement.objects.filter(proposal__in=proposals).exists():
        return Demand.Status.TENTATIVE
    if ProposalVersion.objects.filter(proposal__in=proposals).exists():
        return Demand.Status.PROPOSED
    return None


def history(campaign) -> list:
    return [
        (d.title, d.status, [(m.to_status, m.cause, m.at, m.why) for m in d.transitions.all()])
        for d in Demand.objects.filter(campaign=campaign).order_by("title")
    ]


def test_every_demo_demand_agrees_with_the_bargaining_record_or_says_why_by_hand(client):
    with time_machine.travel(EVENING, tick=False):
        campaign = Campaign.objects.get(slug="true-2027")
        demands = list(Demand.objects.filter(campaign=campaign))
        causes = set()
        for demand in demands:
            record = what_the_record_says(demand)
            last = demand.transitions.order_by("-at", "-pk").first()
            if record is not None:
                # Never behind the record.
                assert RANK.get(demand.status, 9) >= RANK[record], demand.title
            if demand.status == record:
                # The table moved it, and the move is recorded as the bargaining's.
                assert (last.to_status, last.cause) == (record, "bargaining"), demand.title
                causes.add("bargaining")
            elif demand.status in BEFORE_THE_TABLE | {Demand.Status.WITHDRAWN}:
                assert record is None, demand.title
                assert last is None or last.cause == DemandTransition.Cause.HAND
            else:
                # A status the record does not imply: a leader set it, and said why.
                assert last.to_status == demand.status, demand.title
                assert last.cause == DemandTransition.Cause.HAND, demand.title
                assert last.why.strip(), demand.title
                causes.add("hand")
        assert causes == {"bargaining", "hand"}

        by_title = {d.title: d for d in demands}
        assert by_title["A nurse and a counselor in every school"].status == "proposed"
        assert by_title["Special education caseload caps"].status == "tentative"
        assert by_title["Restorative justice in place of suspensions"].status != "tentative"
        ice = by_title["No cooperation with ICE on school grounds"]
        assert ice.status == "won" and "outside the contract" in ice.transitions.first().why
        # One demand the record does not carry waits in coalition review, ready to adopt.
        assert any(
            d.status == "review" and what_the_record_says(d) is None and not d.adoption_blockers()
            for d in demands
        )

        # The public tracker shows each published demand as it stands, never two columns
        # that contradict each other.
        # The demands page lists every published demand (the main page the first few of
        # each status), one table a status.
        tracker = client.get(f"/open/{campaign.slug}/demands/?lang=en").content.decode()
        published = [d for d in demands if d.is_published]
        assert published
        for demand in published:
            row = tracker.split(f'<tr id="demand-{demand.pk}">', 1)[1].split("</tr>")[0]
            assert f"status-{demand.status}" in row, demand.title
            at_the_table = "Union · " in row or "District · " in row or "Employer · " in row
            agreed = "Tentative agreement signed" in row
            if demand.status in AT_OR_PAST_THE_TABLE:
                assert "Not yet at the table" not in row, demand.title
            else:
                assert not at_the_table and not agreed, demand.title
            if demand.status == Demand.Status.PROPOSED:
                assert not agreed, demand.title
            if demand.status == Demand.Status.TENTATIVE:
                assert agreed, demand.title
            if demand == ice:
                assert "Set by the union: The board of trustees passed" in row

        # Seeding again moves nobody and records nothing new.
        before = history(campaign)
        seed()
        assert history(campaign) == before
