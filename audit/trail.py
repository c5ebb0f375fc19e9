"""Reading the audit trail: the latest changes in a leader's locals, newest first, with what
each change altered compared with the version before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .models import (
    BuildingAssignmentEvent,
    DemandEvent,
    MemberEvent,
    MembershipEvent,
    ProposalEvent,
    ProposalVersionEvent,
)

IGNORED = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_context", "updated_at"}

# What each trail covers, and how its rows are scoped to a local.
SOURCES = [
    (MemberEvent, _("Member"), "local_id__in"),
    (MembershipEvent, _("Role"), "local_id__in"),
    (BuildingAssignmentEvent, _("Building assignment"), "building__local_id__in"),
    (DemandEvent, _("Demand"), "campaign__local_id__in"),
    (ProposalEvent, _("Proposal"), "campaign__local_id__in"),
    (ProposalVersionEvent, _("Proposal version"), "proposal__campaign__local_id__in"),
]


@dataclass
class Change:
    at: datetime
    kind: str
    label: str
    object_id: int
    who: str
    url: str
    fields: list[tuple[str, object, object]]


def recent_changes(local_ids, limit: int = 100) -> list[Change]:
    """The ``limit`` latest changes per kind of record, merged; two queries per kind and one
    for the people, however long the trail."""
    rows = []
    for model, kind, scope in SOURCES:
        events = list(
            model.objects.filter(**{scope: local_ids})
            .select_related("pgh_context")
            .order_by("-pgh_id")[:limit]
        )
        previous = _previous_versions(model, events)
        for event in events:
            rows.append((kind, event, previous.get(event.pgh_id)))
    user_ids = {
        (event.pgh_context.metadata or {}).get("user")
        for _kind, event, _before in rows
        if event.pgh_context_id
    }
    emails = dict(User.objects.filter(pk__in=user_ids - {None}).values_list("pk", "email"))
    changes = [_change(kind, event, before, emails) for kind, event, before in rows]
    changes.sort(key=lambda change: change.at, reverse=True)
    return changes[:limit]


def _previous_versions(model, events) -> dict:
    """For each event, the event of the same record just before it."""
    if not events:
        return {}
    object_ids = {event.pgh_obj_id for event in events}
    history: dict[int, list] = {}
    for event in model.objects.filter(pgh_obj_id__in=object_ids).order_by("pgh_id"):
        history.setdefault(event.pgh_obj_id, []).append(event)
    previous = {}
    for versions in history.values():
        for before, after in zip(versions, versions[1:], strict=False):
            previous[after.pgh_id] = before
    return previous


def _change(kind, event, before, emails) -> Change:
    metadata = (event.pgh_context.metadata if event.pgh_context_id else None) or {}
    names = [f.name for f in event._meta.fields if f.name not in IGNORED]
    fields = []
    for name in names:
        attname = event._meta.get_field(name).attname
        new = getattr(event, attname)
        old = getattr(before, attname) if before else None
        if event.pgh_label == "update" and old == new:
            continue
        fields.append((str(event._meta.get_field(name).verbose_name), old, new))
    return Change(
        at=event.pgh_created_at,
        kind=str(kind),
        label=event.pgh_label,
        object_id=event.pgh_obj_id,
        who=emails.get(metadata.get("user"), ""),
        url=metadata.get("url", ""),
        fields=fields,
    )
