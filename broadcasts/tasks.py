from celery import shared_task

from . import sending


@shared_task(acks_late=True)
def send_due_broadcasts() -> int:
    """Send whatever deliveries are due. Safe to run twice, in parallel, or after a crash: the
    rows, not this task's message, say what is due (see broadcasts/sending.py)."""
    return sending.send_due()
