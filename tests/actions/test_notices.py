"""Cancelling or moving an action tells everyone who is coming, once each, in local time and
with the leader's reason; an action planned inside the reminder window gets one reminder at
once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from actions import reminders
from actions.models import Participation, Reminder, ReminderSettings, Rsvp
from partners.models import Contact
from tests import factories as f

from .factories import make_action

pytestmark = pytest.mark.django_db

PACIFIC = ZoneInfo("America/Los_Angeles")
EVENING = datetime(2026, 12, 1, 20, 30, tzinfo=PACIFIC)  # already Wednesday in UTC
SIX_TOMORROW = datetime(2026, 12, 2, 18, 0, tzinfo=PACIFIC)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _coming(cast):
    """An action at 18:00 tomorrow with someone of every kind coming."""
    action = make_action(
        cast.campaign,
        title="Rally at the board",
        starts_at=SIX_TOMORROW,
        ends_at=SIX_TOMORROW + timedelta(hours=2),
        buildings=[cast.building_a],
        invited_organisations=[cast.organisation_x],
        is_public=True,
    )
    reminders.plan_action(action)
    member = f.make_member(cast.building_a, personal_email="ana@home.example")
    Participation.objects.create(action=action, member=member, coming=True)
    quiet = f.make_member(cast.building_a, work_email="", personal_email="")
    Participation.objects.create(action=action, member=quiet, coming=True)
    Participation.objects.create(
        action=action, member=f.make_member(cast.building_a, personal_email="no@home.example")
    )
    Contact.objects.create(
        organisation=cast.organisation_x, name="Rev. Lee", email="lee@church.example"
    )
    Rsvp.sign_up(action, source="public", name="Pat Parent", email="pat@example.org")
    # The same person as the member, through a partner: one notice, not two.
    Rsvp.sign_up(
        action,
        source="partner",
        name="Ana",
        email="ANA@home.example",
        organisation=cast.organisation_x,
    )
    Rsvp.sign_up(action, source="partner", name="No Contact", organisation=cast.organisation_x)
    return action


EVERYONE = [
    "ana@home.example",
    "lee@church.example",
    "partner-x@test.example",
    "pat@example.org",
    "steward-a@test.example",
]


@time_machine.travel(EVENING, tick=False)
def test_cancelling_tells_everyone_coming_once_with_the_reason_in_local_time(cast, client):
    action = _coming(cast)
    leader = cast.client_for("leader")
    url = reverse("actions:cancel", args=[action.pk])
    refused = leader.post(url, {"reason": "  "})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    action.refresh_from_db()
    assert not action.is_cancelled

    leader.post(url, {"reason": "The board moved its meeting to January."})
    notices = Reminder.objects.filter(kind="cancellation").order_by("recipient_email")
    assert list(notices.values_list("recipient_email", flat=True)) == EVERYONE
    reminders.send_due()
    cancelled = [m for m in mail.outbox if m.subject == "Cancelled: Rally at the board"]
    assert sorted(m.to[0] for m in cancelled) == EVERYONE
    body = cancelled[0].body
    assert "Wednesday 2 December 2026, 18:00 PST" in body
    assert "The board moved its meeting to January." in body
    assert "The board moved its meeting to January." in cancelled[0].alternatives[0][0]
    # Nothing else goes out for a cancelled action, and the public page says why.
    assert not Reminder.objects.filter(status="pending").exists()
    page = client.get(reverse("actions:rsvp", args=[action.pk])).content.decode()
    assert "This action was cancelled" in page and "moved its meeting to January" in page


@time_machine.travel(EVENING, tick=False)
def test_moving_tells_everyone_coming_the_new_time_once_with_the_reason(cast):
    action = _coming(cast)
    leader = cast.client_for("leader")
    url = reverse("actions:edit", args=[action.pk])
    data = {
        "tactic": action.tactic_id,
        "title": action.title,
        "starts_at": "2026-12-03T17:30",
        "ends_at": "2026-12-03T19:00",
        "buildings": [cast.building_a.pk],
        "invited_organisations": [cast.organisation_x.pk],
        "is_public": "on",
    }
    refused = leader.post(url, data)
    assert "Say why the time changes" in refused.content.decode()
    action.refresh_from_db()
    assert action.starts_at == SIX_TOMORROW

    moved = leader.post(url, {**data, "change_reason": "The board meets a day later."}, follow=True)
    assert "everyone who is coming is told the new time" in moved.content.decode()
    notices = Reminder.objects.filter(kind="moved").order_by("recipient_email")
    assert list(notices.values_list("recipient_email", flat=True)) == EVERYONE
    reminders.send_due()
    [notice] = [m for m in mail.outbox if m.to == ["pat@example.org"] and "New time" in m.subject]
    assert notice.subject == "New time: Rally at the board, Thu 3 Dec, 17:30 PST"
    assert "Now: Thursday 3 December 2026, 17:30–19:00 PST" in notice.body
    assert "Before: Wednesday 2 December 2026, 18:00 PST" in notice.body
    assert "The board meets a day later." in notice.body
    # The reminders follow the new time.
    pending = Reminder.objects.filter(kind="reminder", status="pending")
    assert {r.due_at for r in pending} == {
        datetime(2026, 12, 3, 15, 30, tzinfo=PACIFIC),
        datetime(2026, 12, 2, 17, 30, tzinfo=PACIFIC),
    }


@time_machine.travel(EVENING, tick=False)
def test_moving_twice_before_the_notice_goes_sends_only_the_time_that_holds(cast):
    action = _coming(cast)
    first = datetime(2026, 12, 3, 17, 30, tzinfo=PACIFIC)
    action.reschedule(first, first + timedelta(hours=1), reason="A day later.")
    second = datetime(2026, 12, 4, 17, 30, tzinfo=PACIFIC)
    action.reschedule(second, second + timedelta(hours=1), reason="Two days later.")
    reminders.send_due()
    notices = [m for m in mail.outbox if m.to == ["pat@example.org"] and "New time" in m.subject]
    assert [m.subject for m in notices] == ["New time: Rally at the board, Fri 4 Dec, 17:30 PST"]


@time_machine.travel(EVENING, tick=False)
def test_an_action_inside_the_reminder_window_gets_one_reminder_at_once(cast):
    ReminderSettings.objects.create(campaign=cast.campaign, offsets=[2 * 24 * 60])
    response = cast.client_for("leader").post(
        reverse("actions:create", args=[cast.campaign.slug]),
        {
            "tactic": cast.campaign.tactics.first().pk
            if cast.campaign.tactics.exists()
            else make_action(cast.campaign, days=30).tactic_id,
            "title": "Sticker day",
            "starts_at": "2026-12-02T07:00",
            "ends_at": "2026-12-02T08:00",
            "buildings": [cast.building_a.pk],
        },
    )
    assert response.status_code == 302
    action = Reminder.objects.get(kind="reminder").action
    assert action.title == "Sticker day"
    assert reminders.send_due() == 1
    assert reminders.send_due() == 0
    [message] = mail.outbox
    assert message.to == ["steward-a@test.example"]
    assert "Wednesday 2 December 2026, 07:00" in message.body
    # Saving the action again does not remind anyone a second time.
    reminders.replan_action(action)
    assert reminders.send_due() == 0
