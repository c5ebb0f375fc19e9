from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from campaigns.content import content_language_choices, field_key, language_label
from campaigns.versioning import VersionedForm
from demands.models import Demand
from partners.forms import MAX_UPLOAD_BYTES, sniff_content_type

from .models import (
    CampaignEvent,
    Commitment,
    ContractArticle,
    Proposal,
    ProposalVersion,
    PublicPage,
    Session,
    TentativeAgreement,
)
from .models.implementation import PLANNED_DEMAND_STATUSES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


class TranslatedFieldsForm(forms.BaseModelForm):
    """A record's form with a box per public text and each of the local's other languages
    (``summary_es``, ``summary_hmn``: django-modeltrans's fields, kept in ``i18n``), under the
    text it translates. An edit saves them with the rest through ``Versioned.edit``, so two
    leaders translating at once get the merge page like any other change."""

    def add_translation_fields(self, local) -> None:
        model = self._meta.model
        saved = self.instance.i18n or {}
        self.translation_names = []
        order = list(self.fields)
        for name in model.TRANSLATED_FIELDS:
            original = model._meta.get_field(name)
            after = order.index(name) + 1
            for language in local.translation_languages:
                key = field_key(name, language)
                field = model._meta.get_field(key).formfield(required=False)
                field.label = _("%(field)s in %(language)s") % {
                    "field": capfirst(original.verbose_name),
                    "language": language_label(language),
                }
                field.help_text = ""
                field.widget.attrs.update({"lang": language, "dir": "auto"})
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 3
                self.fields[key] = field
                self.initial.setdefault(key, saved.get(key, ""))
                order.insert(after, key)
                after += 1
                self.translation_names.append(key)
        self.order_fields(order)

    def save(self, commit=True):
        """A new record's translations, which a model form does not put on it by itself."""
        record = super().save(commit=False)
        i18n = dict(record.i18n or {})
        for key in getattr(self, "translation_names", []):
            value = (self.cleaned_data.get(key) or "").strip()
            if value:
                i18n[key] = value
            else:
                i18n.pop(key, None)
        record.i18n = i18n
        if commit:
            record.save()
            self._save_m2m()
        return record


class SessionForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "starts_at",
            "ends_at",
            "place",
            "is_online",
            "format",
            "status",
            "union_attendees",
            "employer_attendees",
            "member_observers",
            "community_observers",
            "agenda",
            "notes",
            "public_summary",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "format": forms.RadioSelect,
            "union_attendees": SHORT_TEXT,
            "employer_attendees": SHORT_TEXT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.instance.campaign.local.timezone
        for name in ("starts_at", "ends_at"):
            self.fields[name].help_text = _("Local time (%(zone)s).") % {"zone": zone}
        self.add_translation_fields(self.instance.campaign.local)


class ArticleTrackerForm(VersionedForm, forms.ModelForm):
    """The switch of one article on the public tracker, with the version it was shown at."""

    class Meta:
        model = ContractArticle
        fields = ["on_tracker"]


class ArticleForm(TranslatedFieldsForm, forms.ModelForm):
    class Meta:
        model = ContractArticle
        fields = ["number", "title", "on_tracker"]

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.add_translation_fields(campaign.local)

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        taken = ContractArticle.objects.filter(campaign=self.instance.campaign, number=number)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Article %(number)s is already on the list."), params={"number": number}
            )
        return number


class ProposalForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    """A thread on a contract article or a topic, and the demands it carries.

    The demands field accepts any demand the leader can see, so that a demand of another
    campaign gets a message that says so instead of a bare "not a valid choice"; only this
    campaign's demands are offered."""

    class Meta:
        model = Proposal
        fields = ["article", "topic", "demands"]
        widgets = {"demands": forms.CheckboxSelectMultiple}

    def __init__(self, *args, campaign, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.instance.campaign = campaign
        self.fields["article"].queryset = ContractArticle.objects.filter(campaign=campaign)
        self.fields["article"].empty_label = _("No article: a topic")
        demands = self.fields["demands"]
        demands.queryset = Demand.objects.visible_to(user).select_related("campaign")
        demands.widget.choices = [
            (d.pk, d.title) for d in Demand.objects.filter(campaign=campaign).order_by("title")
        ]
        demands.help_text = _("The campaign's demands this proposal carries.")
        self.add_translation_fields(campaign.local)

    def clean_demands(self):
        demands = self.cleaned_data["demands"]
        foreign = [d for d in demands if d.campaign_id != self.campaign.pk]
        if foreign:
            raise forms.ValidationError(
                _(
                    "“%(demand)s” is a demand of another campaign (%(campaign)s). A proposal "
                    "can carry only the demands of %(this)s."
                ),
                params={
                    "demand": foreign[0].title,
                    "campaign": foreign[0].campaign.name,
                    "this": self.campaign.name,
                },
                code="other_campaign",
            )
        return demands


class VersionForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    class Meta:
        model = ProposalVersion
        fields = ["side", "passed_on", "session", "status", "text"]
        widgets = {"passed_on": DATE, "side": forms.RadioSelect}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = ProposalVersion.Side.choices
        self.fields["session"].queryset = Session.objects.filter(campaign=campaign).order_by(
            "-starts_at"
        )
        self.fields["session"].empty_label = _("Not at a session")
        self.add_translation_fields(campaign.local)


class AgreementForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    class Meta:
        model = TentativeAgreement
        fields = [
            "proposal",
            "title",
            "signed_on",
            "union_signatories",
            "employer_signatories",
            "summary",
        ]
        widgets = {"signed_on": DATE}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["proposal"].queryset = Proposal.objects.filter(
            campaign=campaign
        ).select_related("article")
        self.fields["signed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.add_translation_fields(campaign.local)

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        today = timezone.localdate()
        if signed_on > today:
            raise forms.ValidationError(
                _(
                    "A tentative agreement cannot be signed in the future: give the day it "
                    "was signed, today (%(today)s) at the latest."
                )
                % {"today": formats.date_format(today, "DATE_FORMAT")}
            )
        return signed_on


class EventForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    class Meta:
        model = CampaignEvent
        fields = [
            "kind",
            "occurred_on",
            "title",
            "description",
            "declined_dates",
            "votes_yes",
            "votes_no",
        ]
        widgets = {"occurred_on": DATE}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.add_translation_fields(campaign.local)


class PublicPageForm(forms.ModelForm):
    """The switch, the story in each of the local's languages, and which languages the local
    publishes in (a setting of the local, kept here where leaders decide what goes public)."""

    content_languages = forms.MultipleChoiceField(
        label=_("Languages you publish in besides English"),
        choices=content_language_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Demands, actions and the story can then be written in each; the public page "
            "offers each language and marks what is not translated yet."
        ),
    )

    class Meta:
        model = PublicPage
        fields = ["is_on", "story", "content_languages", "tracker_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        local = self.instance.campaign.local
        self.languages = local.translation_languages
        self.fields["content_languages"].initial = self.languages
        saved = self.instance.i18n or {}
        for language in self.languages:
            key = field_key("story", language)
            self.fields[key] = forms.CharField(
                label=_("Story in %(language)s") % {"language": language_label(language)},
                required=False,
                widget=forms.Textarea(attrs={"lang": language, "dir": "auto", "rows": 5}),
                initial=saved.get(key, ""),
            )
        self.order_fields(["is_on", "story", *self.fields])
        # The page's own address rather than a pattern: Django writes help texts unescaped,
        # so "/open/<campaign>/" would be read as an unknown element.
        address = reverse("open:campaign", args=[self.instance.campaign.slug])
        self.fields["is_on"].help_text = format_html(
            gettext("When on, anyone can read what you published at {address}."), address=address
        )

    def story_translations(self) -> dict[str, dict[str, str]]:
        return {
            language: {"story": self.cleaned_data[field_key("story", language)]}
            for language in self.languages
        }


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Compare"), coerce=int)
    b = forms.TypedChoiceField(label=_("with"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (v.number, f"{v.number} · {v.get_side_display()} · {v.passed_on}") for v in versions
        ]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


class CommitmentForm(VersionedForm, TranslatedFieldsForm, forms.ModelForm):
    """A commitment of an implementation plan: what, who, by when, how far, and evidence.
    Two leaders can have it open at once: a stale save gets the merge page."""

    evidence_link = forms.URLField(
        label=_("evidence (a link)"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Commitment
        fields = [
            "demand",
            "agreement",
            "title",
            "owner_kind",
            "owner_name",
            "reminded",
            "due_on",
            "status",
            "evidence_link",
            "evidence_document",
        ]
        widgets = {
            "due_on": DATE,
            "reminded": forms.CheckboxSelectMultiple,
            "evidence_document": forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/png,image/jpeg"}
            ),
        }
        help_texts = {"evidence_document": _("A PDF, PNG or JPEG of at most 5 MB.")}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.campaign = campaign
        self.fields["demand"].queryset = Demand.objects.filter(
            campaign=campaign, status__in=PLANNED_DEMAND_STATUSES
        ).order_by("title")
        self.fields["demand"].empty_label = _("No demand: a tentative agreement")
        self.fields["agreement"].queryset = TentativeAgreement.objects.filter(campaign=campaign)
        self.fields["agreement"].empty_label = _("No agreement: a demand")
        self.fields["reminded"].queryset = (
            get_user_model()
            # Leaders and partner people: the joint committees' members. Stewards are many
            # at a large local, and the leaders carry the union's commitments.
            .objects.filter(
                memberships__local_id=campaign.local_id,
                memberships__role__in=[Role.LEADER, Role.PARTNER],
                is_active=True,
            )
            .distinct()
            .order_by("first_name", "last_name", "email")
        )
        self.fields["reminded"].label_from_instance = lambda user: user.display_name
        self.fields["evidence_link"].label = capfirst(self.fields["evidence_link"].label)
        self.content_type = ""
        self.add_translation_fields(campaign.local)

    @property
    def versioned_names(self) -> list[str]:
        # A document is not compared: a new upload replaces the saved one (``document``).
        return [name for name in super().versioned_names if name != "evidence_document"]

    @property
    def document(self):
        """A new evidence document, False to remove the saved one, None to keep it."""
        if "evidence_document" not in self.changed_data:
            return None
        return self.cleaned_data.get("evidence_document") or False

    def clean_evidence_document(self):
        upload = self.cleaned_data.get("evidence_document")
        if not upload or not hasattr(upload, "content_type"):
            return upload
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("This file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": round(upload.size / 1_048_576, 1),
                    "limit": MAX_UPLOAD_BYTES // 1_048_576,
                }
            )
        content_type = sniff_content_type(upload)
        if content_type is None:
            raise forms.ValidationError(
                _(
                    "This file is not a PDF, PNG or JPEG. Save or scan it as one of those and "
                    "upload it again."
                )
            )
        self.content_type = content_type
        return upload

    def save(self, commit=True):
        commitment = super().save(commit=False)
        if self.content_type:
            commitment.evidence_content_type = self.content_type
        return commitment
