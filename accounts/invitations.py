"""Emailing an invitation, exactly once, through the outbox that sends reminders.

Inviting someone writes an outbox row (a ``Reminder`` of kind ``invitation``) in the same
transaction as the invitation, so the email exists if and only if the invitation does, and
``actions.reminders`` sends it once: at once when the worker can be asked, otherwise at the
periodic sweep after the broker is back.

The row keeps the invitation's id, never its link. Only a hash of an invitation's token is
stored, so the link cannot be rebuilt later; instead the token is replaced when the email is
built, and the link in the one email that goes out is the only one that works. A database
copy taken while an email waits therefore holds nothing that lets anyone join.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actions.models import Reminder
from campaigns.zones import local_time
from config.enqueue import enqueue

from .languages import interface_language
from .models import Invitation

EVENT_LABEL = "accounts.invitation"


def plan_invitation_email(invitation: Invitation) -> Reminder:
    """Put the invitation's email in the outbox; call inside the transaction that issues it."""
    from actions.tasks import send_due_reminders

    now = timezone.now()
    with translation.override(interface_language(invitation.language)):
        reason = _("a campaign leader invited you")
    reminder, _created = Reminder.objects.get_or_create(
        key=f"{EVENT_LABEL}:{invitation.pk}",
        defaults={
            "event_label": EVENT_LABEL,
            "event_id": invitation.pk,
            "kind": Reminder.Kind.INVITATION,
            "recipient_email": invitation.email,
            "language": invitation.language,
            "reason": reason,
            "due_at": now,
            "next_attempt_at": now,
        },
    )
    enqueue(send_due_reminders)
    return reminder


def _invitation(reminder: Reminder) -> Invitation | None:
    return (
        Invitation.objects.select_related("local", "organisation", "invited_by")
        .filter(pk=reminder.event_id)
        .first()
    )


def why_not_send(reminder: Reminder) -> str:
    """Why an outbox row for an invitation should not be sent any more, or ''."""
    invitation = _invitation(reminder)
    if invitation is None or not invitation.is_usable:
        return _("The invitation was revoked, accepted or expired before it could be sent.")
    return ""


def invitation_message(reminder: Reminder) -> EmailMultiAlternatives:
    """The invitation email with a fresh link; the invitation's previous link stops working."""
    invitation = _invitation(reminder)
    token = invitation.replace_token()
    context = {
        "invitation": invitation,
        "buildings": list(invitation.buildings.all()),
        "url": settings.SITE_URL + invitation.accept_url(token),
    }
    # In the invitee's language, with times in the local's zone.
    with (
        translation.override(interface_language(invitation.language)),
        local_time(invitation.local),
    ):
        subject = " ".join(render_to_string("emails/invitation_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/invitation_body.txt", context),
            to=[invitation.email],
            headers={"Message-ID": reminder.message_id, "X-Common-Good-Reminder": reminder.key},
        )
        message.attach_alternative(
            render_to_string("emails/invitation_body.html", context), "text/html"
        )
    return message
