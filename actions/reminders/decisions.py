"""Reminders of the coalition's decision requests: the organisations asked that have not
answered hear before the deadline, through their partner accounts.

A request is an event whose ``starts_at`` is its deadline, so the rows and their keys are the
ones ``plan_reminders`` writes for any event and are sent exactly once like them. The demands
app comes before this one and cannot write reminder rows, so a periodic run plans them: the
keys make planning again harmless, and at sending time the request says whether the person's
organisation is still waiting (an answer given since stops the reminder).

The message is a text of its own (``REMINDER_TEMPLATE``): a deadline to answer by, not a
meeting to come to. It names the demand, the deadline in the local's time and the link to
answer, in each reader's language."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from demands.models import DecisionRequest

from ..models import Reminder
from .planning import Recipient, _translated, event_label, plan_reminders

LABEL = event_label(DecisionRequest)
REMINDER_TEMPLATE = "actions/emails/decision_reminder"


def waiting_recipients(request: DecisionRequest) -> list[Recipient]:
    """The partner accounts of the organisations asked that have not answered. The message
    names only the demand and the deadline: no member's data goes to a partner."""
    from accounts.models import Membership, Role

    answered = request.answers.values("organisation_id")
    memberships = (
        Membership.objects.filter(
            role=Role.PARTNER,
            organisation__in=request.organisations.all(),
            user__is_active=True,
        )
        .exclude(organisation__in=answered)
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    return [
        Recipient(
            m.user.email,
            m.user.display_name,
            _translated(
                m.user.language,
                gettext_lazy("%(organisation)s is asked to decide on this demand"),
                organisation=m.organisation.name,
            ),
            user_id=m.user_id,
            language=m.user.language,
        )
        for m in memberships
        if m.user.email
    ]


def plan_decision_reminders(now=None) -> int:
    """Plan the reminders of every open request still before its deadline, and cancel the
    pending ones of requests that were closed or cancelled."""
    now = now or timezone.now()
    label = LABEL
    ended = DecisionRequest.objects.exclude(status=DecisionRequest.Status.OPEN)
    Reminder.objects.filter(
        event_label=label, event_id__in=ended.values("pk"), status=Reminder.Status.PENDING
    ).update(status=Reminder.Status.CANCELLED, last_error=_("The request was ended."))
    planned = 0
    open_requests = DecisionRequest.objects.filter(
        status=DecisionRequest.Status.OPEN, deadline__gt=now
    ).select_related("demand")
    for request in open_requests:
        planned += plan_reminders(request, waiting_recipients(request), now=now)
    return planned
