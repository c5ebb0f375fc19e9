from celery import shared_task

from campaigns.models import Campaign


@shared_task(ignore_result=True)
def render_public_reports(campaign_id: int) -> None:
    """Render and store a campaign's public PDF report in each language."""
    from .report import store_public_reports

    campaign = (
        Campaign.objects.filter(pk=campaign_id, public_page__is_on=True)
        .select_related("public_page", "local")
        .first()
    )
    if campaign is not None:
        store_public_reports(campaign)


@shared_task(ignore_result=True)
def render_stale_public_reports() -> None:
    """Catch up on reports whose render was never queued (the broker was down when the change
    was committed) or was lost."""
    from .report import stale_public_reports

    for campaign_id in stale_public_reports():
        render_public_reports(campaign_id)


@shared_task(ignore_result=True)
def note_overdue_commitments() -> None:
    """Mark on the public page and in the report each commitment that went overdue since the
    last run (its due date passed in its local's zone)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Commitment

    # No zone is ahead of UTC by more than a day, so this catches every local's yesterday.
    latest = timezone.now().date() + timedelta(days=1)
    candidates = (
        Commitment.objects.filter(overdue_noted=False, due_on__lt=latest)
        .exclude(status=Commitment.Status.DONE)
        .select_related("campaign__local")
    )
    for commitment in candidates:
        commitment.note_overdue()
