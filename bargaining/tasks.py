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
