"""The leader's organizing dashboard, the weekly history and the self-assessment."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from campaigns import dashboard
from campaigns.models import Assessment, Building, Conversation, WeeklySnapshot
from campaigns.tasks import record_weekly_snapshots
from tests import factories as f

from .factories import make_members, make_test, roster_csv

pytestmark = pytest.mark.django_db


def url(cast, **query):
    return reverse("campaigns:dashboard", args=[cast.campaign.slug])


def test_per_building_numbers(cast):
    test = make_test(cast.campaign)
    members = make_members(cast.building_a, 4)
    members[0].support_level, members[1].support_level, members[2].support_level = 1, 2, 4
    for m in members[:3]:
        m.last_contacted_at = timezone.now() - timedelta(days=3)
        m.save()
    f.make_member(cast.building_a, left_at=timezone.now(), support_level=1)  # left: not counted
    test.toggle(members[0], by=cast.leader)
    members[0].log_conversation(by=cast.steward_a, held_on=cast.local.today(), outcome="committed")
    stats = dashboard.building_stats(cast.campaign, test)
    dashboard.add_last_contact(stats)
    rows = {r.pk: r for r in stats}
    a = rows[cast.building_a.pk]
    assert (a.members, a.stewards, a.assessed, a.supporters, a.took_part) == (4, 1, 3, 2, 1)
    assert (a.pct_assessed, a.pct_supporters, a.pct_took_part) == (75, 50, 25)
    assert a.members_per_steward == 4.0 and a.meets_steward_goal
    assert a.days_since_contact == 0 and a.active
    b = rows[cast.building_b.pk]
    assert b.members == 0 and not b.active and b.days_since_contact is None


def row_of(response, building):
    return next(r for r in response.context["page"].object_list if r.pk == building.pk)


def numbers(response, building):
    row = row_of(response, building)
    return (row.members, row.assessed, row.supporters, row.stewards, row.took_part, row.active)


def test_the_dashboard_shows_a_change_to_a_member_at_once(cast):
    members = make_members(cast.building_a, 3)
    client = cast.client_for("leader")
    before = row_of(client.get(url(cast)), cast.building_a)
    assert (before.members, before.assessed, before.supporters) == (3, 0, 0)
    assert before.days_since_contact is None
    members[0].log_conversation(
        by=cast.steward_a, held_on=cast.local.today(), outcome="committed", support_level=1
    )
    response = client.get(url(cast))
    assert row_of(response, cast.building_a).supporters == 1
    # Each change below is made as the app makes it, between two readings of the cached page.
    members[1].edit(expected_version=members[1].version, building=cast.building_b)
    response = client.get(url(cast))
    assert (
        row_of(response, cast.building_a).members,
        row_of(response, cast.building_b).members,
    ) == (
        2,
        1,
    )
    members[2].edit(expected_version=members[2].version, left_at=timezone.now())
    response = client.get(url(cast))
    a, b = row_of(response, cast.building_a), row_of(response, cast.building_b)
    assert (a.members, a.assessed, a.supporters, a.days_since_contact) == (1, 1, 1, 0)
    assert (b.members, b.assessed) == (1, 0)
    assert response.context["summary"]["members"] == 2


def test_a_cached_dashboard_follows_tests_stewards_and_renamed_buildings(cast):
    test = make_test(cast.campaign)
    member = f.make_member(cast.building_b)
    client = cast.client_for("leader")
    assert numbers(client.get(url(cast)), cast.building_b) == (1, 0, 0, 1, 0, False)
    test.toggle(member, by=cast.steward_b)
    assert numbers(client.get(url(cast)), cast.building_b) == (1, 0, 0, 1, 1, False)
    member.log_conversation(by=cast.steward_b, held_on=cast.local.today(), outcome="committed")
    assert numbers(client.get(url(cast)), cast.building_b) == (1, 0, 0, 1, 1, True)
    test.mark(member, False, by=cast.steward_b)
    assert numbers(client.get(url(cast)), cast.building_b) == (1, 0, 0, 1, 0, True)
    Membership.objects.get(user=cast.steward_b, local=cast.local).remove()
    assert numbers(client.get(url(cast)), cast.building_b) == (1, 0, 0, 0, 0, False)
    building = cast.building_b
    building.edit(expected_version=building.version, name="Renamed High")
    assert row_of(client.get(url(cast)), building).building.name == "Renamed High"


def test_a_cached_dashboard_follows_a_roster_import_and_its_undo(cast, media):
    from .test_import import row, run_import

    client = cast.client_for("leader")
    assert client.get(url(cast)).context["summary"]["members"] == 0
    batch, _preview, response = run_import(cast, roster_csv([row(1), row(2), row(3)]))
    assert response.status_code == 302
    after = client.get(url(cast))
    assert after.context["summary"]["members"] == 3
    assert row_of(after, cast.building_a).members == 3
    response = client.post(reverse("campaigns:import_undo", args=[batch.pk]))
    assert response.status_code == 302
    assert client.get(url(cast)).context["summary"]["members"] == 0


def test_a_cached_dashboard_counts_active_buildings_from_the_local_day(cast):
    """At 20:30 in California the server's day is already tomorrow: a 1-on-1 held 30 days
    before the local's day still counts, and stops counting when the local's day moves on,
    though nothing changed in between."""
    member = f.make_member(cast.building_a)
    client = cast.client_for("leader")
    evening = datetime(2026, 11, 10, 4, 30, tzinfo=UTC)  # 20:30 on 9 November in California
    with time_machine.travel(evening, tick=False):
        assert cast.local.today() == date(2026, 11, 9)
        member.log_conversation(by=cast.steward_a, held_on=date(2026, 10, 10), outcome="committed")
        assert row_of(client.get(url(cast)), cast.building_a).active
    with time_machine.travel(evening + timedelta(days=1), tick=False):
        assert not row_of(client.get(url(cast)), cast.building_a).active


def test_a_cached_dashboard_reads_no_numbers_again(cast, django_assert_num_queries):
    make_members(cast.building_a, 3, support_level=2)
    client = cast.client_for("leader")
    first = client.get(url(cast))
    with django_assert_num_queries(8):
        again = client.get(url(cast))
    assert again.context["summary"] == first.context["summary"]


def test_sorting_by_last_contact_reads_every_building_not_only_the_first_page(cast):
    buildings = [f.make_building(cast.local, f"School {n:02d}") for n in range(30)]
    for days, building in enumerate(buildings):
        f.make_member(building, last_contacted_at=timezone.now() - timedelta(days=days, hours=1))
    response = cast.client_for("leader").get(url(cast), {"sort": "contact"})
    shown = response.context["page"].object_list
    # The longest without contact first: the last school, on no page but the first.
    assert shown[0].pk == buildings[-1].pk and shown[0].days_since_contact == 29
    assert '<td class="num">29</td>' in response.content.decode()


def test_buildings_without_a_steward_are_marked_weak(cast):
    lonely = f.make_building(cast.local, "Lonely Middle School", kind=Building.Kind.MIDDLE)
    make_members(lonely, 3)
    make_members(cast.building_a, 3, support_level=1)
    response = cast.client_for("leader").get(url(cast))
    rows = {r.building.name: r for r in response.context["page"].object_list}
    assert rows["Lonely Middle School"].is_weak
    assert not rows["Building A Elementary"].is_weak
    # Weakest first by default.
    assert response.context["page"].object_list[0].pk == lonely.pk
    assert b'class="weak"' in response.content


def test_sorting_and_filtering_by_query_parameters(cast):
    make_members(cast.building_a, 2)
    make_members(cast.building_b, 5)
    f.make_building(cast.local, "Cedar Middle School", kind=Building.Kind.MIDDLE)
    client = cast.client_for("leader")
    names = lambda response: [r.building.name for r in response.context["page"].object_list]  # noqa: E731
    by_members = client.get(url(cast), {"sort": "members"})
    assert names(by_members)[0] == "Building B High"
    ascending = client.get(url(cast), {"sort": "-members"})
    assert names(ascending)[0] == "Cedar Middle School"
    assert client.get(url(cast), {"kind": "middle"}).context["page"].paginator.count == 1
    assert names(client.get(url(cast), {"q": "building b"})) == ["Building B High"]
    unknown = client.get(url(cast), {"sort": "'; drop table", "kind": "castle"})
    assert unknown.status_code == 200 and unknown.context["sort"] == "weakest"


def test_chart_is_server_rendered_svg_from_weekly_snapshots(cast):
    this_week = dashboard.week_start(cast.local.today())
    for weeks_ago, supporters in ((3, 67), (2, 90), (1, 120)):
        WeeklySnapshot.objects.create(
            campaign=cast.campaign,
            week=this_week - timedelta(weeks=weeks_ago),
            supporters=supporters,
            active_buildings=7,
        )
    make_members(cast.building_a, 2, support_level=2)
    response = cast.client_for("leader").get(url(cast))
    html = response.content.decode()
    assert html.count("<svg") == 2 and "<polyline" in html
    assert [w.supporters for w in response.context["weeks"]] == [67, 90, 120, 2]
    assert "from 67 to 2" in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_participation_counts_only_the_latest_test_and_members_still_here(cast):
    earlier, latest = make_test(cast.campaign), make_test(cast.campaign)
    members = make_members(cast.building_a, 3)
    gone = f.make_member(cast.building_a)
    for member in (members[0], members[1], gone):
        latest.toggle(member, by=cast.leader)
    earlier.toggle(members[2], by=cast.leader)
    gone.left_at = timezone.now()
    gone.save()
    rows = {r.pk: r for r in dashboard.building_stats(cast.campaign, latest)}
    assert (rows[cast.building_a.pk].members, rows[cast.building_a.pk].took_part) == (3, 2)
    assert rows[cast.building_b.pk].took_part == 0
    untested = {r.pk: r for r in dashboard.building_stats(cast.campaign, None)}
    assert untested[cast.building_a.pk].took_part == 0


def test_the_charts_write_coordinates_as_numbers_in_spanish_too(cast):
    WeeklySnapshot.objects.create(
        campaign=cast.campaign,
        week=dashboard.week_start(cast.local.today()) - timedelta(weeks=1),
        supporters=1_250,
        active_buildings=3,
    )
    cast.leader.language = "es"
    cast.leader.save(update_fields=["language"])
    response = cast.client_for("leader").get(url(cast))
    assert 'lang="es"' in response.content.decode()
    svg = response.content.decode().split("<svg", 1)[1].split("</svg>", 1)[0]
    coordinates = re.findall(r' (?:cx|cy|x|y|y1|y2)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates)
    # The axis's numbers are text for the reader: in their format.
    assert ">1.500<" in svg or ">1500<" in svg


def test_weekly_task_records_a_snapshot_once_per_week(cast):
    make_members(cast.building_a, 3, support_level=2)
    record_weekly_snapshots()
    record_weekly_snapshots()
    snapshot = WeeklySnapshot.objects.get(campaign=cast.campaign)
    assert snapshot.supporters == 3 and snapshot.members == 3
    assert snapshot.week.weekday() == 0


def test_dashboard_runs_a_constant_number_of_queries(cast, django_assert_num_queries):
    test = make_test(cast.campaign)
    client = cast.client_for("leader")
    client.get(url(cast))
    counts = []
    for size in (3, 30):
        for n in range(size):
            building = f.make_building(cast.local)
            f.make_steward(cast.local, building)
            for member in make_members(building, 3, support_level=2):
                test.toggle(member, by=cast.leader)
                Conversation.objects.create(
                    member=member,
                    building=building,
                    held_on=timezone.localdate(),
                    outcome="committed",
                )
        with django_assert_num_queries(13) as captured:
            response = client.get(url(cast), {"sort": "supporters"})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_assessment_is_saved_per_date_and_shows_the_change(cast):
    client = cast.client_for("leader")
    page = reverse("campaigns:assessment", args=[cast.campaign.slug])
    from campaigns.assessment import STATEMENTS

    first = {s.key: 1 for s in STATEMENTS}
    response = client.post(page, {"taken_on": "2026-05-01", **first})
    assert response.status_code == 302
    second = {s.key: 3 for s in STATEMENTS}
    client.post(page, {"taken_on": "2026-11-01", **second})
    client.post(page, {"taken_on": "2026-11-01", **second})  # the same date updates
    assert Assessment.objects.count() == 2
    response = client.get(page)
    rows = response.context["rows"]
    assert rows[0]["scores"] == [1.0, 3.0] and rows[0]["change"] == 2.0
    assert "+2.0" in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [{"rj-reia": "5"}, {"rj-reia": "0"}, {"taken_on": (date.today() + timedelta(9)).isoformat()}],
)
def test_assessment_refuses_out_of_range_scores_and_future_dates(cast, bad):
    from campaigns.assessment import STATEMENTS

    data = {"taken_on": "2026-05-01", **{s.key: 2 for s in STATEMENTS}, **bad}
    response = cast.client_for("leader").post(
        reverse("campaigns:assessment", args=[cast.campaign.slug]), data
    )
    assert response.status_code == 200
    assert not Assessment.objects.exists()


def test_a_cached_dashboard_follows_the_admin(cast, client):
    members = make_members(cast.building_a, 2)
    leader = cast.client_for("leader")
    assert row_of(leader.get(url(cast)), cast.building_a).members == 2
    client.force_login(f.make_user(is_staff=True, is_superuser=True))
    delete = reverse("admin:campaigns_member_delete", args=[members[0].pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert row_of(leader.get(url(cast)), cast.building_a).members == 1
    steward = Membership.objects.get(user=cast.steward_a, local=cast.local)
    delete = reverse("admin:accounts_membership_delete", args=[steward.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert row_of(leader.get(url(cast)), cast.building_a).stewards == 0
