"""Reading the audit trail: the changes in a leader's locals, newest first, a page at a time.

One entry is one change of the database as a person made it: a request (pghistory's context)
or, for work without one (a shell, a background job), one transaction (its events share the
transaction's time). An entry of one to three records lists each, named in words and linked to
its page; a bigger one (a roster import, a bulk update) is one line that opens into its rows.
The grouping, the filters and the paging run in PostgreSQL over the union of the event tables,
so a page costs the same number of queries however long the trail.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection, models
from django.db.models import OuterRef, Subquery
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Membership, Role, User
from bargaining.models import Proposal
from campaigns.models import Building, Campaign, Local, Member
from demands.models import Demand
from partners.models import Organisation

from .models import (
    BuildingAssignmentEvent,
    DemandEvent,
    MemberEvent,
    MembershipEvent,
    ProposalEvent,
    ProposalVersionEvent,
)

IGNORED = {
    "pgh_id",
    "pgh_created_at",
    "pgh_label",
    "pgh_obj",
    "pgh_context",
    "updated_at",
    "version",
}
# An entry of more records than this is one line that opens into its rows.
LISTED_IN_FULL = 3
# The trail pages through this many moments at most (400 pages); the date filters reach
# further back.
MOMENTS_COUNTED = 10_000
KINDS = {
    "insert": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
}


@dataclass(frozen=True)
class Source:
    key: str
    model: type[models.Model]
    label: object
    join: str  # how an event reaches its local
    local_column: str


def _table(model) -> str:
    return model._meta.db_table


SOURCES = [
    Source("member", MemberEvent, gettext_lazy("Member"), "", "e.local_id"),
    Source("role", MembershipEvent, gettext_lazy("Role"), "", "e.local_id"),
    Source(
        "assignment",
        BuildingAssignmentEvent,
        gettext_lazy("Building assignment"),
        f"JOIN {_table(Building)} s ON s.id = e.building_id",
        "s.local_id",
    ),
    Source(
        "demand",
        DemandEvent,
        gettext_lazy("Demand"),
        f"JOIN {_table(Campaign)} s ON s.id = e.campaign_id",
        "s.local_id",
    ),
    Source(
        "proposal",
        ProposalEvent,
        gettext_lazy("Proposal"),
        f"JOIN {_table(Campaign)} s ON s.id = e.campaign_id",
        "s.local_id",
    ),
    Source(
        "proposal_version",
        ProposalVersionEvent,
        gettext_lazy("Proposal version"),
        f"JOIN {_table(Proposal)} p ON p.id = e.proposal_id "
        f"JOIN {_table(Campaign)} s ON s.id = p.campaign_id",
        "s.local_id",
    ),
]
BY_KEY = {source.key: source for source in SOURCES}


@dataclass
class Filters:
    local_ids: frozenset[int]
    record: str = ""
    record_id: int | None = None
    kind: str = ""
    since: datetime | None = None
    until: datetime | None = None
    user_ids: list[int] | None = None
    # One entry's rows: its context, or the time of a transaction without one.
    context: uuid.UUID | None = None
    at: datetime | None = None


@dataclass
class Change:
    at: datetime
    kind: str
    label: str
    source: str
    name: str
    url: str
    fields: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class Entry:
    key: str
    at: datetime
    count: int
    who: str
    title: str = ""
    url: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def is_bulk(self) -> bool:
        return self.count > LISTED_IN_FULL


def entry_key(context_id, at: datetime) -> str:
    if context_id:
        return str(context_id)
    # Whole microseconds since the epoch: a float would lose the last digits.
    delta = at - datetime(1970, 1, 1, tzinfo=UTC)
    return f"t{(delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds}"


def filters_for_key(key: str, local_ids) -> Filters | None:
    """The filters that select one entry's rows, from the key in its address."""
    if key.startswith("t") and key[1:].isdigit():
        seconds, micros = divmod(int(key[1:]), 1_000_000)
        at = datetime.fromtimestamp(seconds, UTC).replace(microsecond=micros)
        return Filters(local_ids=local_ids, at=at)
    try:
        return Filters(local_ids=local_ids, context=uuid.UUID(key))
    except ValueError:
        return None


