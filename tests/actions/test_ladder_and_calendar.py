"""The ladder view's readiness warnings and query count, and the private calendar feed."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from actions import ladder
from actions.models import CalendarFeed, Evaluation, Participation
from campaigns.models import Member, StructureTest, StructureTestParticipation
from tests import factories as f

from .factories import make_action

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")


def seed_actions(cast, count: int) -> None:
    for n in range(count):
        action = make_action(
            cast.campaign, days=n - count // 2, level=(n % 15) + 1, turnout_goal=10
        )
        if n % 2 and n < count // 2:
            Evaluation.objects.create(action=action, turnout=9, effect="helped", why="Good.")


@pytest.mark.parametrize("when", ["soon", "all", "past"])
@pytest.mark.parametrize("count", [3, 60])
def test_ladder_uses_a_constant_number_of_queries(cast, django_assert_num_queries, count, when):
    seed_actions(cast, count)
    test = StructureTest.objects.create(
        campaign=cast.campaign, name="Petition", held_on=date.today()
    )
    member = f.make_member(cast.building_a)
    StructureTestParticipation.objects.create(test=test, member=member)
    client = cast.client_for("leader")
    url = reverse("actions:ladder", args=[cast.campaign.slug]) + f"?when={when}"
    client.get(url)  # warm the session
    with django_assert_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    if when == "all":
        # Every action but the cancelled is counted in exactly one mark of the chart.
        counts = re.findall(
            r'<a href="[^"]*level=\d+#ladder-table" aria-label="[^"]*: (\d+) action',
            response.content.decode(),
        )
        assert sum(int(n) for n in counts) == count


def test_a_planned_jump_well_above_the_proven_level_is_warned(cast):
    past = make_action(cast.campaign, days=-10, level=2, turnout_goal=40, title="Buttons day")
    Evaluation.objects.create(action=past, turnout=38, effect="helped", why="Most wore them.")
    near = make_action(cast.campaign, days=5, level=4, title="Stickering")
    strike = make_action(cast.campaign, days=30, level=15, title="Strike vote rally")
    rows = {fact.pk: fact for fact in ladder.build(cast.campaign).chosen}
    assert not rows[near.pk].warnings
    assert rows[strike.pk].warnings and "13 rungs above level 2" in rows[strike.pk].warnings[0]


def test_low_structure_test_participation_is_warned(cast):
    members = [f.make_member(cast.building_a) for _ in range(10)]
    test = StructureTest.objects.create(
        campaign=cast.campaign, name="Red Thursday", held_on=date.today()
    )
    for member in members[:2]:
        StructureTestParticipation.objects.create(test=test, member=member)
    planned = make_action(cast.campaign, days=5, level=3)
    built = ladder.build(cast.campaign)
    assert built.readiness.participation_percent == 20
    row = next(r for r in built.chosen if r.pk == planned.pk)
    assert any("20% of members" in w for w in row.warnings)


def test_low_recent_turnout_is_warned(cast):
    for n in range(3):
        past = make_action(cast.campaign, days=-(n + 2), level=1, turnout_goal=100)
        Evaluation.objects.create(action=past, turnout=30, effect="no_effect", why="Rain.")
    planned = make_action(cast.campaign, days=5, level=2)
    row = next(r for r in ladder.build(cast.campaign).chosen if r.pk == planned.pk)
    assert any("30% of their turnout goals" in w for w in row.warnings)


def test_turnout_counts_attendance_when_not_yet_evaluated(cast):
    action = make_action(cast.campaign, days=-1, turnout_goal=4)
    for member in [f.make_member(cast.building_a) for _ in range(3)]:
        Participation.objects.create(action=action, member=member, attended=True)
    row = ladder.build(cast.campaign).chosen[0]
    assert (row.turnout, row.ratio) == (3, 0.75)


def test_ladder_page_has_a_table_alternative_and_a_labelled_chart(cast):
    make_action(cast.campaign, days=3, title="Red Thursday")
    body = (
        cast.client_for("leader").get(reverse("actions:ladder", args=[cast.campaign.slug])).content
    )
    assert b'aria-labelledby="chart-title"' in body and b"Red Thursday" in body
    assert b"Actions per period and level" in body and b"Actions on the ladder" in body


def test_private_calendar_feed_parses_and_can_be_revoked(cast, client):
    mine = make_action(cast.campaign, title="Building A walk-in", buildings=[cast.building_a])
    make_action(cast.campaign, title="Building B walk-in", buildings=[cast.building_b])
    make_action(cast.campaign, title="Whole campaign red-out")
    steward = cast.client_for("steward_a")
    steward.post(reverse("actions:calendar"), {"do": "issue"})
    page = steward.get(reverse("actions:calendar")).content.decode()
    url = re.search(r'id="feed-url"[^>]*value="([^"]+)"', page).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    titles = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert titles == {"Building A walk-in", "Whole campaign red-out"}
    assert any(str(e["uid"]).startswith(f"action-{mine.pk}@") for e in calendar.walk("VEVENT"))
    # The address is shown once, and stored only as a hash.
    assert "feed-url" not in steward.get(reverse("actions:calendar")).content.decode()
    assert CalendarFeed.objects.get(user=cast.steward_a).token_hash != path
    steward.post(reverse("actions:calendar"), {"do": "revoke"})
    assert client.get("/" + path).status_code == 404


def test_a_new_calendar_address_replaces_the_old(cast, client):
    first = CalendarFeed.issue(cast.leader)
    second = CalendarFeed.issue(cast.leader)
    assert client.get(reverse("actions:feed", args=[first])).status_code == 404
    assert client.get(reverse("actions:feed", args=[second])).status_code == 200


def test_a_partners_feed_holds_only_their_organisations_actions(cast):
    make_action(cast.campaign, title="Invited", invited_organisations=[cast.organisation_x])
    make_action(cast.campaign, title="Not invited")
    token = CalendarFeed.issue(cast.partner_x)
    body = cast.client_for("anonymous").get(reverse("actions:feed", args=[token])).content
    assert b"Invited" in body and b"Not invited" not in body


def test_calendar_page_needs_sign_in(client):
    assert client.get(reverse("actions:calendar")).status_code == 302
    assert client.get(reverse("actions:feed", args=["guess"])).status_code == 404


def test_past_offsets_are_not_reminded_after_a_late_rsvp(cast):
    action = make_action(cast.campaign, days=0.5, is_public=True)
    assert action.starts_at - timedelta(hours=2) > action.created_at


def ladder_titles(client, campaign, query: str = "") -> list[str]:
    page = client.get(reverse("actions:ladder", args=[campaign.slug]) + query).content.decode()
    table = page.split('id="ladder-table"', 1)[1] if 'id="ladder-table"' in page else ""
    return re.findall(r'<th scope="row"><a href="/actions/\d+/">([^<]+)</a>', table)


def at_pacific(day: int, hour: int):
    return (
        datetime(2026, 11, day, hour, tzinfo=PACIFIC)
        if day <= 30
        else datetime(2026, 12, day - 30, hour, tzinfo=PACIFIC)
    )


def make_dated(campaign, title: str, starts: datetime, level: int = 1):
    return make_action(campaign, title=title, level=level, starts_at=starts,
                       ends_at=starts + timedelta(hours=2))  # fmt: skip


def test_ladder_opens_on_this_week_and_the_next_in_the_locals_zone(cast, evening_in_california):
    # Sunday 29 November, 20:30 in California: Monday morning in UTC. The local's week runs
    # from Monday 23 November; next week ends on Sunday 6 December at midnight Pacific.
    make_dated(cast.campaign, "Last month's rally", at_pacific(2, 17))
    make_dated(cast.campaign, "Monday's button day", at_pacific(23, 9))
    make_dated(cast.campaign, "Sunday evening meeting", at_pacific(29, 19))
    make_dated(cast.campaign, "Next Sunday's picket", at_pacific(36, 18))  # 02:00 UTC Monday
    make_dated(cast.campaign, "The week after's march", at_pacific(37, 9))
    client = cast.client_for("leader")
    assert ladder_titles(client, cast.campaign) == [
        "Monday&#x27;s button day",
        "Sunday evening meeting",
        "Next Sunday&#x27;s picket",
    ]
    assert ladder_titles(client, cast.campaign, "?when=week") == [
        "Monday&#x27;s button day",
        "Sunday evening meeting",
    ]
    # The next 30 days are counted in whole local days, from today's.
    assert ladder_titles(client, cast.campaign, "?when=month") == [
        "Sunday evening meeting",
        "Next Sunday&#x27;s picket",
        "The week after&#x27;s march",
    ]
    # The past is read newest first.
    assert ladder_titles(client, cast.campaign, "?when=past") == [
        "Monday&#x27;s button day",
        "Last month&#x27;s rally",
    ]
    assert ladder_titles(client, cast.campaign, "?start=2026-12-07&end=2026-12-07") == [
        "The week after&#x27;s march"
    ]


def test_ladder_filters_by_level_and_each_mark_links_to_its_actions(cast, evening_in_california):
    make_dated(cast.campaign, "Stickers", at_pacific(30, 9), level=2)
    make_dated(cast.campaign, "More stickers", at_pacific(31, 9), level=2)
    make_dated(cast.campaign, "Rally", at_pacific(31, 17), level=5)
    client = cast.client_for("leader")
    page = client.get(reverse("actions:ladder", args=[cast.campaign.slug])).content.decode()
    mark = re.search(r'<a href="([^"]*level=2[^"]*)" aria-label="([^"]*)"', page)
    assert mark and mark.group(2).endswith("level 2: 2 actions")
    target = mark.group(1).replace("&amp;", "&").split("#")[0]
    assert "start=2026-11-30" in target and "end=2026-12-06" in target
    assert ladder_titles(client, cast.campaign, "?" + target.split("?", 1)[1]) == [
        "Stickers",
        "More stickers",
    ]
    assert ladder_titles(client, cast.campaign, "?level=5") == ["Rally"]


def test_a_long_span_is_counted_per_month(cast):
    for n in range(40):
        make_action(cast.campaign, days=-300 + n * 10, level=(n % 3) + 1)
    built = ladder.build(cast.campaign)
    assert built.chart.by_month and 10 <= len(built.chart.columns) <= 14
    assert sum(m.count for c in built.chart.columns for m in c.marks) == 40


def test_ladder_table_is_paged(cast):
    for n in range(60):
        make_action(cast.campaign, days=1 + n / 10, title=f"Walk-in {n}")
    client = cast.client_for("leader")
    first = ladder_titles(client, cast.campaign, "?when=month")
    second = ladder_titles(client, cast.campaign, "?when=month&page=2")
    assert (len(first), len(second)) == (50, 10)
    assert first[0] == "Walk-in 0" and second[-1] == "Walk-in 59"


def test_ladder_empty_states(cast):
    client = cast.client_for("leader")
    url = reverse("actions:ladder", args=[cast.campaign.slug])
    assert "No actions yet" in client.get(url).content.decode()
    make_action(cast.campaign, days=90, title="Far away")
    page = client.get(url).content.decode()
    assert "No actions in these dates." in page and "Far away" not in page
    assert "?when=all" in page


@pytest.mark.parametrize(
    "role, status",
    [("leader", 200), ("steward_a", 403), ("steward_b", 403), ("partner_x", 403),
     ("partner_y", 403), ("anonymous", 302), ("other_leader", 404)],
)  # fmt: skip
def test_ladder_as_each_role(cast, role, status):
    make_action(cast.campaign, days=2, title="Red Thursday")
    url = reverse("actions:ladder", args=[cast.campaign.slug]) + "?when=all&level=1"
    response = cast.client_for(role).get(url)
    assert response.status_code == status
    assert (b"Red Thursday" in response.content) == (status == 200)


def test_structure_test_participation_leaves_out_members_who_left(cast):
    members = [f.make_member(cast.building_a) for _ in range(10)]
    test = StructureTest.objects.create(
        campaign=cast.campaign, name="Red Thursday", held_on=date.today()
    )
    for member in members[:4]:
        StructureTestParticipation.objects.create(test=test, member=member)
    assert ladder.structure_participation(cast.campaign) == 4 / 10
    # Two who took part leave: 2 of the 8 current members took part.
    left = [m.pk for m in members[:2]]
    Member.objects.filter(pk__in=left).update(left_at=timezone.now())
    assert ladder.structure_participation(cast.campaign) == 2 / 8
    # Members who left another local change nothing here.
    other = f.make_member(f.make_building(cast.other_local))
    Member.objects.filter(pk=other.pk).update(left_at=timezone.now())
    assert ladder.structure_participation(cast.campaign) == 2 / 8
