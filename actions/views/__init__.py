"""The actions views, by topic; ``actions/urls.py`` refers to them through this module."""

from .actions import (
    action_cancel,
    action_create,
    action_detail,
    action_edit,
    action_evaluate,
    action_list,
)
from .calendar import calendar, feed
from .ladder import ladder, tactic_delete, tactic_edit, tactic_move, tactics
from .participation import participation, participation_mark, partner_rsvp, partner_rsvp_remove
from .reminders import digest, reminder_retry, reminder_settings, unsubscribe
from .rsvp import public_rsvp, rsvp_cancel
from .translations import action_translations

__all__ = [
    "action_cancel",
    "action_create",
    "action_detail",
    "action_edit",
    "action_evaluate",
    "action_list",
    "action_translations",
    "calendar",
    "feed",
    "ladder",
    "tactic_delete",
    "tactic_edit",
    "tactic_move",
    "tactics",
    "participation",
    "participation_mark",
    "partner_rsvp",
    "partner_rsvp_remove",
    "digest",
    "reminder_retry",
    "reminder_settings",
    "unsubscribe",
    "public_rsvp",
    "rsvp_cancel",
]
