"""The demands views, by topic; ``demands/urls.py`` refers to them through this module."""

from .coalition import (
    adoption_rule,
    amendment_accept,
    amendment_decline,
    amendment_detail,
    amendment_propose,
    amendment_rebase,
    amendment_withdraw,
    decision_ask,
    decision_cancel,
    decision_close,
    decision_detail,
    demand_merge,
)
from .demands import (
    demand_create,
    demand_detail,
    demand_edit,
    demand_from_finding,
    demand_history,
    demand_list,
)
from .targets import target_create, target_detail, target_edit, target_list, target_mapping
from .translations import demand_translations
from .workflow import (
    demand_comment,
    demand_endorse,
    demand_publish,
    demand_transition,
    demand_unendorse,
    demand_unpublish,
)

__all__ = [
    "adoption_rule",
    "amendment_accept",
    "amendment_decline",
    "amendment_detail",
    "amendment_propose",
    "amendment_rebase",
    "amendment_withdraw",
    "decision_ask",
    "decision_cancel",
    "decision_close",
    "decision_detail",
    "demand_merge",
    "demand_list",
    "demand_from_finding",
    "demand_create",
    "demand_detail",
    "demand_edit",
    "demand_history",
    "demand_translations",
    "target_list",
    "target_detail",
    "target_mapping",
    "target_create",
    "target_edit",
    "demand_transition",
    "demand_comment",
    "demand_endorse",
    "demand_unendorse",
    "demand_publish",
    "demand_unpublish",
]
