from celery import shared_task

from config.enqueue import enqueue

from . import digest, reminders


@shared_task(acks_late=True)
def send_due_reminders() -> int:
    """Send whatever reminders are due. Safe to run twice, in parallel, or after a crash: the
    rows, not this task's message, say what is due (see actions/reminders.py)."""
    return reminders.send_due()


@shared_task
def plan_steward_digests() -> int:
    """Run hourly; plans the digest where it is Monday morning in the local's time zone."""
    planned = digest.plan_weekly_digests()
    if planned:
        enqueue(send_due_reminders)
    return planned


@shared_task
def plan_decision_reminders() -> int:
    """Plan the reminders of the coalition's open decision requests; safe to run any time."""
    from .reminders.decisions import plan_decision_reminders as plan

    planned = plan()
    if planned:
        enqueue(send_due_reminders)
    return planned
