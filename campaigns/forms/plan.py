"""The campaign, its plan, milestones, teams and tasks."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ..models import (
    Campaign,
    Milestone,
    Phase,
    Task,
    Team,
)
from ..slugs import suggest_slug
from ..versioning import VersionedForm
from .fields import DateInput


def free_campaign_slug(name: str) -> str:
    """A web address made of ``name`` that no campaign and no fixed page of the app uses."""
    return suggest_slug(name, set(Campaign.objects.values_list("slug", flat=True)))


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "slug", "bargaining_target_date", "summary"]
        widgets = {"bargaining_target_date": DateInput()}

    def __init__(self, *args, locals_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local"] = forms.ModelChoiceField(
            label=_("Local"), queryset=locals_qs, empty_label=None
        )
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in the public page's address. Leave it empty to make one from the name."
        )
        self.order_fields(["local"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name") and "slug" not in self.errors:
            cleaned["slug"] = free_campaign_slug(cleaned["name"])
        return cleaned

    def clean_bargaining_target_date(self):
        target = self.cleaned_data["bargaining_target_date"]
        if target < timezone.localdate():
            raise forms.ValidationError(_("The bargaining target date must be in the future."))
        return target


class PlanForm(VersionedForm, forms.ModelForm):
    """The written plan; beside each section, whether partners may read it."""

    class Meta:
        model = Campaign
        fields = [
            "summary",
            *(
                name
                for section in Campaign.PLAN_SECTIONS
                for name in (section, f"{section}_shared")
            ),
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5}) for name in ["summary", *Campaign.PLAN_SECTIONS]
        }


class MilestoneForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "phase", "notes"]
        widgets = {"due_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(campaign=campaign)


class TeamForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["purpose", "lead", "members"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__local=self.instance.campaign.local_id).distinct()
        self.fields["lead"].queryset = people
        self.fields["members"].queryset = people


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due_on", "assigned_to"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = User.objects.filter(
            pk__in=[*team.members.values_list("pk", flat=True), team.lead_id]
        )
