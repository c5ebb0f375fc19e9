from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from campaigns.models import Building, Campaign, Member
from campaigns.pickers import PickerField
from campaigns.versioning import VersionedForm
from reach.models import Petition
from surveys.models import Survey

from .composing import SURVEY_PLACEHOLDER
from .models import Broadcast, BroadcastSettings, BroadcastText

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT_PREFIXES = ("subject_", "body_")


class TextsForm(VersionedForm, forms.ModelForm):
    """A broadcast's subject and message per language (the default language's is needed),
    saved with a version check: a second person saving the same draft gets the merge page."""

    def add_text_fields(self) -> None:
        texts = {}
        if self.instance.pk:
            texts = {t.language: t for t in self.instance.texts.all()}
        for code, _label in settings.LANGUAGES:
            label = translation.get_language_info(code)["name_translated"]
            text = texts.get(code)
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": label},
                max_length=200,
                required=False,
                initial=text.subject if text else "",
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": label},
                widget=forms.Textarea(attrs={"rows": 8}),
                required=False,
                initial=text.body if text else "",
                help_text=self.body_help,
            )

    body_help = _("Plain text. Links are counted when readers follow them.")

    @property
    def versioned_names(self) -> list[str]:
        texts = [name for name in self.fields if name.startswith(TEXT_PREFIXES)]
        return [*super().versioned_names, *texts]

    def uses_survey_link(self) -> bool:
        return any(
            SURVEY_PLACEHOLDER in (self.cleaned_data.get(f"body_{code}") or "")
            for code, _label in settings.LANGUAGES
        )

    def clean(self):
        cleaned = super().clean()
        for code, _label in settings.LANGUAGES:
            subject, body = cleaned.get(f"subject_{code}"), cleaned.get(f"body_{code}")
            if bool(subject) != bool(body):
                self.add_error(
                    f"body_{code}" if subject else f"subject_{code}",
                    _("Write both the subject and the message, or neither."),
                )
        default = cleaned.get("default_language")
        if default and not cleaned.get(f"subject_{default}"):
            self.add_error(
                f"subject_{default}", _("The default language needs a subject and a message.")
            )
        return cleaned

    def _save_texts(self, broadcast: Broadcast, languages) -> None:
        for code in languages:
            subject = self.cleaned_data.get(f"subject_{code}")
            if subject:
                BroadcastText.objects.update_or_create(
                    broadcast=broadcast,
                    language=code,
                    defaults={"subject": subject, "body": self.cleaned_data[f"body_{code}"]},
                )
            else:
                BroadcastText.objects.filter(broadcast=broadcast, language=code).delete()

    def prepare(self, broadcast: Broadcast) -> None:
        """What the form sets that the person does not choose (the campaign, the sender)."""
        broadcast.campaign = self.campaign

    def save(self, *, by=None) -> Broadcast:
        """A new draft, with its texts."""
        broadcast = super().save(commit=False)
        self.prepare(broadcast)
        if broadcast.created_by_id is None:
            broadcast.created_by = by
        with transaction.atomic():
            broadcast.save()
            self._save_texts(broadcast, [code for code, _label in settings.LANGUAGES])
        return broadcast

    def save_edits(self, *, by) -> Broadcast:
        """What this person changed, if nobody saved the draft since they opened it; raises
        EditConflict (nothing written) otherwise."""
        changed = self.changed_names()
        fields = {n: self.cleaned_data[n] for n in changed if not n.startswith(TEXT_PREFIXES)}
        languages = [
            code
            for code, _label in settings.LANGUAGES
            if f"subject_{code}" in changed or f"body_{code}" in changed
        ]
        broadcast = self.instance
        with transaction.atomic():
            broadcast.edit(expected_version=self.expected_version, by=by, **fields)
            self._save_texts(broadcast, languages)
        return broadcast


