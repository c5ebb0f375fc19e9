from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import invitations
from .dashboard import record_snapshot
from .models import Campaign, ImportBatch
from .zones import local_time


@shared_task
def record_weekly_snapshots() -> int:
    """Each week, store every campaign's numbers so the dashboard can chart the growth.
    Safe to run twice: a second run in the same week updates the same rows. The snapshots are
    recorded here rather than queued one task per campaign, so a broker that fails in the
    middle of the run cannot leave a week without them."""
    campaigns = list(Campaign.objects.select_related("local"))
    for campaign in campaigns:
        # The week is the local's: Monday 04:05 UTC is still Sunday evening in California.
        with local_time(campaign.local):
            record_snapshot(campaign)
    return len(campaigns)


@shared_task
def purge_abandoned_imports() -> int:
    """Uploaded rosters that were never imported hold personal data: delete them after a day."""
    cutoff = timezone.now() - timedelta(days=1)
    stale = ImportBatch.objects.filter(imported_at__isnull=True, created_at__lt=cutoff)
    count = 0
    for batch in stale:
        batch.file.delete(save=False)
        batch.delete()
        count += 1
    return count


@shared_task(acks_late=True)
def send_due_invitations() -> int:
    """Send whatever invitation emails are due. Safe to run twice, in parallel, or after a
    crash: the rows, not this task's message, say what is due (see config/outbox.py)."""
    return invitations.send_due()


@shared_task(name="accounts.tasks.send_invitation")
def send_invitation(invitation_id: int, token: str = "") -> None:
    """Kept, under its first name, for messages queued before invitations went through the
    outbox: put the email there (once, whatever the message says) and let the outbox send it."""
    from accounts.models import Invitation

    with transaction.atomic():
        invitation = Invitation.objects.filter(pk=invitation_id).first()
        if invitation is not None:
            invitations.plan_invitation_email(invitation)
