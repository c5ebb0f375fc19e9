from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import invitations
from .invitations import plan_invitation_email
from .models import Invitation


@shared_task(acks_late=True)
def send_due_invitations() -> int:
    """Send whatever invitation emails are due. Safe to run twice, in parallel, or after a
    crash: the rows, not this task's message, say what is due (see config/outbox.py)."""
    return invitations.send_due()


@shared_task
def send_invitation(invitation_id: int, token: str = "") -> None:
    """Kept for messages queued before invitations went through the outbox: put the email there
    (once, whatever the message says) and let the outbox send it."""
    with transaction.atomic():
        invitation = Invitation.objects.filter(pk=invitation_id).first()
        if invitation is not None:
            plan_invitation_email(invitation)


@shared_task
def purge_expired_invitations() -> int:
    """Forget invitations that expired a month ago and were never used."""
    cutoff = timezone.now() - timezone.timedelta(days=30)
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted
