"""The ladder view's readiness warnings and query count, and the private calendar feed."""

from datetime import date, timedelta

import icalendar
import pytest
from django.urls import reverse

from actions import ladder
from actions.models import CalendarFeed, Evaluation, Participation
from campaigns.models import StructureTest, StructureTestParticipation
from tests import factories as f

from .factories import make_action

pytestmark = pytest.mark.django_db


def seed_actions(cast, count: int) -> None:
    for n in range(count):
        action = make_action(
            cast.campaign, days=n - count // 2, level=(n % 15) + 1, turnout_goal=10
        )
        if n % 2 and n < count // 2:
            Evaluation.objects.create(action=action, turnout=9, effect="helped", why="Good.")


@pytest.mark.parametrize("count", [3, 30])
def test_ladder_uses_a_constant_number_of_queries(cast, django_assert_num_queries, count):
    seed_actions(cast, count)
    test = StructureTest.objects.create(
        campaign=cast.campaign, name="Petition", held_on=date.today()
    )
    member = f.make_member(cast.building_a)
    StructureTestParticipation.objects.create(test=test, member=member)
    client = cast.client_for("leader")
    client.get(reverse("actions:ladder", args=[cast.campaign.slug]))  # warm the session
    with django_assert_num_queries(9):
        response = client.get(reverse("actions:ladder", args=[cast.campaign.slug]))
    assert response.status_code == 200
    assert response.content.count(b"<circle") == count


def test_a_planned_jump_well_above_the_proven_level_is_warned(cast):
    past = make_action(cast.campaign, days=-10, level=2, turnout_goal=40, title="Buttons day")
    Evaluation.objects.create(action=past, turnout=38, effect="helped", why="Most wore them.")
    near = make_action(cast.campaign, days=5, level=4, title="Stickering")
    strike = make_action(cast.campaign, days=30, level=15, title="Strike vote rally")
    rows = {row.action.pk: row for row in ladder.build(cast.campaign).rows}
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
    assert built.participation_percent == 20
    row = next(r for r in built.rows if r.action == planned)
    assert any("20% of members" in w for w in row.warnings)


def test_low_recent_turnout_is_warned(cast):
    for n in range(3):
        past = make_action(cast.campaign, days=-(n + 2), level=1, turnout_goal=100)
        Evaluation.objects.create(action=past, turnout=30, effect="no_effect", why="Rain.")
    planned = make_action(cast.campaign, days=5, level=2)
    row = next(r for r in ladder.build(cast.campaign).rows if r.action == planned)
    assert any("30% of their turnout goals" in w for w in row.warnings)


def test_turnout_counts_attendance_when_not_yet_evaluated(cast):
    action = make_action(cast.campaign, days=-1, turnout_goal=4)
    for member in [f.make_member(cast.building_a) for _ in range(3)]:
        Participation.objects.create(action=action, member=member, attended=True)
    row = ladder.build(cast.campaign).rows[0]
    assert (row.turnout, row.percent) == (3, 75)


def test_ladder_page_has_a_table_alternative_and_a_labelled_chart(cast):
    make_action(cast.campaign, title="Red Thursday")
    body = (
        cast.client_for("leader").get(reverse("actions:ladder", args=[cast.campaign.slug])).content
    )
    assert b'role="img"' in body and b"<caption>" in body and b"Red Thursday" in body


def test_private_calendar_feed_parses_and_can_be_revoked(cast, client):
    mine = make_action(cast.campaign, title="Building A walk-in", buildings=[cast.building_a])
    make_action(cast.campaign, title="Building B walk-in", buildings=[cast.building_b])
    make_action(cast.campaign, title="Whole campaign red-out")
    steward = cast.client_for("steward_a")
    steward.post(reverse("actions:calendar"), {"do": "issue"})
    page = steward.get(reverse("actions:calendar")).content.decode()
    url = page.split('id="feed-url" type="text" readonly value="', 1)[1].split('"', 1)[0]
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


def test_ladder_table_opens_on_the_page_with_the_next_action(cast):
    for day in range(60):
        make_action(cast.campaign, days=-200 + day, title=f"Past action {day}")
    make_action(cast.campaign, days=5, title="Next week's walk-in")
    url = reverse("actions:ladder", args=[cast.campaign.slug])
    page = cast.client_for("leader").get(url).content.decode()
    assert "Next week&#x27;s walk-in" in page or "Next week's walk-in" in page
    assert "Page 2 of 2" in page
    first = cast.client_for("leader").get(url + "?page=1").content.decode()
    assert "Past action 0<" in first
