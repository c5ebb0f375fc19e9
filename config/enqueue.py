"""Queueing background work without letting a broker outage reach the person.

Every task this project queues from a request only says "do what the database says is due"
(send the due reminders and invitations, render the public report), and the beat schedule or
the next change asks again, so a task that cannot be queued is late, not lost. ``enqueue``
therefore never raises: it queues the task once the current transaction commits and, when the
broker cannot be reached, logs it and notes it for the request, whose response then tells the
person plainly that what they did is saved and what will follow later.
"""

from __future__ import annotations

import contextvars
import logging

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

EMAIL_WAITS = _("Saved. The email will go out when the mail service is back.")

# What could not be queued during the current request (or task): the notice for each.
# The middleware below gives every request a fresh, empty one.
_waiting: contextvars.ContextVar[tuple] = contextvars.ContextVar("waiting", default=())


def enqueue(task, *args, waiting=EMAIL_WAITS) -> None:
    """Queue ``task(*args)`` after the current transaction commits (at once outside one).

    ``waiting`` is what the person is told if the broker cannot be reached.
    """
    transaction.on_commit(lambda: _publish(task, args, waiting))


def _publish(task, args: tuple, waiting) -> bool:
    try:
        task.apply_async(args)
    except Exception as error:  # noqa: BLE001 - whatever the broker raised, the sweep catches up
        logger.warning("Could not queue %s%r; the periodic sweep will: %r", task.name, args, error)
        if waiting not in _waiting.get():
            _waiting.set((*_waiting.get(), waiting))
        return False
    return True


def take_waiting() -> tuple:
    """The notices for work this request could not queue, which the caller now gives itself."""
    waiting = _waiting.get()
    _waiting.set(())
    return waiting


class WaitingWorkMiddleware:
    """Tell the person when something they did could not be handed to the background worker.

    Sits after Django's message middleware, so the notice is stored with the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _waiting.set(())
        try:
            response = self.get_response(request)
            if hasattr(request, "_messages"):
                for notice in _waiting.get():
                    messages.warning(request, notice)
            return response
        finally:
            _waiting.reset(token)
