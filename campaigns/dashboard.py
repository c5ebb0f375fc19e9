"""The leader's organizing dashboard: per-building strength and the campaign's weekly history.

Everything is computed with a handful of grouped queries over the whole local, then sorted and
filtered in Python, so the number of queries never grows with the number of buildings. The
numbers of every building are cached under the local's organizing version, which each change
they count moves in its own transaction (``Local.organizing_changed``): a page reads them from
the cache until something changes, then computes them once again.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import Membership

from .models import (
    SUPPORTER_LEVELS,
    Building,
    Campaign,
    Conversation,
    Member,
    StructureTest,
    StructureTestParticipation,
    WeeklySnapshot,
)

STEWARD_GOAL = 10  # one steward for every ten members
ACTIVE_DAYS = 30  # a steward is active who logged a 1-on-1 in the building this recently
# How long unread numbers stay in the cache; a change replaces them at once whatever this is.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True, slots=True)
class BuildingRef:
    """The few fields of a building the dashboard shows; cheaper than 1,000 model instances."""

    pk: int
    name: str
    kind: str


@dataclass(slots=True)
class BuildingStats:
    building: BuildingRef
    members: int = 0
    assessed: int = 0
    supporters: int = 0
    stewards: int = 0
    took_part: int = 0
    last_contact: object = None
    active: bool = False
    is_weak: bool = False
    # A rough 0-100 score for sorting and highlighting, set with the numbers (``score``).
    strength: int = 0

    @property
    def pk(self) -> int:
        return self.building.pk

    @property
    def pct_assessed(self) -> int:
        return round(100 * self.assessed / self.members) if self.members else 0

    @property
    def pct_supporters(self) -> int:
        return round(100 * self.supporters / self.members) if self.members else 0

    @property
    def pct_took_part(self) -> int:
        return round(100 * self.took_part / self.members) if self.members else 0

    @property
    def members_per_steward(self) -> float | None:
        return round(self.members / self.stewards, 1) if self.stewards else None

    @property
    def days_since_contact(self) -> int | None:
        if self.last_contact is None:
            return None
        return (timezone.now() - self.last_contact).days

    @property
    def meets_steward_goal(self) -> bool:
        return self.stewards > 0 and self.members <= self.stewards * STEWARD_GOAL

    def score(self) -> int:
        """Support, assessment and participation, halved where there is no steward."""
        score = (2 * self.pct_supporters + self.pct_assessed + self.pct_took_part) // 4
        return score // 2 if self.stewards == 0 else score

    def dump(self) -> tuple:
        """The row as plain values for the cache: a thousand tuples load many times faster
        than a thousand pickled objects."""
        b = self.building
        return (b.pk, b.name, b.kind, *(getattr(self, name) for name in _NUMBERS))

    @classmethod
    def load(cls, values: tuple) -> BuildingStats:
        pk, name, kind, *numbers = values
        return cls(BuildingRef(pk, name, kind), *numbers)


_NUMBERS = [f.name for f in fields(BuildingStats)][1:]

SORTS = {
    "weakest": (lambda r: (not r.is_weak, r.strength, r.building.name), False),
    "name": (lambda r: r.building.name.casefold(), False),
    "members": (lambda r: r.members, True),
    "stewards": (lambda r: r.stewards, True),
    "ratio": (lambda r: r.members_per_steward or 10_000, True),
    "assessed": (lambda r: r.pct_assessed, True),
    "supporters": (lambda r: r.pct_supporters, True),
    "took_part": (lambda r: r.pct_took_part, True),
    "contact": (lambda r: -1 if r.days_since_contact is None else -r.days_since_contact, False),
}


def latest_test(campaign: Campaign) -> StructureTest | None:
    return campaign.structure_tests.order_by("-held_on", "-pk").first()


def building_stats(
    campaign: Campaign,
    test: StructureTest | None,
    kind: str = "",
    search: str = "",
) -> list[BuildingStats]:
    """Every building's numbers but the last contact, which ``add_last_contact`` reads for the
    rows that show or sort by it."""
    local_id = campaign.local_id
    buildings = Building.objects.filter(local_id=local_id)
    if kind:
        buildings = buildings.filter(kind=kind)
    if search:
        buildings = buildings.filter(name__icontains=search)
    rows = {
        pk: BuildingStats(building=BuildingRef(pk, name, kind))
        for pk, name, kind in buildings.values_list("pk", "name", "kind")
    }
    # One pass over the local's current members, the costliest query of the page: an
    # index-only scan of the partial index on (local, building) that carries the support
    # level, so its cost is the local's size whatever the number of locals. Tuples rather than
    # dicts, and no datetimes: a thousand rows of them cost more in Python than in PostgreSQL.
    for building_id, members, assessed, supporters in (
        Member.objects.filter(local_id=local_id, left_at__isnull=True)
        .values("building_id")
        .annotate(
            n=Count("*"),
            assessed=Count("support_level"),
            supporters=Count("support_level", filter=Q(support_level__in=SUPPORTER_LEVELS)),
        )
        .order_by()
        .values_list("building_id", "n", "assessed", "supporters")
    ):
        if stats := rows.get(building_id):
            stats.members, stats.assessed, stats.supporters = members, assessed, supporters
    if test is not None:
        # One participation per test and member: the rows of the test alone, through the
        # index on the test.
        for building_id, took_part in (
            StructureTestParticipation.objects.filter(test=test, member__left_at__isnull=True)
            .values("member__building_id")
            .annotate(n=Count("*"))
            .order_by()
            .values_list("member__building_id", "n")
        ):
            if stats := rows.get(building_id):
                stats.took_part = took_part
    through = Membership.buildings.through
    for building_id, stewards in (
        through.objects.filter(membership__local_id=local_id)
        .values("building_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("building_id", "n")
    ):
        if stats := rows.get(building_id):
            stats.stewards = stewards
    # An EXISTS on the local's own buildings, which the index on (building, day) answers
    # building by building, rather than every local's recent 1-on-1s joined to their
    # buildings.
    since = campaign.local.today() - timedelta(days=ACTIVE_DAYS)
    recent = Conversation.objects.filter(building=OuterRef("pk"), held_on__gte=since)
    active = Building.objects.filter(local_id=local_id).filter(Exists(recent))
    for building_id in active.values_list("pk", flat=True):
        if stats := rows.get(building_id):
            stats.active = stats.stewards > 0
    for stats in rows.values():
        stats.strength = stats.score()
    mark_weakest(list(rows.values()))
    return list(rows.values())


def local_stats(campaign: Campaign, test: StructureTest | None) -> list[BuildingStats]:
    """``building_stats`` of the whole local, from the cache while nothing they count has
    changed. The key holds the organizing version of the local as the request read it, before
    the numbers: numbers computed meanwhile are only newer than their key says. It also holds
    the local's day, from which the active buildings are counted back, and the local's creation
    time, so that a local rebuilt with the same id and version (a new seed) starts afresh."""
    local = campaign.local
    key = ":".join(
        str(part)
        for part in (
            "campaigns:dashboard",
            local.pk,
            local.created_at.timestamp(),
            local.organizing_version,
            test.pk if test else 0,
            local.today().isoformat(),
        )
    )
    cached = cache.get(key)
    if cached is not None:
        return [BuildingStats.load(values) for values in cached]
    rows = building_stats(campaign, test)
    cache.set(key, [row.dump() for row in rows], CACHE_SECONDS)
    return rows


def matching(rows: list[BuildingStats], kind: str = "", search: str = "") -> list[BuildingStats]:
    """The rows of one kind of building and whose name holds ``search`` in any case, as
    PostgreSQL's ``icontains`` compares them (upper case); weak among these rows alone."""
    if not (kind or search):
        return rows
    needle = search.upper()
    rows = [
        r
        for r in rows
        if (not kind or r.building.kind == kind) and needle in r.building.name.upper()
    ]
    for row in rows:
        row.is_weak = False
    mark_weakest(rows)
    return rows


