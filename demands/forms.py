from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.versioning import VersionedForm
from partners.models import Organisation

from .models import (
    ASSESSMENT_FIELDS,
    REVISION_FIELDS,
    AdoptionRule,
    DecisionAnswer,
    Demand,
    DemandComment,
    Target,
)

LEADER_FIELDS = ["category", "priority", "coauthors", "shared_with", "decision_makers"]


class DemandForm(forms.ModelForm):
    """The co-authored text and assessment; leaders also set category, sharing and targets.

    ``version`` is the version the editor started from: a save from an older one is refused.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Demand
        fields = REVISION_FIELDS + LEADER_FIELDS
        widgets = {
            "coauthors": forms.CheckboxSelectMultiple,
            "shared_with": forms.CheckboxSelectMultiple,
            "decision_makers": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, campaign, leader: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)
        if leader:
            organisations = Organisation.objects.filter(local_id=campaign.local_id)
            self.fields["coauthors"].queryset = organisations
            self.fields["shared_with"].queryset = organisations
            self.fields["decision_makers"].queryset = Target.objects.filter(campaign=campaign)
        else:
            for name in LEADER_FIELDS:
                del self.fields[name]

    def text_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in REVISION_FIELDS}

    @property
    def assessment_fields(self):
        return [self[name] for name in ASSESSMENT_FIELDS]

    @property
    def text_fields(self):
        return [self[name] for name in REVISION_FIELDS if name not in ASSESSMENT_FIELDS]

    @property
    def leader_fields(self):
        return [self[name] for name in LEADER_FIELDS if name in self.fields]


class NewDemandForm(forms.ModelForm):
    class Meta:
        model = Demand
        fields = ["campaign", "title", "summary", "problem", "solution", "category", "priority"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.led_by(user)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = None


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=Demand.Status.choices)
    why = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Say why the status changes: the reason is recorded.")},
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = DemandComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class TargetForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Target
        fields = [
            "campaign",
            "name",
            "kind",
            "power",
            "alignment",
            "cares_about",
            "sources",
            "influences",
            "organisations",
        ]
        widgets = {
            "power": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "influences": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.led_by(user)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].empty_label = None
        local_ids = campaigns.values("local_id")
        self.fields["organisations"].queryset = Organisation.objects.filter(local_id__in=local_ids)
        targets = Target.objects.filter(campaign__in=campaigns)
        if self.instance.pk:
            targets = targets.exclude(pk=self.instance.pk)
        self.fields["influences"].queryset = targets

    def clean_power(self) -> int:
        power = self.cleaned_data["power"]
        if not 1 <= power <= 5:
            raise forms.ValidationError(_("Power runs from 1 (little) to 5 (decides)."))
        return power

    def clean(self):
        data = super().clean()
        campaign = data.get("campaign")
        if campaign:
            for target in data.get("influences") or []:
                if target.campaign_id != campaign.pk:
                    self.add_error("influences", _("Choose targets of the same campaign."))
                    break
        return data


class FromFindingForm(forms.Form):
    """The campaign a finding becomes a demand of, among its organisation's local's."""

    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), empty_label=None
    )

    def __init__(self, *args, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(local=local)


# The coalition decides together ---------------------------------------------------------

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DecisionRequestForm(forms.Form):
    """Which of the organisations sharing the demand are asked, and by when (local time)."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations asked"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one organisation to ask.")},
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=DATETIME,
        help_text=_("In the local’s time zone. Organisations can change their answer until then."),
    )
    question = forms.CharField(
        label=_("What the organisations are asked"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organisation.objects.filter(pk__in=demand.deciding_organisation_ids())
        self.fields["organisations"].queryset = queryset.order_by("name")
        if not self.is_bound:
            self.initial["organisations"] = list(queryset)


class DecisionAnswerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Answering for"), queryset=Organisation.objects.none(), empty_label=None
    )
    choice = forms.ChoiceField(
        label=_("Your organisation’s decision"),
        choices=DecisionAnswer.Choice.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for your organisation’s answer.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )


class EndRequestForm(forms.Form):
    why = forms.CharField(
        label=_("Why"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AdoptionRuleForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = AdoptionRule
        fields = ["no_coauthor_objection", "min_agreeing_percent"]
        widgets = {"min_agreeing_percent": forms.NumberInput(attrs={"min": 0, "max": 100})}


class AmendmentForm(forms.Form):
    """New text for the demand's fields, against the version the partner started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    organisation = forms.ModelChoiceField(
        label=_("Proposed by"), queryset=Organisation.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Why this change"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the demand should change.")},
    )

    def __init__(self, *args, demand: Demand, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        for name in REVISION_FIELDS:
            model_field = Demand._meta.get_field(name)
            self.fields[name] = model_field.formfield()
            self.fields[name].required = name == "title"
            if not self.is_bound:
                self.initial[name] = getattr(demand, name)
        if not self.is_bound:
            self.initial["version"] = demand.version

    def text_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in REVISION_FIELDS}

    @property
    def text_fields(self):
        return [self[name] for name in REVISION_FIELDS]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is declined"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the amendment is declined.")},
    )


class MergeForm(forms.Form):
    kept = forms.ModelChoiceField(
        label=_("Keep this demand"), queryset=Demand.objects.none(), empty_label=None
    )

    def __init__(self, *args, demand: Demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].queryset = (
            Demand.objects.filter(campaign_id=demand.campaign_id, merged_into__isnull=True)
            .exclude(pk=demand.pk)
            .order_by("title")
        )
