"""Actions, tactics and evaluations: a stale save gets the merge page and loses nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from actions.models import Evaluation
from tests import factories as f
from tests.forms import save_merge, stale_save

from .factories import make_action, make_tactic

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("America/Los_Angeles"))


@pytest.fixture
def second_leader(cast):
    client = Client()
    client.force_login(f.make_leader(cast.local))
    return client


@time_machine.travel(EVENING)
def test_stale_action_save_keeps_the_new_place_and_the_time(cast, second_leader):
    action = make_action(cast.campaign, buildings=[cast.building_a])
    starts_at = action.starts_at.replace(microsecond=0)
    url = reverse("actions:edit", args=[action.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"place": "District office, main steps"},
        {"description": "Bring red shirts and signs."},
    )
    action.refresh_from_db()
    assert action.place == "District office, main steps"
    save_merge(second_leader, url, stale)
    action.refresh_from_db()
    assert (action.place, action.description) == (
        "District office, main steps",
        "Bring red shirts and signs.",
    )
    assert action.starts_at.replace(microsecond=0) == starts_at
    assert list(action.buildings.all()) == [cast.building_a]


def test_stale_tactic_save_keeps_the_new_name(cast, second_leader):
    tactic = make_tactic(cast.campaign, 1)
    url = reverse("actions:tactic_edit", args=[tactic.pk])
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"name": "Petition to the board"},
        {"description": "Every member signs by Friday."},
    )
    save_merge(second_leader, url, stale)
    tactic.refresh_from_db()
    assert (tactic.name, tactic.description) == (
        "Petition to the board",
        "Every member signs by Friday.",
    )


@time_machine.travel(EVENING)
def test_two_leaders_evaluating_at_once_do_not_overwrite_or_crash(cast, second_leader):
    action = make_action(cast.campaign, days=-2)
    url = reverse("actions:evaluate", args=[action.pk])
    first = {"turnout": "80", "effect": Evaluation.Effect.HELPED, "why": "Parents came."}
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        first,
        {**first, "turnout": "95", "why": "The board noticed."},
    )
    assert stale.status_code == 409
    evaluation = Evaluation.objects.get(action=action)
    assert (evaluation.turnout, evaluation.why) == (80, "Parents came.")
    page = stale.content.decode()
    assert "Parents came." in page and "The board noticed." in page
    save_merge(second_leader, url, stale, why="theirs")
    evaluation.refresh_from_db()
    assert (evaluation.turnout, evaluation.why) == (95, "Parents came.")


@time_machine.travel(EVENING)
def test_both_moving_an_action_shows_both_times_as_people_read_them(cast, second_leader):
    action = make_action(cast.campaign)
    url = reverse("actions:edit", args=[action.pk])
    day = action.starts_at.astimezone(ZoneInfo("America/Los_Angeles")).date().isoformat()
    stale = stale_save(
        cast.client_for("leader"),
        second_leader,
        url,
        {"starts_at": f"{day}T17:00", "ends_at": f"{day}T19:00", "change_reason": "Earlier bus"},
        {"starts_at": f"{day}T18:00", "ends_at": f"{day}T19:00", "change_reason": "Room free"},
    )
    assert stale.status_code == 409
    conflicts = stale.content.decode().split('id="conflicts-heading"')[1].split("</section>")[0]
    assert "17:00 P" in conflicts and "18:00 P" in conflicts  # PST or PDT
    assert "T17:00" not in conflicts and "+00:00" not in conflicts
