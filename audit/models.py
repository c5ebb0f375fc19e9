"""Who changed what: an audit trail of members, roles, building assignments, demands and
bargaining proposals.

django-pghistory writes each change from a PostgreSQL trigger, so bulk updates and raw SQL are
recorded as well as ordinary saves; its middleware attaches the signed-in user and the address
of the request to every change. On SQLite (the zero-setup development database) triggers are not
installed and the trail stays empty: the page says so.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.db import models

from accounts.models import Membership
from bargaining.models import Proposal, ProposalVersion
from campaigns.models import Member
from demands.models import Demand


def _track(model, name: str, by_local: bool = False, attrs=None, triggers=()):
    # The trail reads events newest first, a moment at a time (audit/trail.py), so each table
    # has an index on the time, led by the local where the event carries it.
    columns = ["local", "pgh_created_at"] if by_local else ["pgh_created_at"]
    return pghistory.create_event_model(
        model,
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=name,
        attrs=attrs,
        meta={
            "indexes": [
                # Covering: counting and grouping a bulk change reads only the index.
                models.Index(
                    fields=columns,
                    include=["pgh_context", "pgh_id"],
                    name=f"audit_{name.lower()[:18]}_at",
                )
            ],
            "triggers": list(triggers),
        },
        app_label="audit",
        abstract=False,
        obj_field=pghistory.ObjForeignKey(
            on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", null=True
        ),
    )


def _local_column() -> dict:
    return {
        "local": models.ForeignKey(
            "campaigns.Local",
            on_delete=models.DO_NOTHING,
            db_constraint=False,
            null=True,
            related_name="+",
            # The index on (local, time) serves every lookup by local.
            db_index=False,
        )
    }


def _local_trigger(name: str, local_of_new_row: str) -> pgtrigger.Trigger:
    """Sets an event's local as the event is written, from a query over ``NEW``."""
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Insert,
        when=pgtrigger.Before,
        func=f"NEW.local_id := ({local_of_new_row}); RETURN NEW;",
    )


def _track_with_local(model, name: str, trigger: str, local_of_new_row: str):
    """An event table of a model that does not name its local: each event carries it, set as
    the event is written, so that the trail of one local reads its own events through the
    index on (local, time) instead of every local's, joined to what leads to the local."""
    return _track(
        model,
        name,
        by_local=True,
        attrs=_local_column(),
        triggers=[_local_trigger(trigger, local_of_new_row)],
    )


MemberEvent = _track(Member, "MemberEvent", by_local=True)
MembershipEvent = _track(Membership, "MembershipEvent", by_local=True)
BuildingAssignmentEvent = _track_with_local(
    Membership.buildings.through,
    "BuildingAssignmentEvent",
    "assignment_event_local",
    "SELECT local_id FROM campaigns_building WHERE id = NEW.building_id",
)
DemandEvent = _track_with_local(
    Demand,
    "DemandEvent",
    "demand_event_local",
    "SELECT local_id FROM campaigns_campaign WHERE id = NEW.campaign_id",
)
ProposalEvent = _track_with_local(
    Proposal,
    "ProposalEvent",
    "proposal_event_local",
    "SELECT local_id FROM campaigns_campaign WHERE id = NEW.campaign_id",
)
ProposalVersionEvent = _track_with_local(
    ProposalVersion,
    "ProposalVersionEvent",
    "proposal_version_event_local",
    "SELECT c.local_id FROM bargaining_proposal p JOIN campaigns_campaign c "
    "ON c.id = p.campaign_id WHERE p.id = NEW.proposal_id",
)
