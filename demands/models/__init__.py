"""The demands' models, one module per topic. Everything is importable from ``demands.models``
as before: the other apps and the migrations import from here."""

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
