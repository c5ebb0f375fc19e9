"""The actions app's models, one module per topic; every name is importable from here."""

from .action import Action, ActionQuerySet
from .calendar_feed import CalendarFeed
from .evaluation import Evaluation
from .participation import Participation, Rsvp, normalise_phone
from .reminder import (
    DEFAULT_REMINDER_OFFSETS,
    Reminder,
    ReminderQuerySet,
    ReminderSettings,
    Unsubscribe,
)
from .tactic import TOOLKIT_LADDER, Tactic, TacticQuerySet

__all__ = [
    "DEFAULT_REMINDER_OFFSETS",
    "TOOLKIT_LADDER",
    "Action",
    "ActionQuerySet",
    "CalendarFeed",
    "Evaluation",
    "Participation",
    "Reminder",
    "ReminderQuerySet",
    "ReminderSettings",
    "Rsvp",
    "Tactic",
    "TacticQuerySet",
    "Unsubscribe",
    "normalise_phone",
]
