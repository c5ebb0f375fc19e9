from celery import shared_task

from . import webhooks


@shared_task(acks_late=True)
def send_due_webhooks() -> int:
    """Send the webhook deliveries that are due. The rows, not this message, say what is due
    (see api/webhooks.py), so a repeated or lost message changes nothing. First the sweep
    plans what people did on the app's own pages since the last run."""
    webhooks.sweep()
    return webhooks.send_due()
