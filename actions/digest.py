"""The weekly steward digest: planned on Monday morning in each local's time zone, sent
through the same reminder rows (kind ``digest``) and so exactly once, with an unsubscribe."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.zones import zone_of

from .models import Action, Reminder

DIGEST_HOUR = 7  # Monday, 7 in the morning in the local's time zone
NOT_CONTACTED_DAYS = 14


def plan_weekly_digests(now=None) -> int:
    """Plan this week's digest for every steward of each local where it is Monday morning."""
    from accounts.models import Membership, Role
    from campaigns.models import Local

    now = now or timezone.now()
    rows = []
    for local in Local.objects.prefetch_related("campaigns"):
        local_now = now.astimezone(zone_of(local))
        if local_now.weekday() != 0 or local_now.hour != DIGEST_HOUR:
            continue
        year, week, _day = local_now.isocalendar()
        campaign = max(local.campaigns.all(), key=lambda c: c.bargaining_target_date, default=None)
        for membership in Membership.objects.filter(
            local=local, role=Role.STEWARD, user__is_active=True
        ).select_related("user"):
            user = membership.user
            rows.append(
                Reminder(
                    key=f"digest:{local.pk}:{year}-W{week:02d}:{user.pk}",
                    campaign=campaign,
                    kind=Reminder.Kind.DIGEST,
                    recipient_email=user.email,
                    recipient_name=user.display_name,
                    user=user,
                    reason=_("you are a steward of %(local)s") % {"local": local.name},
                    due_at=now,
                    next_attempt_at=now,
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def digest_context(reminder: Reminder) -> dict:
    from accounts.models import Membership, Role
    from campaigns.models import Member

    now = timezone.now()
    membership = (
        Membership.objects.filter(user_id=reminder.user_id, role=Role.STEWARD)
        .select_related("local")
        .prefetch_related("buildings")
        .first()
    )
    buildings = list(membership.buildings.all()) if membership else []
    members = Member.objects.current().filter(building__in=buildings).select_related("building")
    stale = members.filter(
        Q(last_contacted_at__isnull=True)
        | Q(last_contacted_at__lt=now - timedelta(days=NOT_CONTACTED_DAYS))
    )
    undecided = members.filter(support_level=Member.SupportLevel.UNDECIDED)
    week_actions = (
        Action.objects.filter(
            campaign__local=membership.local if membership else None,
            starts_at__gte=now,
            starts_at__lt=now + timedelta(days=7),
        )
        .exclude(status=Action.Status.CANCELLED)
        .filter(Q(buildings__isnull=True) | Q(buildings__in=buildings))
        .distinct()
    )
    return {
        "buildings": buildings,
        "stale": list(stale[:50]),
        "stale_count": stale.count(),
        "undecided": list(undecided[:50]),
        "undecided_count": undecided.count(),
        "week_actions": list(week_actions),
        "days": NOT_CONTACTED_DAYS,
    }
