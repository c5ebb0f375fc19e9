"""The ladder view's numbers: actions over time by escalation level, turnout against goal, and
whether a planned action climbs well above what the base has shown it is ready for.

Everything is loaded in a fixed number of queries, whatever the number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from campaigns.models import Member, StructureTest, StructureTestParticipation

from .models import Action, Participation, Rsvp, Tactic

JUMP = 3  # rungs above the proven level that count as "well above"
LOW_PARTICIPATION = 0.5  # share of members taking part in the last structure tests
LOW_TURNOUT = 0.6  # recent turnout against goal
PROVEN_TURNOUT = 0.75  # an action proves its level when it reached this share of its goal
RECENT_TESTS = 3
RECENT_ACTIONS = 3
SVG_WIDTH, ROW_HEIGHT, LEFT, TOP = 760, 28, 40, 16


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(action=OuterRef("pk"), **filters)
            .order_by()
            .values("action")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def actions_with_turnout(campaign):
    return (
        Action.objects.filter(campaign=campaign)
        .select_related("tactic", "evaluation")
        .annotate(
            attended_count=_count(Participation, attended=True),
            coming_count=_count(Participation, coming=True),
            rsvp_count=_count(Rsvp),
        )
        .order_by("starts_at", "pk")
    )


def turnout_of(action) -> int | None:
    evaluation = getattr(action, "evaluation", None)
    if evaluation is not None:
        return evaluation.turnout
    if action.starts_at <= timezone.now() and not action.is_cancelled:
        return action.attended_count
    return None


@dataclass
class Row:
    action: Action
    level: int | None
    turnout: int | None
    ratio: float | None
    warnings: list[str] = field(default_factory=list)
    x: float = 0
    y: float = 0
    url: str = ""
    day: str = ""
    iso: str = ""
    effect: str = ""

    @property
    def percent(self) -> int | None:
        return round(self.ratio * 100) if self.ratio is not None else None

    @property
    def state(self) -> str:
        if self.action.is_cancelled:
            return "cancelled"
        if self.turnout is None:
            return "planned"
        if self.ratio is not None and self.ratio < PROVEN_TURNOUT:
            return "short"
        return "met"


@dataclass
class Ladder:
    tactics: list[Tactic]
    rows: list[Row]
    participation_rate: float | None
    recent_turnout: float | None
    proven_level: int
    proven_by: Action | None
    height: int = 0
    width: int = SVG_WIDTH
    months: list[tuple[float, str]] = field(default_factory=list)
    gridlines: list[tuple[int, float]] = field(default_factory=list)

    @property
    def warnings(self) -> list[Row]:
        return [row for row in self.rows if row.warnings]

    @property
    def participation_percent(self) -> int | None:
        return None if self.participation_rate is None else round(self.participation_rate * 100)

    @property
    def turnout_percent(self) -> int | None:
        return None if self.recent_turnout is None else round(self.recent_turnout * 100)


def structure_participation(campaign) -> float | None:
    """Average share of current members who took part in the campaign's last structure tests."""
    tests = list(
        StructureTest.objects.filter(campaign=campaign)
        .annotate(
            taking_part=Coalesce(
                Subquery(
                    StructureTestParticipation.objects.filter(
                        test=OuterRef("pk"), member__left_at__isnull=True
                    )
                    .order_by()
                    .values("test")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            )
        )
        .order_by("-held_on")[:RECENT_TESTS]
    )
    if not tests:
        return None
    members = Member.objects.filter(local_id=campaign.local_id).current().count()
    if not members:
        return None
    return sum(t.taking_part for t in tests) / (len(tests) * members)


def build(campaign) -> Ladder:
    now = timezone.now()
    tactics = list(Tactic.objects.filter(campaign=campaign))
    actions = list(actions_with_turnout(campaign))
    rows = []
    for action in actions:
        turnout = turnout_of(action)
        ratio = (
            turnout / action.turnout_goal if turnout is not None and action.turnout_goal else None
        )
        # Formatted here once, not by template filters: the chart and the table both need them.
        local = timezone.localtime(action.starts_at)
        evaluation = getattr(action, "evaluation", None)
        rows.append(
            Row(
                action=action,
                level=action.level,
                turnout=turnout,
                ratio=ratio,
                url=reverse("actions:detail", args=[action.pk]),
                day=date_format(local, "SHORT_DATE_FORMAT"),
                iso=local.isoformat(),
                effect=evaluation.get_effect_display() if evaluation else "",
            )
        )

    past = [r for r in rows if r.turnout is not None and not r.action.is_cancelled]
    proven = [
        r
        for r in past
        if r.level is not None
        and r.action.starts_at >= now - timedelta(days=365)
        and (r.ratio is None or r.ratio >= PROVEN_TURNOUT)
        and getattr(getattr(r.action, "evaluation", None), "effect", "") != "hindered"
    ]
    best = max(proven, key=lambda r: r.level, default=None)
    proven_level = best.level if best else 0
    with_goal = [r for r in past if r.ratio is not None][-RECENT_ACTIONS:]
    recent_turnout = sum(r.ratio for r in with_goal) / len(with_goal) if with_goal else None
    rate = structure_participation(campaign)

    for row in rows:
        if row.action.is_cancelled or row.turnout is not None or row.level is None:
            continue
        if row.level > proven_level + JUMP:
            row.warnings.append(
                _(
                    "Level %(level)s is %(gap)s rungs above level %(proven)s, the highest the "
                    "base has shown it is ready for."
                )
                % {"level": row.level, "gap": row.level - proven_level, "proven": proven_level}
            )
        if rate is not None and rate < LOW_PARTICIPATION and row.level > proven_level:
            row.warnings.append(
                _("Only %(percent)s%% of members took part in the last structure tests.")
                % {"percent": round(rate * 100)}
            )
        if recent_turnout is not None and recent_turnout < LOW_TURNOUT and row.level > proven_level:
            row.warnings.append(
                _("Recent actions reached only %(percent)s%% of their turnout goals.")
                % {"percent": round(recent_turnout * 100)}
            )

    ladder = Ladder(
        tactics=tactics,
        rows=rows,
        participation_rate=rate,
        recent_turnout=recent_turnout,
        proven_level=proven_level,
        proven_by=best.action if best else None,
    )
    _layout(ladder)
    return ladder


def _layout(ladder: Ladder) -> None:
    """Place each action on the chart: left to right in time, bottom to top by level."""
    levels = max([len(ladder.tactics)] + [r.level or 0 for r in ladder.rows] + [1])
    ladder.height = TOP * 2 + levels * ROW_HEIGHT + 20
    plot_width = ladder.width - LEFT - 16
    ladder.gridlines = [
        (level, TOP + (levels - level) * ROW_HEIGHT + ROW_HEIGHT / 2)
        for level in range(1, levels + 1)
    ]
    dated = [r for r in ladder.rows if r.level]
    if not dated:
        return
    start, end = dated[0].action.starts_at, dated[-1].action.starts_at
    span = max((end - start).total_seconds(), 1)
    for row in dated:
        row.x = LEFT + 8 + plot_width * (row.action.starts_at - start).total_seconds() / span
        row.y = TOP + (levels - row.level) * ROW_HEIGHT + ROW_HEIGHT / 2
    month = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while month <= end:
        if month >= start:
            ladder.months.append(
                (LEFT + 8 + plot_width * (month - start).total_seconds() / span, month)
            )
        month = (month + timedelta(days=32)).replace(day=1)
    if len(ladder.months) > 12:
        step = len(ladder.months) // 12 + 1
        ladder.months = ladder.months[::step]