def _events(filters: Filters, before: str = "") -> tuple[str, list]:
    """The union of the event tables the filters allow, as SQL and its parameters. With
    ``before`` (an SQL expression), each table gives only the time of its latest event
    before it: an index lookup per table, however many events share that time."""
    parts, params = [], []
    sources = [BY_KEY[filters.record]] if filters.record in BY_KEY else SOURCES
    for source in sources:
        # One local (nearly every leader's case) is an equality, so that the index on
        # (local, time) hands the events over newest first without sorting them.
        if len(filters.local_ids) == 1:
            where = [f"{source.local_column} = %s"]
            values: list = [next(iter(filters.local_ids))]
        else:
            where = [f"{source.local_column} = ANY(%s)"]
            values = [sorted(filters.local_ids)]
        if filters.record_id is not None:
            where.append("e.pgh_obj_id = %s")
            values.append(filters.record_id)
        if filters.kind in KINDS:
            where.append("e.pgh_label = %s")
            values.append(filters.kind)
        if filters.since:
            where.append("e.pgh_created_at >= %s")
            values.append(filters.since)
        if filters.until:
            where.append("e.pgh_created_at < %s")
            values.append(filters.until)
        if filters.user_ids is not None:
            where.append(
                "e.pgh_context_id IN (SELECT c.id FROM pghistory_context c "
                "WHERE c.metadata->>'user' = ANY(%s))"
            )
            values.append([str(pk) for pk in filters.user_ids])
        if filters.context:
            where.append("e.pgh_context_id = %s")
            values.append(filters.context)
        if filters.at:
            where.append("e.pgh_context_id IS NULL AND e.pgh_created_at = %s")
            values.append(filters.at)
        tables = f"{_table(source.model)} e {source.join}"
        if before:
            where.append(f"e.pgh_created_at < {before}")
            condition = " AND ".join(where)
            parts.append(f"SELECT max(e.pgh_created_at) AS at FROM {tables} WHERE {condition}")  # noqa: S608
        else:
            parts.append(
                f"SELECT '{source.key}'::text AS source, e.pgh_id, e.pgh_created_at AS at, "  # noqa: S608
                f"e.pgh_context_id AS context_id FROM {tables} WHERE {' AND '.join(where)}"
            )
        params.extend(values)
    return " UNION ALL ".join(parts), params


# The SQL below is assembled from this module's constants (table names, fixed fragments) only;
# every value a person can influence travels as a query parameter, hence the S608 waivers.


class Entries:
    """The trail's entries as a sequence Django's Paginator can page: a count and slices.

    The trail pages by moments: the distinct times at which changes were written (a
    transaction's events share its time). Each moment is found from the one after it by an
    index scan of each event table (a recursive query), so the first pages cost the same
    however long the trail, and a bulk change of 36,000 rows is one step. Within a moment the
    events group by their context (the request), which tells entries apart in the rare case
    two transactions start in the same microsecond.
    """

    def __init__(self, filters: Filters):
        self.filters = filters
        self.sql, self.params = _events(filters)
        self.first, self.first_params = _events(filters, before="'infinity'::timestamptz")
        self.next, self.next_params = _events(filters, before="m.at")
        self.capped = False

    def _moments(self) -> str:
        # Each step asks every table for its latest event before the last moment found: an
        # index lookup that reads one row, whatever the size of the change behind it.
        return (
            f"WITH RECURSIVE moments(at) AS ("  # noqa: S608
            f" SELECT (SELECT max(at) FROM ({self.first}) latest)"
            f" UNION ALL SELECT (SELECT max(at) FROM ({self.next}) latest)"
            f" FROM moments m WHERE m.at IS NOT NULL"
            f") SELECT at FROM moments WHERE at IS NOT NULL"
        )

    def count(self) -> int:
        """How many moments, counted up to MOMENTS_COUNTED; older ones are reached by date."""
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM ({self._moments()} LIMIT %s) found",  # noqa: S608
                [*self.first_params, *self.next_params, MOMENTS_COUNTED + 1],
            )
            found = cursor.fetchone()[0]
        self.capped = found > MOMENTS_COUNTED
        return min(found, MOMENTS_COUNTED)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Entry]:
        if connection.vendor != "postgresql":
            return []
        offset, stop = window.start or 0, window.stop
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self._moments()} LIMIT %s OFFSET %s",
                [*self.first_params, *self.next_params, stop - offset, offset],
            )
            moments = [row[0] for row in cursor.fetchall()]
            if not moments:
                return []
            cursor.execute(
                f"SELECT context_id, at, count(*)"  # noqa: S608
                f" FROM ({self.sql}) ev WHERE at = ANY(%s) GROUP BY context_id, at"
                f" ORDER BY at DESC, max(pgh_id) DESC",
                [*self.params, moments],
            )
            groups = cursor.fetchall()
            small = [(context, at) for context, at, count in groups if count <= LISTED_IN_FULL]
            listed: dict[tuple, list] = {}
            if small:
                cursor.execute(
                    f"SELECT context_id, at, source, pgh_id FROM ({self.sql}) ev"  # noqa: S608
                    f" WHERE at = ANY(%s) ORDER BY source, pgh_id",
                    [*self.params, [at for _context, at in small]],
                )
                wanted = set(small)
                for context, at, source, pgh_id in cursor.fetchall():
                    if (context, at) in wanted:
                        listed.setdefault((context, at), []).append((source, pgh_id))
        return describe(groups, listed)


