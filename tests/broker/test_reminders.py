"""Two real Celery workers send due reminders against Redis and PostgreSQL; one is killed with
SIGKILL in the middle of sending. Every reminder still goes out exactly once, counted in the
sent log that the mail backend writes (one line per message handed over)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from actions.models import Reminder
from actions.tasks import send_due_reminders
from tests.actions.factories import make_action

from .conftest import kill_one_and_finish

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

REMINDERS = 240


def plan_due_reminders(cast, count: int) -> None:
    action = make_action(cast.campaign, days=1)
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            key=f"test:{action.pk}:{n}",
            campaign=cast.campaign,
            action=action,
            event_label="actions.action",
            event_id=action.pk,
            recipient_email=f"person{n}@example.org",
            reason="you are in a test",
            due_at=now - timedelta(minutes=1),
            next_attempt_at=now - timedelta(minutes=1),
        )
        for n in range(count)
    )


def test_two_workers_one_killed_every_reminder_sent_exactly_once(cast, two_workers):
    plan_due_reminders(cast, REMINDERS)
    kill_one_and_finish(two_workers, send_due_reminders, Reminder.objects.all())
    assert Reminder.objects.count() == REMINDERS
