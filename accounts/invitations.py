"""Sending an invitation: render the email and send it at most once per token."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from campaigns.zones import local_time

from .models import Invitation


def send_invitation_email(invitation_id: int, token: str) -> bool:
    """Send the invitation unless this token's email already went out.

    The row is claimed by setting ``sent_at`` before sending, so two workers running the same
    task send one email; if sending fails the claim is released for the retry.
    """
    claimed = Invitation.objects.filter(
        pk=invitation_id, token_hash=Invitation.hash_token(token), sent_at__isnull=True
    ).update(sent_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("local", "organisation", "invited_by").get(
        pk=invitation_id
    )
    context = {
        "invitation": invitation,
        "buildings": list(invitation.buildings.all()),
        "url": settings.SITE_URL + invitation.accept_url(token),
    }
    try:
        with translation.override(settings.LANGUAGE_CODE), local_time(invitation.local):
            subject = render_to_string("emails/invitation_subject.txt", context).strip()
            message = EmailMultiAlternatives(
                subject=subject,
                body=render_to_string("emails/invitation_body.txt", context),
                to=[invitation.email],
            )
            message.attach_alternative(
                render_to_string("emails/invitation_body.html", context), "text/html"
            )
            message.send()
    except Exception:
        Invitation.objects.filter(pk=invitation_id).update(sent_at=None)
        raise
    return True


def enqueue_invitation(invitation: Invitation, token: str) -> None:
    from .tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.delay(invitation.pk, token))
