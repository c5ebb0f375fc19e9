"""What the trail reads: the event tables, the filters and the keys of its entries."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy

from ..models import (
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
    # A source another app registers (see ``register``): SQL standing for the event table,
    # as ``(SELECT ... AS pgh_id, ... AS pgh_created_at, ... AS pgh_context_id, ... AS
    # pgh_label, ... AS pgh_obj_id, ...) e``; the column of the person who did it; and a
    # function that turns a list of its ``pgh_id`` into ``{pgh_id: Change}``.
    table: str = ""
    user_column: str = ""
    changes: Callable[[list[int]], dict[int, Change]] | None = None


def _table(model) -> str:
    return model._meta.db_table


SOURCES = [
    Source("member", MemberEvent, gettext_lazy("Member"), "", "e.local_id"),
    Source("role", MembershipEvent, gettext_lazy("Role"), "", "e.local_id"),
    Source(
        "assignment", BuildingAssignmentEvent, gettext_lazy("Building assignment"), "", "e.local_id"
    ),
    Source("demand", DemandEvent, gettext_lazy("Demand"), "", "e.local_id"),
    Source("proposal", ProposalEvent, gettext_lazy("Proposal"), "", "e.local_id"),
    Source(
        "proposal_version", ProposalVersionEvent, gettext_lazy("Proposal version"), "", "e.local_id"
    ),
]
BY_KEY = {source.key: source for source in SOURCES}


def register(source: Source) -> None:
    """Add a source of the trail from an app that comes after this one in the import order
    (the API's calls, from its AppConfig.ready): this app cannot import it."""
    if source.key not in BY_KEY:
        SOURCES.append(source)
        BY_KEY[source.key] = source


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
    # Who did it, for a registered source whose rows say so themselves.
    who: str = ""


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
