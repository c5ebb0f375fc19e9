"""The weekly steward digest: planned on Monday morning in each local's time zone, sent
through the same reminder rows (kind ``digest``) and so exactly once, with an unsubscribe."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.zones import zone_of

from .models import Action, Reminder

DIGEST_HOUR = 7  # Monday, 7 in the morning in the local's time zone
NOT_CONTACTED_DAYS = 14


def plan_weekly_digests(now=None) -> int:
    """Plan this week's digest for every steward of each local where it is Monday morning."""
    from campaigns.models import Local

    now = now or timezone.now()
    planned = 0
    for local in Local.objects.prefetch_related("campaigns"):
        local_now = now.astimezone(zone_of(local))
        if local_now.weekday() != 0 or local_now.hour != DIGEST_HOUR:
            continue
        planned += plan_digest(local, now=now)
    return planned


def stewards_of(local):
    from accounts.models import Membership, Role

    return (
        Membership.objects.filter(local=local, role=Role.STEWARD, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
    )


def week_prefix(local, now) -> str:
    """The start of the keys of one week's digests of a local, the same for every steward."""
    year, week, _day = now.astimezone(zone_of(local)).isocalendar()
    return f"digest:{local.pk}:{year}-W{week:02d}:"


def sent_this_week(local, now=None) -> int:
    """How many stewards already had this week's digest: one query, whatever their number."""
    prefix = week_prefix(local, now or timezone.now())
    return Reminder.objects.filter(key__startswith=prefix, kind=Reminder.Kind.DIGEST).count()


def digest_for(local, user, now=None, campaign=None) -> Reminder:
    """This week's digest for one steward, not yet saved: its key is the same whether the
    Monday run or a leader's "send now" writes it, so each steward gets one a week."""
    now = now or timezone.now()
    if campaign is None:
        campaign = max(local.campaigns.all(), key=lambda c: c.bargaining_target_date, default=None)
    with translation.override(user.interface_language):
        reason = _("you are a steward of %(local)s") % {"local": local.name}
    return Reminder(
        key=f"{week_prefix(local, now)}{user.pk}",
        campaign=campaign,
        kind=Reminder.Kind.DIGEST,
        recipient_email=user.email,
        recipient_name=user.display_name,
        user=user,
        language=user.language,
        reason=reason,
        due_at=now,
        next_attempt_at=now,
    )


def plan_digest(local, now=None, campaign=None) -> int:
    """Plan this week's digest for each steward of the local who has not had it yet; returns
    how many were planned."""
    now = now or timezone.now()
    rows = [digest_for(local, m.user, now, campaign) for m in stewards_of(local)]
    done = set(Reminder.objects.filter(key__in=[r.key for r in rows]).values_list("key", flat=True))
    rows = [row for row in rows if row.key not in done]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def digest_context(reminder: Reminder) -> dict:
    from accounts.models import Membership, Role
    from campaigns.models import Member

    now = timezone.now()
    stewardships = Membership.objects.filter(user_id=reminder.user_id, role=Role.STEWARD)
    if reminder.campaign_id:
        stewardships = stewardships.filter(local_id=reminder.campaign.local_id)
    membership = stewardships.select_related("local").prefetch_related("buildings").first()
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
        "local": membership.local if membership else None,
        "buildings": buildings,
        "stale": _linked(stale[:50]),
        "stale_count": stale.count(),
        "undecided": _linked(undecided[:50]),
        "undecided_count": undecided.count(),
        "week_actions": _linked(week_actions),
        "days": NOT_CONTACTED_DAYS,
    }


def _linked(rows) -> list:
    """Each row with ``link``, its page's full address: the digest is read in a mail program."""
    rows = list(rows)
    for row in rows:
        row.link = settings.SITE_URL + row.get_absolute_url()
    return rows