class RowList:
    """One entry's rows, newest first, for the Paginator."""

    def __init__(self, filters: Filters):
        self.sql, self.params = _events(filters)

    def count(self) -> int:
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({self.sql}) ev", self.params)  # noqa: S608
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Change]:
        if connection.vendor != "postgresql":
            return []
        offset, stop = window.start or 0, window.stop
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT source, pgh_id FROM ({self.sql}) ev "  # noqa: S608
                f"ORDER BY source, pgh_id LIMIT %s OFFSET %s",
                [*self.params, stop - offset, offset],
            )
            wanted = [(source, pgh_id) for source, pgh_id in cursor.fetchall()]
        return Namer(wanted).changes(wanted)


def describe(groups, listed) -> list[Entry]:
    """Entries from the grouped rows: who made each, and the records of the small ones named."""
    contexts = _contexts({context for context, _at, _count in groups if context})
    people = _people({(metadata or {}).get("user") for metadata in contexts.values()})
    namer = Namer([pair for pairs in listed.values() for pair in pairs])
    entries = []
    for context_id, at, count in groups:
        metadata = contexts.get(context_id) or {}
        entry = Entry(
            key=entry_key(context_id, at),
            at=at,
            count=count,
            who=people.get(metadata.get("user"), ""),
        )
        if count <= LISTED_IN_FULL:
            entry.changes = namer.changes(listed.get((context_id, at), []))
        else:
            entry.title = _bulk_title(metadata.get("url", ""), count)
            entry.url = reverse("audit:entry", args=[entry.key])
        entries.append(entry)
    return entries


def _contexts(ids) -> dict:
    from pghistory.models import Context

    return dict(Context.objects.filter(pk__in=ids).values_list("pk", "metadata")) if ids else {}


def _people(ids) -> dict:
    ids = {pk for pk in ids if isinstance(pk, int)}
    return {user.pk: user.display_name for user in User.objects.filter(pk__in=ids)}


def _bulk_title(url: str, count: int) -> str:
    try:
        name = resolve(url.split("?")[0]).view_name if url else ""
    except Resolver404:
        name = ""
    number = f"{count:,}"
    if name == "campaigns:import_run":
        return _("Roster import of %(count)s rows") % {"count": number}
    if name == "campaigns:import_undo":
        return _("Undoing a roster import: %(count)s rows") % {"count": number}
    return _("Bulk change of %(count)s rows") % {"count": number}


