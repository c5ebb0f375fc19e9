"""Reminders for bargaining sessions and for the commitments of an implementation plan,
through the same exactly-once machinery as actions (``actions/reminders.py``): scheduling a
session plans them, moving it re-plans them, and cancelling or declining it cancels them with
one notice to whoever had been reminded. A commitment's owners are reminded a week and a day
before its due date; moving the date re-plans them, and finishing it drops them."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, Role
from actions.models import Reminder
from actions.reminders import (
    Recipient,
    cancel_event_reminders,
    event_label,
    plan_reminders,
    replan_reminders,
)

from .models import Commitment, Session

# Minutes before the morning of the due date: a week, and a day.
COMMITMENT_OFFSETS = [7 * 24 * 60, 24 * 60]

CALLED_OFF = {
    Session.Status.CANCELLED,
    Session.Status.DECLINED_EMPLOYER,
    Session.Status.DECLINED_UNION,
}


def session_recipients(session: Session) -> list[Recipient]:
    """The local's leaders (the bargaining team) for every session and, for an open session,
    the stewards too, who bring members to watch."""
    roles = [Role.LEADER, Role.STEWARD] if session.is_open else [Role.LEADER]
    memberships = Membership.objects.filter(
        local_id=session.campaign.local_id, role__in=roles, user__is_active=True
    ).select_related("user")
    found: dict[str, Recipient] = {}
    for membership in memberships:
        user = membership.user
        # The reason is printed in the reminder, so it is written in its reader's language.
        with translation.override(user.interface_language):
            reason = (
                _("you lead this local's campaign")
                if membership.role == Role.LEADER
                else _("you are a steward and this bargaining session is open to members")
            )
        found.setdefault(
            user.email.lower(),
            Recipient(
                user.email, user.display_name, reason, user_id=user.pk, language=user.language
            ),
        )
    return list(found.values())


def plan_session(session: Session) -> int:
    """Bring the session's reminders in line with it; call in the transaction that saves it."""
    if session.status in CALLED_OFF:
        return cancel_event_reminders(session)
    if session.status == Session.Status.SCHEDULED and session.starts_at > timezone.now():
        return replan_reminders(session, session_recipients(session))
    return 0


def commitment_recipients(commitment: Commitment) -> list[Recipient]:
    """The local's leaders and the accounts named on the commitment."""
    found: dict[str, Recipient] = {}
    for user in commitment.reminded.filter(is_active=True):
        found.setdefault(
            user.email.lower(),
            Recipient(
                user.email,
                user.display_name,
                _("you are named an owner of this commitment"),
                user_id=user.pk,
            ),
        )
    leaders = Membership.objects.filter(
        local_id=commitment.campaign.local_id, role=Role.LEADER, user__is_active=True
    ).select_related("user")
    for membership in leaders:
        user = membership.user
        found.setdefault(
            user.email.lower(),
            Recipient(
                user.email, user.display_name, _("you lead this local's campaign"), user_id=user.pk
            ),
        )
    return list(found.values())


def plan_commitment(commitment: Commitment) -> int:
    """Bring the commitment's reminders in line with its due date, owners and status; call in
    the transaction that saves it. A reminder already sent stays sent: a new date gets
    reminders of its own (the key carries the date)."""
    Reminder.objects.filter(
        event_label=event_label(commitment),
        event_id=commitment.pk,
        kind=Reminder.Kind.REMINDER,
        status=Reminder.Status.PENDING,
    ).delete()
    if commitment.is_done or commitment.starts_at <= timezone.now():
        return 0
    return plan_reminders(commitment, commitment_recipients(commitment), offsets=COMMITMENT_OFFSETS)
