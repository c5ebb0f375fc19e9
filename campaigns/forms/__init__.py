"""The campaigns app's forms, by topic; every form is importable from ``campaigns.forms``."""

from .fields import DateInput, PhoneField, PlainSelect
from .members import (
    AssessmentForm,
    BuildingForm,
    ConversationForm,
    MeetingForm,
    MemberFilterForm,
    MemberForm,
    StructureTestForm,
)
from .plan import CampaignForm, MilestoneForm, PlanForm, TaskForm, TeamForm, free_campaign_slug
from .roster import ImportDecisionsForm, MappingForm, RosterUploadForm, SheetForm
from .translations import TranslationsForm

__all__ = [
    "AssessmentForm",
    "BuildingForm",
    "CampaignForm",
    "ConversationForm",
    "DateInput",
    "ImportDecisionsForm",
    "MappingForm",
    "MeetingForm",
    "MemberFilterForm",
    "MemberForm",
    "MilestoneForm",
    "PhoneField",
    "PlainSelect",
    "PlanForm",
    "RosterUploadForm",
    "SheetForm",
    "StructureTestForm",
    "TaskForm",
    "TeamForm",
    "TranslationsForm",
    "free_campaign_slug",
]