class Namer:
    """Loads the events to show and what names them, a fixed number of queries per kind of
    record: the events, the versions before them, and the records they point at."""

    def __init__(self, wanted: list[tuple[str, int]]):
        self.events: dict[tuple[str, int], models.Model] = {}
        self.before: dict[tuple[str, int], models.Model] = {}
        by_source: dict[str, list[int]] = {}
        for source, pgh_id in wanted:
            by_source.setdefault(source, []).append(pgh_id)
        for key, ids in by_source.items():
            model = BY_KEY[key].model
            events = list(
                model.objects.filter(pgh_id__in=ids).annotate(
                    before_id=Subquery(
                        model.objects.filter(
                            pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id")
                        )
                        .order_by("-pgh_id")
                        .values("pgh_id")[:1]
                    )
                )
            )
            previous = model.objects.in_bulk([e.before_id for e in events if e.before_id])
            for event in events:
                self.events[(key, event.pgh_id)] = event
                if event.before_id:
                    self.before[(key, event.pgh_id)] = previous.get(event.before_id)
        self._load_names()

    def _ids(self, source: str, attname: str) -> set:
        return {
            getattr(event, attname)
            for (key, _pk), event in self.events.items()
            if key == source and getattr(event, attname) is not None
        }

    def _load_names(self) -> None:
        membership_ids = self._ids("assignment", "membership_id") | self._ids("role", "pgh_obj_id")
        memberships = {
            m.pk: (m.user_id, m.local_id)
            for m in Membership.objects.filter(pk__in=membership_ids).only("user", "local")
        }
        missing = membership_ids - memberships.keys()
        if missing:
            for event in MembershipEvent.objects.filter(pgh_obj_id__in=missing).order_by("pgh_id"):
                memberships[event.pgh_obj_id] = (event.user_id, event.local_id)
        self.memberships = memberships
        user_ids = self._ids("role", "user_id") | {user for user, _local in memberships.values()}
        self.users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
        local_ids = self._ids("role", "local_id") | {local for _u, local in memberships.values()}
        self.locals = {local.pk: local for local in Local.objects.filter(pk__in=local_ids)}
        self.buildings = dict(
            Building.objects.filter(pk__in=self._ids("assignment", "building_id")).values_list(
                "pk", "name"
            )
        )
        self.role_buildings: dict[int, list[str]] = {}
        through = Membership.buildings.through.objects.filter(
            membership_id__in=self._ids("role", "pgh_obj_id")
        ).select_related("building")
        for link in through.order_by("building__name"):
            self.role_buildings.setdefault(link.membership_id, []).append(link.building.name)
        self.organisations = dict(
            Organisation.objects.filter(pk__in=self._ids("role", "organisation_id")).values_list(
                "pk", "name"
            )
        )
        self.members = set(
            Member.objects.filter(pk__in=self._ids("member", "pgh_obj_id")).values_list(
                "pk", flat=True
            )
        )
        self.demands = {
            demand.pk: demand.get_absolute_url()
            for demand in Demand.objects.filter(pk__in=self._ids("demand", "pgh_obj_id"))
        }
        proposal_ids = self._ids("proposal", "pgh_obj_id") | self._ids(
            "proposal_version", "proposal_id"
        )
        self.proposals = {
            proposal.pk: proposal
            for proposal in Proposal.objects.filter(pk__in=proposal_ids).select_related("article")
        }

    def changes(self, pairs) -> list[Change]:
        found = []
        for pair in pairs:
            event = self.events.get(pair)
            if event is None:
                continue
            name, url = self._name(pair[0], event)
            found.append(
                Change(
                    at=event.pgh_created_at,
                    kind=str(KINDS.get(event.pgh_label, event.pgh_label)),
                    label=event.pgh_label,
                    source=str(BY_KEY[pair[0]].label),
                    name=name,
                    url=url,
                    fields=_fields(event, self.before.get(pair)),
                )
            )
        return found

    def _person(self, user_id) -> str:
        user = self.users.get(user_id)
        return user.display_name if user else _("someone no longer here")

    def _team_url(self, local_id, user_id) -> str:
        local, user = self.locals.get(local_id), self.users.get(user_id)
        if local is None:
            return ""
        url = reverse("accounts:team", args=[local.slug])
        return f"{url}?q={user.email}" if user else url

    def _name(self, source: str, event) -> tuple[str, str]:
        if source == "member":
            name = f"{event.first_name} {event.last_name}".strip()
            url = reverse("campaigns:member", args=[event.pgh_obj_id])
            return _("Member %(name)s") % {"name": name}, (
                url if event.pgh_obj_id in self.members else ""
            )
        if source == "role":
            role = Role(event.role).label if event.role in Role.values else event.role
            local = self.locals.get(event.local_id)
            if event.role == Role.STEWARD and self.role_buildings.get(event.pgh_obj_id):
                scope = ", ".join(self.role_buildings[event.pgh_obj_id])
            elif event.role == Role.PARTNER and event.organisation_id in self.organisations:
                scope = self.organisations[event.organisation_id]
            else:
                scope = local.name if local else ""
            name = _("Role: %(role)s of %(scope)s for %(person)s") % {
                "role": str(role).lower(),
                "scope": scope,
                "person": self._person(event.user_id),
            }
            return name, self._team_url(event.local_id, event.user_id)
        if source == "assignment":
            user_id, local_id = self.memberships.get(event.membership_id, (None, None))
            name = _("Building assignment: %(building)s for %(person)s") % {
                "building": self.buildings.get(event.building_id, "?"),
                "person": self._person(user_id),
            }
            return name, self._team_url(local_id, user_id)
        if source == "demand":
            name = _("Demand “%(title)s”") % {"title": event.title}
            return name, self.demands.get(event.pgh_obj_id, "")
        if source == "proposal":
            proposal = self.proposals.get(event.pgh_obj_id)
            title = str(proposal) if proposal else event.topic
            url = proposal.get_absolute_url() if proposal else ""
            return _("Proposal “%(title)s”") % {"title": title}, url
        proposal = self.proposals.get(event.proposal_id)
        name = _("Proposal version %(number)s of “%(proposal)s”") % {
            "number": event.number,
            "proposal": str(proposal) if proposal else "?",
        }
        url = reverse("bargaining:proposal", args=[event.proposal_id]) if proposal else ""
        return name, url


def _fields(event, before) -> list[tuple[str, object, object]]:
    """What an update changed, old and new; creations and deletions name only the record."""
    if event.pgh_label != "update":
        return []
    fields = []
    for model_field in event._meta.fields:
        if model_field.name in IGNORED:
            continue
        new = getattr(event, model_field.attname)
        old = getattr(before, model_field.attname) if before else None
        if before is not None and old == new:
            continue
        fields.append((str(model_field.verbose_name), old, new))
    return fields