def add_last_contact(rows: list[BuildingStats]) -> None:
    """Each row's latest contact with a current member, through the index on (building, last
    contact)."""
    latest = (
        Member.objects.filter(building_id__in=[r.pk for r in rows], left_at__isnull=True)
        .values("building_id")
        .annotate(last=Max("last_contacted_at"))
        .order_by()
        .values_list("building_id", "last")
    )
    by_building = dict(latest) if rows else {}
    for row in rows:
        row.last_contact = by_building.get(row.pk)


def mark_weakest(rows: list[BuildingStats]) -> None:
    """Weak: a building with members but no steward, or among the weakest fifth by strength."""
    staffed = sorted((r for r in rows if r.members), key=lambda r: r.strength)
    cutoff = staffed[len(staffed) // 5].strength if len(staffed) >= 5 else -1
    for row in staffed:
        row.is_weak = row.stewards == 0 or row.strength < cutoff


def sort_rows(rows: list[BuildingStats], sort: str) -> tuple[list[BuildingStats], str]:
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "weakest", "weakest"
    function, descending = SORTS[key]
    if sort.startswith("-"):
        descending = not descending
    return sorted(rows, key=function, reverse=descending), sort


def totals(rows: list[BuildingStats]) -> dict:
    members = sum(r.members for r in rows)
    return {
        "buildings": len(rows),
        "members": members,
        "stewards": sum(r.stewards for r in rows),
        "supporters": sum(r.supporters for r in rows),
        "assessed": sum(r.assessed for r in rows),
        "pct_supporters": round(100 * sum(r.supporters for r in rows) / members) if members else 0,
        "pct_assessed": round(100 * sum(r.assessed for r in rows) / members) if members else 0,
        "active_buildings": sum(1 for r in rows if r.active),
        "weak": sum(1 for r in rows if r.is_weak),
    }


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def record_snapshot(campaign: Campaign, day: date | None = None) -> WeeklySnapshot:
    """Store this week's numbers; run again in the same week, it updates the same row."""
    rows = building_stats(campaign, None)
    summary = totals(rows)
    snapshot, _created = WeeklySnapshot.objects.update_or_create(
        campaign=campaign,
        week=week_start(day or campaign.local.today()),
        defaults={
            "members": summary["members"],
            "assessed": summary["assessed"],
            "supporters": summary["supporters"],
            "buildings": summary["buildings"],
            "active_buildings": summary["active_buildings"],
        },
    )
    return snapshot


def history(campaign: Campaign, current: dict, weeks: int = 52) -> list[WeeklySnapshot]:
    """Stored weekly snapshots, with this week's computed on demand in place of a stored one."""
    this_week = week_start(campaign.local.today())
    stored = list(
        WeeklySnapshot.objects.filter(
            campaign=campaign, week__gte=this_week - timedelta(weeks=weeks), week__lt=this_week
        ).order_by("week")
    )
    stored.append(
        WeeklySnapshot(
            campaign=campaign,
            week=this_week,
            members=current["members"],
            assessed=current["assessed"],
            supporters=current["supporters"],
            buildings=current["buildings"],
            active_buildings=current["active_buildings"],
        )
    )
    return stored
