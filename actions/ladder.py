"""The ladder view's numbers: actions over time by escalation level, turnout against goal, and
whether a planned action climbs well above what the base has shown it is ready for.

One light query reads the facts of every action of the campaign (no model instances, no
formatting); the readiness figures come from all of them, the chart counts the chosen dates and
level per week (or month) and level, and only the table's page is loaded as actions. So the page
takes a fixed number of queries and its work grows with the table's page, not the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from campaigns.models import Member, StructureTest, StructureTestParticipation

from .models import Action, Participation, Tactic

JUMP = 3  # rungs above the proven level that count as "well above"
LOW_PARTICIPATION = 0.5  # share of members taking part in the last structure tests
LOW_TURNOUT = 0.6  # recent turnout against goal
PROVEN_TURNOUT = 0.75  # an action proves its level when it reached this share of its goal
RECENT_TESTS = 3
RECENT_ACTIONS = 3
SVG_WIDTH, ROW_HEIGHT, LEFT, TOP, BOTTOM = 760, 28, 40, 8, 24
WEEKLY_UP_TO = 16  # weeks; a longer span is counted per month so each mark stays readable
MIN_LABEL_WIDTH = 56  # pixels between two column labels
MIN_COUNT_WIDTH = 14  # a mark narrower than this shows its count only in its title
SHOWN_WARNINGS = 10


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


@dataclass
class Fact:
    """What the ladder needs to know of one action, read without building the model."""

    pk: int
    title: str
    starts_at: datetime
    status: str
    level: int | None
    turnout_goal: int | None
    turnout: int | None
    effect: str
    day: date
    warnings: list[str] = field(default_factory=list)

    @property
    def is_cancelled(self) -> bool:
        return self.status == Action.Status.CANCELLED

    @property
    def ratio(self) -> float | None:
        if self.turnout is None or not self.turnout_goal:
            return None
        return self.turnout / self.turnout_goal

    @property
    def state(self) -> str:
        if self.is_cancelled:
            return "cancelled"
        if self.turnout is None:
            return "planned"
        if self.ratio is not None and self.ratio < PROVEN_TURNOUT:
            return "short"
        return "met"

    @property
    def url(self) -> str:
        return reverse("actions:detail", args=[self.pk])


def facts_of(campaign) -> list[Fact]:
    now = timezone.now()
    # The local's zone is read once: timezone.localdate() looks it up again for every action.
    zone = timezone.get_current_timezone()
    rows = (
        Action.objects.filter(campaign=campaign)
        .annotate(
            rung=Coalesce(F("level_then"), F("tactic__position")),
            attended=_count(Participation, attended=True),
        )
        .order_by("starts_at", "pk")
        .values_list(
            "pk",
            "title",
            "starts_at",
            "status",
            "rung",
            "turnout_goal",
            "evaluation__turnout",
            "evaluation__effect",
            "attended",
        )
    )
    facts = []
    for pk, title, starts_at, status, rung, goal, evaluated, effect, attended in rows:
        if evaluated is not None:
            turnout = evaluated
        elif starts_at <= now and status != Action.Status.CANCELLED:
            turnout = attended
        else:
            turnout = None
        facts.append(
            Fact(
                pk=pk,
                title=title,
                starts_at=starts_at,
                status=status,
                level=rung,
                turnout_goal=goal,
                turnout=turnout,
                effect=effect or "",
                day=starts_at.astimezone(zone).date(),
            )
        )
    return facts


def structure_participation(campaign) -> float | None:
    """Average share of current members who took part in the campaign's last structure tests.

    Everyone who took part is counted from the participation index alone, and those who have
    left since are taken away: leavers are few, so this reads a few hundred rows where joining
    every participation to its member read tens of thousands at the largest local.
    """
    tests = list(
        StructureTest.objects.filter(campaign=campaign)
        .order_by("-held_on")
        .values_list("pk", flat=True)[:RECENT_TESTS]
    )
    if not tests:
        return None
    members = Member.objects.filter(local_id=campaign.local_id).current().count()
    if not members:
        return None
    taking_part = StructureTestParticipation.objects.filter(test__in=tests).count()
    # Leavers are found among the local's own members: without the local, PostgreSQL looks
    # for them among every local's members (1.8 times slower with 50 locals).
    left = StructureTestParticipation.objects.filter(
        test__in=tests, member__local_id=campaign.local_id, member__left_at__isnull=False
    ).count()
    return (taking_part - left) / (len(tests) * members)


@dataclass
class Readiness:
    proven_level: int
    proven_by: int | None
    participation_rate: float | None
    recent_turnout: float | None

    @property
    def participation_percent(self) -> int | None:
        return None if self.participation_rate is None else round(self.participation_rate * 100)

    @property
    def turnout_percent(self) -> int | None:
        return None if self.recent_turnout is None else round(self.recent_turnout * 100)

    def warnings_for(self, fact: Fact) -> list[str]:
        if fact.is_cancelled or fact.turnout is not None or fact.level is None:
            return []
        warnings = []
        if fact.level > self.proven_level + JUMP:
            warnings.append(
                _(
                    "Level %(level)s is %(gap)s rungs above level %(proven)s, the highest the "
                    "base has shown it is ready for."
                )
                % {
                    "level": fact.level,
                    "gap": fact.level - self.proven_level,
                    "proven": self.proven_level,
                }
            )
        rate, recent = self.participation_rate, self.recent_turnout
        if rate is not None and rate < LOW_PARTICIPATION and fact.level > self.proven_level:
            warnings.append(
                _("Only %(percent)s%% of members took part in the last structure tests.")
                % {"percent": round(rate * 100)}
            )
        if recent is not None and recent < LOW_TURNOUT and fact.level > self.proven_level:
            warnings.append(
                _("Recent actions reached only %(percent)s%% of their turnout goals.")
                % {"percent": round(recent * 100)}
            )
        return warnings


def readiness_of(campaign, facts: list[Fact]) -> Readiness:
    now = timezone.now()
    past = [f for f in facts if f.turnout is not None and not f.is_cancelled]
    proven = [
        f
        for f in past
        if f.level is not None
        and f.starts_at >= now - timedelta(days=365)
        and (f.ratio is None or f.ratio >= PROVEN_TURNOUT)
        and f.effect != "hindered"
    ]
    best = max(proven, key=lambda f: f.level, default=None)
    with_goal = [f for f in past if f.ratio is not None][-RECENT_ACTIONS:]
    return Readiness(
        proven_level=best.level if best else 0,
        proven_by=best.pk if best else None,
        participation_rate=structure_participation(campaign),
        recent_turnout=sum(f.ratio for f in with_goal) / len(with_goal) if with_goal else None,
    )


@dataclass
class Mark:
    """One level in one week (or month) of the chart: how many actions, and a link to them."""

    level: int
    count: int
    state: str
    warned: bool
    x: float
    y: float
    width: float
    url: str
    label: str


@dataclass
class Column:
    start: date
    end: date  # the last day in the column
    label: str
    x: float = 0
    shows_label: bool = True
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Chart:
    columns: list[Column]
    levels: int
    by_month: bool
    width: int = SVG_WIDTH
    height: int = 0
    gridlines: list[tuple[int, float]] = field(default_factory=list)
    label_y: float = 0

    @property
    def shows_counts(self) -> bool:
        return (self.width - LEFT - 8) / max(len(self.columns), 1) - 2 >= MIN_COUNT_WIDTH


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _columns(first: date, last: date) -> tuple[list[Column], bool]:
    if (last - first).days < WEEKLY_UP_TO * 7:
        columns, start = [], _week_start(first)
        while start <= last:
            end = start + timedelta(days=6)
            columns.append(Column(start, end, date_format(start, "MONTH_DAY_FORMAT")))
            start = end + timedelta(days=1)
        return columns, False
    columns, start = [], first.replace(day=1)
    while start <= last:
        following = (start + timedelta(days=32)).replace(day=1)
        columns.append(
            Column(start, following - timedelta(days=1), date_format(start, "YEAR_MONTH_FORMAT"))
        )
        start = following
    return columns, True


def chart_of(
    facts: list[Fact], first: date, last: date, levels: int, link, readiness: Readiness
) -> Chart:
    """Count the actions per column and level; ``link(start, end, level)`` is a mark's URL."""
    columns, by_month = _columns(first, last)
    chart = Chart(columns=columns, levels=levels, by_month=by_month)
    chart.height = TOP + levels * ROW_HEIGHT + BOTTOM
    chart.label_y = chart.height - 6
    chart.gridlines = [
        (level, TOP + (levels - level) * ROW_HEIGHT + ROW_HEIGHT / 2)
        for level in range(1, levels + 1)
    ]
    step = (chart.width - LEFT - 8) / max(len(columns), 1)
    every = max(1, int(MIN_LABEL_WIDTH // step) + (MIN_LABEL_WIDTH % step > 0))
    cells: dict[tuple[int, int], list[Fact]] = {}
    index = {column.start: n for n, column in enumerate(columns)}
    for fact in facts:
        if fact.level is None or fact.is_cancelled:
            continue
        key = fact.day.replace(day=1) if by_month else _week_start(fact.day)
        if key in index:
            cells.setdefault((index[key], fact.level), []).append(fact)
    for n, column in enumerate(columns):
        column.x = LEFT + 4 + step * n
        column.shows_label = n % every == 0
    for (n, level), group in sorted(cells.items()):
        column = columns[n]
        states = {f.state for f in group}
        state = "planned" if "planned" in states else "short" if "short" in states else "met"
        column.marks.append(
            Mark(
                level=level,
                count=len(group),
                state=state,
                warned=any(readiness.warnings_for(f) for f in group),
                x=column.x + 1,
                y=TOP + (levels - level) * ROW_HEIGHT + 2,
                width=step - 2,
                url=link(column.start, column.end, level),
                label=column.label,
            )
        )
    return chart


@dataclass
class Window:
    """The dates the ladder shows: local days, ``None`` for open-ended."""

    first: date | None
    last: date | None
    level: int | None = None
    newest_first: bool = False

    def holds(self, fact: Fact) -> bool:
        return (
            (self.first is None or fact.day >= self.first)
            and (self.last is None or fact.day <= self.last)
            and (self.level is None or fact.level == self.level)
        )


@dataclass
class Row:
    """One action in the table's page."""

    fact: Fact
    action: Action
    warnings: list[str]

    @property
    def percent(self) -> int | None:
        ratio = self.fact.ratio
        return round(ratio * 100) if ratio is not None else None

    @property
    def day(self) -> str:
        return date_format(timezone.localtime(self.fact.starts_at), "SHORT_DATE_FORMAT")

    @property
    def iso(self) -> str:
        return timezone.localtime(self.fact.starts_at).isoformat(timespec="seconds")

    @property
    def effect(self) -> str:
        evaluation = getattr(self.action, "evaluation", None)
        return evaluation.get_effect_display() if evaluation else ""


@dataclass
class Ladder:
    tactics: list[Tactic]
    readiness: Readiness
    chosen: list[Fact]
    chart: Chart | None
    total: int
    warned: list[Fact]
    warned_count: int

    @property
    def proven_level(self) -> int:
        return self.readiness.proven_level


def build(campaign, window: Window | None = None, *, tactics=None, link=None) -> Ladder:
    """The ladder of ``campaign`` for the days and level of ``window`` (all of it by default);
    ``link(start, end, level)`` gives the address of the table filtered to one mark."""
    window = window or Window(None, None)
    tactics = list(Tactic.objects.filter(campaign=campaign)) if tactics is None else tactics
    link = link or (lambda first, last, level: query_for(first, last, level))
    facts = facts_of(campaign)
    readiness = readiness_of(campaign, facts)
    chosen = [f for f in facts if window.holds(f)]
    if window.newest_first:
        chosen.reverse()
    for fact in chosen:
        fact.warnings = readiness.warnings_for(fact)
    warned = [f for f in chosen if f.warnings]
    levels = max([len(tactics)] + [f.level or 0 for f in facts] + [1])
    chart = None
    if chosen or (window.first and window.last):
        days = [f.day for f in chosen]
        first = window.first or min(days)
        last = window.last or max(days)
        chart = chart_of(chosen, first, last, levels, link, readiness)
    return Ladder(
        tactics=tactics,
        readiness=readiness,
        chosen=chosen,
        chart=chart,
        total=len(facts),
        warned=warned[:SHOWN_WARNINGS],
        warned_count=len(warned),
    )


def rows_for(facts: list[Fact]) -> list[Row]:
    """The table rows of one page of facts, in one query."""
    actions = Action.objects.select_related("tactic", "evaluation").in_bulk(
        [fact.pk for fact in facts]
    )
    return [Row(fact=f, action=actions[f.pk], warnings=f.warnings) for f in facts]


def query_for(first: date, last: date, level: int | None) -> str:
    params = {"start": first.isoformat(), "end": last.isoformat()}
    if level is not None:
        params["level"] = level
    return "?" + urlencode(params)
