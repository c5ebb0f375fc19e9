from celery import shared_task
from django.utils import timezone

from .invitations import send_invitation_email
from .models import Invitation


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(self, invitation_id: int, token: str) -> None:
    send_invitation_email(invitation_id, token)


@shared_task
def purge_expired_invitations() -> int:
    """Forget invitations that expired a month ago and were never used."""
    cutoff = timezone.now() - timezone.timedelta(days=30)
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted
