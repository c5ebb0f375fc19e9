"""Emailing an invitation, exactly once, through the project's one outbox loop
(config/outbox.py).

Inviting someone writes an outbox row (an ``InvitationEmail``) in the same transaction as the
invitation, so the email exists if and only if the invitation does, and it is sent once: at
once when the worker can be asked, otherwise at the periodic sweep after the broker is back.

The row keeps the invitation's id, never its link. Only a hash of an invitation's token is
stored, so the link cannot be rebuilt later; instead the token is replaced when the email is
built, and the link in the one email that goes out is the only one that works. A database
copy taken while an email waits therefore holds nothing that lets anyone join.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.languages import interface_language
from accounts.models import Invitation, InvitationEmail
from config.enqueue import enqueue
from config.outbox import Outbox

from .zones import local_time


def plan_invitation_email(invitation: Invitation) -> InvitationEmail:
    """Put the invitation's email in the outbox; call inside the transaction that issues it."""
    from .tasks import send_due_invitations

    row, _created = InvitationEmail.objects.get_or_create(invitation=invitation)
    enqueue(send_due_invitations)
    return row


class InvitationOutbox(Outbox):
    model = InvitationEmail
    default_batch = 50
    claimed_related = ("invitation__local", "invitation__organisation")

    def skip_reason(self, row: InvitationEmail, batch) -> str:
        return why_not_send(row)

    def compose(self, row: InvitationEmail, batch) -> EmailMultiAlternatives:
        return invitation_message(row)


OUTBOX = InvitationOutbox()
send_due = OUTBOX.send_due


def why_not_send(row: InvitationEmail) -> str:
    """Why an invitation's email should not be sent any more, or ''."""
    if not row.invitation.is_usable:
        return _("The invitation was revoked, accepted or expired before it could be sent.")
    return ""


def invitation_message(row: InvitationEmail) -> EmailMultiAlternatives:
    """The invitation email with a fresh link; the invitation's previous link stops working."""
    invitation = row.invitation
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
            headers={
                "Message-ID": row.message_id,
                "X-Common-Good-Invitation": str(invitation.pk),
            },
        )
        message.attach_alternative(
            render_to_string("emails/invitation_body.html", context), "text/html"
        )
    return message
