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
def render_stale_public_reports() -> int:
    """Render the reports that are older than their public page: a render that could not be
    queued (the broker was down) is caught up here. Up-to-date reports are skipped, so this
    costs a query or two per public campaign."""
    from .report import store_public_reports

    campaigns = Campaign.objects.filter(public_page__is_on=True).select_related(
        "public_page", "local"
    )
    for campaign in campaigns:
        store_public_reports(campaign)
    return len(campaigns)