class BroadcastForm(TextsForm):
    """The union's broadcast: the segment, and a subject and message per language."""

    class Meta:
        model = Broadcast
        fields = [
            "name",
            "audience",
            "building",
            "support_level",
            "member_language",
            "tag",
            "action",
            "petition",
            "survey",
            "default_language",
        ]

    body_help = _(
        "Plain text. Links are counted when readers follow them. In a members' broadcast, "
        "{survey_link} becomes each member's own link to the survey chosen above."
    )
    building = PickerField.for_model_field(Broadcast, "building", "buildings", required=False)
    support_level = forms.TypedChoiceField(
        label=_("Support level"),
        choices=[("", _("Any"))] + list(Member.SupportLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    member_language = forms.ChoiceField(label=_("Preferred language"), required=False)

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        local = campaign.local
        self.fields["audience"].choices = [
            (value, label)
            for value, label in Broadcast.Audience.choices
            if value != Broadcast.Audience.PARTNER_SUPPORTERS
        ]
        self.fields["building"].limit(Building.objects.filter(local=local), scope=local.pk)
        self.fields["building"].help_text = _("Members only. Empty: every building.")
        spoken = (
            Member.objects.filter(local=local, preferred_language__gt="")
            .order_by("preferred_language")
            .values_list("preferred_language", flat=True)
            .distinct()
        )
        self.fields["member_language"].choices = [("", _("Any"))] + [(s, s) for s in spoken]
        self.fields["member_language"].help_text = _("Members only, as the roster spells it.")
        self.fields["tag"].help_text = _("Members only: those whose tags include this word.")
        self.fields["action"].queryset = Action.objects.filter(campaign=campaign).order_by(
            "-starts_at"
        )
        self.fields["action"].required = False
        self.fields["petition"].queryset = Petition.objects.filter(campaign=campaign).order_by(
            "-created_at"
        )
        self.fields["survey"].queryset = Survey.objects.filter(
            campaign=campaign, audience=Survey.Audience.MEMBERS, status=Survey.Status.OPEN
        ).order_by("-created_at")
        self.add_text_fields()

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        members = audience == Broadcast.Audience.MEMBERS
        if audience == Broadcast.Audience.PETITION_SIGNERS and not cleaned.get("petition"):
            self.add_error("petition", _("Choose the petition whose signers get it."))
        if self.uses_survey_link():
            if not members:
                self.add_error(
                    "survey",
                    _(
                        "{survey_link} is each member's own link: only a broadcast to members "
                        "can have it. Take it out of the message, or send to members."
                    ),
                )
            elif not cleaned.get("survey"):
                self.add_error("survey", _("Choose the open survey {survey_link} leads to."))
        elif cleaned.get("survey"):
            self.add_error(
                "survey",
                _("Put {survey_link} in the message where each member's link goes."),
            )
        return cleaned


class PartnerBroadcastForm(TextsForm):
    """A partner organisation's broadcast: always to the supporters it brought who agreed to
    its updates, never to anyone else."""

    class Meta:
        model = Broadcast
        fields = ["name", "campaign", "default_language"]

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        campaigns = Campaign.objects.filter(local_id=organisation.local_id)
        self.fields["campaign"].queryset = campaigns
        self.fields["campaign"].label = _("Campaign")
        self.fields["campaign"].empty_label = None
        self.fields["campaign"].help_text = _("The campaign of the union your update is part of.")
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("campaign", campaigns.values_list("pk", flat=True).first())
        self.add_text_fields()

    def clean(self):
        cleaned = super().clean()
        # The audience is not the partner's to choose: a request naming another one (or
        # another organisation) is refused rather than quietly sent elsewhere.
        audience = self.data.get("audience", Broadcast.Audience.PARTNER_SUPPORTERS)
        organisation = self.data.get("organisation", str(self.organisation.pk))
        if audience != Broadcast.Audience.PARTNER_SUPPORTERS or organisation != str(
            self.organisation.pk
        ):
            raise forms.ValidationError(
                _("Your broadcasts go to the supporters your organisation brought, and only them.")
            )
        if self.uses_survey_link():
            self.add_error(
                None,
                _(
                    "{survey_link} is a member's own survey link: only the union's broadcasts "
                    "to members can have it."
                ),
            )
        return cleaned

    def prepare(self, broadcast: Broadcast) -> None:
        broadcast.organisation = self.organisation
        broadcast.audience = Broadcast.Audience.PARTNER_SUPPORTERS


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at"),
        required=False,
        widget=DATETIME_WIDGET,
        help_text=_("In the local's time. Empty: send now."),
    )

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at is not None and send_at < timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return send_at


class BroadcastSettingsForm(forms.ModelForm):
    class Meta:
        model = BroadcastSettings
        fields = ["track_people", "text_template"]
        widgets = {"text_template": forms.Textarea(attrs={"rows": 3})}
