"""Actions whose date has passed: recorded as past actions (no reminders), and keeping the
ladder level they had when they happened."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions import ladder
from actions.models import Action, Reminder, Tactic

from .factories import make_action

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
# 20:30 in California on Tuesday 1 December is already Wednesday in UTC.
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)


def _past(cast, days: int = 3, **extra) -> Action:
    """An action some days ago, at a whole minute as the form gives it."""
    starts = (timezone.now() - timedelta(days=days)).replace(second=0, microsecond=0)
    return make_action(
        cast.campaign, starts_at=starts, ends_at=starts + timedelta(hours=1), **extra
    )


def _form(cast, starts: str, ends: str, **extra) -> dict:
    return {
        "tactic": Tactic.start_ladder(cast.campaign)[1].pk,
        "title": "Lunchtime walk-out",
        "starts_at": starts,
        "ends_at": ends,
        "buildings": [cast.building_a.pk],
        **extra,
    }


@time_machine.travel(EVENING, tick=False)
def test_a_new_action_in_the_past_is_asked_about_then_recorded_without_reminders(cast):
    client = cast.client_for("leader")
    url = reverse("actions:create", args=[cast.campaign.slug])
    # 18:00 today, local time: two and a half hours ago.
    data = _form(cast, "2026-12-01T18:00", "2026-12-01T19:00")
    asked = client.post(url, data)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "This date has passed: record it as a past action?" in page
    assert 'type="checkbox" name="record_as_past"' in page
    assert not Action.objects.exists()

    done = client.post(url, {**data, "record_as_past": "on"}, follow=True)
    action = Action.objects.get()
    assert action.starts_at == EVENING.replace(hour=18, minute=0)
    assert "Past action recorded; no reminders were sent." in done.content.decode()
    assert not Reminder.objects.exists()
    assert action.level_then == 2


@time_machine.travel(EVENING, tick=False)
def test_an_action_later_this_evening_is_scheduled_without_asking(cast):
    client = cast.client_for("leader")
    url = reverse("actions:create", args=[cast.campaign.slug])
    # 22:00 local is still to come, although it is already past 22:00 UTC's date.
    response = client.post(url, _form(cast, "2026-12-01T22:00", "2026-12-01T23:00"))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.level_then is None
    # Inside every reminder window (7 days, 1 day, 2 hours): one reminder, at once.
    assert list(action.reminders.values_list("recipient_email", "offset_minutes")) == [
        ("steward-a@test.example", None)
    ]


def test_editing_a_past_action_without_moving_it_does_not_ask_again(cast):
    action = _past(cast, buildings=[cast.building_a])
    client = cast.client_for("leader")
    local = timezone.localtime(action.starts_at, PACIFIC)
    end = timezone.localtime(action.ends_at, PACIFIC)
    with timezone.override(PACIFIC):
        response = client.post(
            reverse("actions:edit", args=[action.pk]),
            {
                "tactic": action.tactic_id,
                "title": "Renamed afterwards",
                "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
                "buildings": [cast.building_a.pk],
            },
        )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Renamed afterwards"


def test_reordering_the_ladder_keeps_past_actions_at_their_level(cast):
    petition, buttons = Tactic.start_ladder(cast.campaign)[:2]
    past = make_action(cast.campaign, days=-30, level=2, title="Buttons day")
    coming = make_action(cast.campaign, days=5, level=2, title="Buttons again")
    client = cast.client_for("leader")
    # Buttons moves down to level 1, petition up to level 2.
    client.post(reverse("actions:tactic_move", args=[buttons.pk]), {"direction": "up"})
    buttons.refresh_from_db()
    assert buttons.position == 1
    past.refresh_from_db()
    coming.refresh_from_db()
    assert (past.level, coming.level) == (2, 1)
    rows = {fact.title: fact.level for fact in ladder.build(cast.campaign).chosen}
    assert rows == {"Buttons day": 2, "Buttons again": 1}
    assert "Level 2: Union buttons" in client.get(past.get_absolute_url()).content.decode()
    assert "Level 1: Union buttons" in client.get(coming.get_absolute_url()).content.decode()
    listed = client.get(reverse("actions:list") + "?when=past").content.decode()
    assert "level 2: Union buttons" in listed


def test_removing_a_rung_keeps_past_actions_at_their_level(cast):
    tactics = Tactic.start_ladder(cast.campaign)
    past = make_action(cast.campaign, days=-30, level=3)
    client = cast.client_for("leader")
    client.post(reverse("actions:tactic_delete", args=[tactics[0].pk]))
    past.refresh_from_db()
    assert past.tactic.position == 2 and past.level == 3


def test_changing_a_past_actions_tactic_takes_the_new_tactics_level(cast):
    tactics = Tactic.start_ladder(cast.campaign)
    past = _past(cast, level=2)
    Action.objects.filter(pk=past.pk).update(level_then=2)
    local = timezone.localtime(past.starts_at, PACIFIC)
    end = timezone.localtime(past.ends_at, PACIFIC)
    with timezone.override(PACIFIC):
        cast.client_for("leader").post(
            reverse("actions:edit", args=[past.pk]),
            {
                "tactic": tactics[4].pk,
                "title": past.title,
                "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
            },
        )
    past.refresh_from_db()
    assert past.level == 5 and past.starts_at < timezone.now() - timedelta(days=2)
