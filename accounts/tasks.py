from celery import shared_task
from django.utils import timezone

from .models import Invitation


@shared_task
def purge_expired_invitations() -> int:
    """Forget invitations that expired a month ago and were never used."""
    cutoff = timezone.now() - timezone.timedelta(days=30)
    deleted, _ = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff).delete()
    return deleted
