"""The demands' models, one module per topic. Everything is importable from ``demands.models``
as before: the other apps and the migrations import from here."""

from .amendment import Amendment, AmendmentQuerySet
from .coalition import (
    AdoptionRule,
    CoalitionError,
    DecisionAnswer,
    DecisionRequest,
    DecisionRequestQuerySet,
)
from .demand import Demand, EditConflict, TransitionError
from .fields import (
    ASSESSMENT_FIELDS,
    ASSESSMENT_HELP,
    PUBLIC_FIELDS,
    REVISION_FIELDS,
    TEXT_FIELDS,
)
from .querysets import DemandQuerySet
from .records import DemandComment, DemandEndorsement, DemandRevision, DemandTransition
from .target import Target, TargetQuerySet

__all__ = [
    "AdoptionRule",
    "Amendment",
    "AmendmentQuerySet",
    "CoalitionError",
    "DecisionAnswer",
    "DecisionRequest",
    "DecisionRequestQuerySet",
    "ASSESSMENT_FIELDS",
    "ASSESSMENT_HELP",
    "PUBLIC_FIELDS",
    "REVISION_FIELDS",
    "TEXT_FIELDS",
    "Demand",
    "DemandComment",
    "DemandEndorsement",
    "DemandQuerySet",
    "DemandRevision",
    "DemandTransition",
    "EditConflict",
    "Target",
    "TargetQuerySet",
    "TransitionError",
]
