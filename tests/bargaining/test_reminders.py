"""Scheduling a bargaining session plans reminders for the bargaining team (and, for an open
session, the stewards who bring members); moving it re-plans them; cancelling or a declined
date cancels them with one notice to whoever had been reminded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Reminder
from bargaining.models import Session

pytestmark = pytest.mark.django_db


def form(day, **extra):
    data = {
        "starts_at": f"{day:%Y-%m-%d}T16:30",
        "ends_at": f"{day:%Y-%m-%d}T19:30",
        "place": "Board room",
        "format": "open",
        "status": "scheduled",
        "member_observers": 0,
        "community_observers": 0,
        "public_summary": "",
    }
    data.update(extra)
    return data


def reminders(session):
    return Reminder.objects.filter(event_label="bargaining.session", event_id=session.pk)


def test_scheduling_an_open_session_reminds_leaders_and_stewards(cast):
    day = timezone.localdate() + timedelta(days=20)
    client = cast.client_for("leader")
    client.post(reverse("bargaining:session_new", args=[cast.campaign.slug]), form(day))
    session = Session.objects.get()
    emails = set(reminders(session).values_list("recipient_email", flat=True))
    assert emails == {cast.leader.email, cast.steward_a.email, cast.steward_b.email}
    assert cast.partner_x.email not in emails
    # Three offsets by default: 7 days, 1 day and 2 hours before.
    assert reminders(session).filter(recipient_email=cast.leader.email).count() == 3


def test_a_closed_session_reminds_only_the_bargaining_team(cast):
    day = timezone.localdate() + timedelta(days=20)
    client = cast.client_for("leader")
    client.post(
        reverse("bargaining:session_new", args=[cast.campaign.slug]), form(day, format="closed")
    )
    session = Session.objects.get()
    assert set(reminders(session).values_list("recipient_email", flat=True)) == {cast.leader.email}


def test_moving_a_session_replans_and_a_declined_date_cancels(cast):
    day = timezone.localdate() + timedelta(days=20)
    client = cast.client_for("leader")
    client.post(reverse("bargaining:session_new", args=[cast.campaign.slug]), form(day))
    session = Session.objects.get()
    first = reminders(session).order_by("due_at").first().due_at
    later = day + timedelta(days=3)
    client.post(reverse("bargaining:session_edit", args=[session.pk]), form(later))
    assert reminders(session).filter(status=Reminder.Status.PENDING).count() == 9
    assert reminders(session).order_by("due_at").first().due_at == first + timedelta(days=3)

    reminders(session).filter(recipient_email=cast.leader.email).update(status=Reminder.Status.SENT)
    client.post(
        reverse("bargaining:session_edit", args=[session.pk]),
        form(later, status="declined_employer"),
    )
    assert (
        not reminders(session)
        .filter(kind=Reminder.Kind.REMINDER, status=Reminder.Status.PENDING)
        .exists()
    )
    notices = reminders(session).filter(kind=Reminder.Kind.CANCELLATION)
    assert list(notices.values_list("recipient_email", flat=True)) == [cast.leader.email]


def test_the_session_plans_its_own_reminders_whoever_saves_it(cast):
    """Saving through the model, not only through the form, plans and re-plans: the reminders
    are a consequence of the session's state, not of the page that changed it."""
    day = timezone.now() + timedelta(days=20)
    session = Session(
        campaign=cast.campaign,
        starts_at=day,
        ends_at=day + timedelta(hours=3),
        place="Board room",
        format=Session.Format.CLOSED,
        status=Session.Status.SCHEDULED,
    )
    session.save_edits(by=cast.leader)
    assert reminders(session).filter(status=Reminder.Status.PENDING).count() == 3

    session.edit(expected_version=session.version, by=cast.leader, status=Session.Status.CANCELLED)
    assert (
        not reminders(session)
        .filter(kind=Reminder.Kind.REMINDER, status=Reminder.Status.PENDING)
        .exists()
    )
