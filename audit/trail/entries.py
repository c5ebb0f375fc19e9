"""The trail's pages: entries grouped by request or transaction, paged in PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from accounts.models import User

from .naming import Namer
from .sources import (
    BY_KEY,
    KINDS,
    LISTED_IN_FULL,
    MOMENTS_COUNTED,
    SOURCES,
    Change,
    Entry,
    Filters,
    _table,
    entry_key,
)


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
        if filters.user_ids is not None and source.user_column:
            where.append(f"{source.user_column} = ANY(%s)")
            values.append(list(filters.user_ids))
        elif filters.user_ids is not None:
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
        tables = source.table or f"{_table(source.model)} e {source.join}"
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
            entry.who = entry.who or next((c.who for c in entry.changes if c.who), "")
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
