"""A campaign's dates are the local's days, also where no request has set the zone (tasks, the
weekly snapshot, the PDF): at 20:30 on Sunday in California UTC is already Monday, and at 07:30
on Sunday in Tokyo it is still Saturday.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from campaigns import dashboard
from campaigns.models import Milestone, Phase
from tests import factories as f

pytestmark = pytest.mark.django_db

SUNDAY = date(2026, 11, 29)


def milestone(campaign, due_on: date, title: str = "Map every building") -> Milestone:
    return Milestone.objects.create(campaign=campaign, title=title, due_on=due_on)


def test_the_server_is_on_another_day_than_the_local(cast, local_clock):
    assert timezone.localdate() != SUNDAY
    assert cast.local.today() == SUNDAY


def test_a_milestone_due_today_is_not_overdue_until_the_locals_day_ends(cast, local_clock):
    today = milestone(cast.campaign, SUNDAY)
    yesterday = milestone(cast.campaign, SUNDAY - timedelta(days=1))
    assert list(Milestone.objects.overdue()) == [yesterday]
    assert list(Milestone.objects.upcoming()) == [today]
    assert yesterday.is_overdue and not today.is_overdue


def test_each_local_counts_its_own_milestones_by_its_own_day(cast, evening_in_california):
    tokyo = f.make_local("Tokyo Teachers", timezone="Asia/Tokyo")
    # 20:30 on Sunday in California is 13:30 on Monday in Tokyo.
    here = milestone(cast.campaign, SUNDAY, "Here")
    there = milestone(f.make_campaign(tokyo), SUNDAY, "There")
    assert list(Milestone.objects.overdue()) == [there]
    assert list(Milestone.objects.upcoming()) == [here]
    assert there.is_overdue and not here.is_overdue


def test_overdue_milestones_of_many_locals_take_two_queries(
    cast, evening_in_california, django_assert_num_queries
):
    for n in range(5):
        local = f.make_local(f"Local {n}", timezone="Asia/Tokyo" if n % 2 else "Europe/Madrid")
        milestone(f.make_campaign(local), SUNDAY)
    with django_assert_num_queries(2):
        assert len(Milestone.objects.overdue()) == 5


def test_the_current_phase_is_the_locals(cast, local_clock):
    ending = Phase.objects.create(
        campaign=cast.campaign, name="Listening tours", starts_on=date(2026, 9, 1), ends_on=SUNDAY
    )
    starting = Phase.objects.create(
        campaign=cast.campaign,
        name="Shared vision",
        starts_on=SUNDAY + timedelta(days=1),
        ends_on=date(2027, 3, 1),
    )
    assert ending.is_current() and not starting.is_current()


def test_the_campaign_page_marks_overdue_milestones_at_constant_queries(
    cast, evening_in_california, django_assert_max_num_queries
):
    phase = Phase.objects.create(
        campaign=cast.campaign, name="Listening tours", starts_on=date(2026, 9, 1), ends_on=SUNDAY
    )
    client = cast.client_for("leader")
    counts = []
    for size in (2, 12):
        for n in range(size):
            Milestone.objects.create(
                campaign=cast.campaign, phase=phase, title=f"Step {n}", due_on=SUNDAY
            )
        with django_assert_max_num_queries(40) as captured:
            html = client.get(cast.campaign.get_absolute_url()).content.decode()
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert "milestone-overdue" not in html and "phase-current" in html


def test_the_weekly_snapshot_is_for_the_locals_week(cast, evening_in_california):
    # Sunday evening in California is Monday in UTC: still the week that began on the 23rd.
    snapshot = dashboard.record_snapshot(cast.campaign)
    assert snapshot.week == date(2026, 11, 23)
    assert dashboard.history(cast.campaign, dashboard.totals([]))[-1].week == date(2026, 11, 23)
