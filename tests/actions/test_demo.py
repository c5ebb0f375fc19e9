"""The demo ladder loads, and loading it again changes nothing."""

import pytest
from django.core.management import call_command

from actions.models import Action, Evaluation, Participation, Reminder, Rsvp, Tactic

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in [Tactic, Action, Evaluation, Participation, Rsvp, Reminder]]


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = counts()
    assert first[0] == 15 and first[1] == 11 and first[2] == 6
    assert Action.objects.public().exists() and Reminder.objects.filter(status="pending").exists()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == first
