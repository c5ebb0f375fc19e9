from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from campaigns.models import Building, Member
from campaigns.pickers import PickerField

from .models import Broadcast, BroadcastSettings, BroadcastText

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BroadcastForm(forms.ModelForm):
    """The segment and a subject and message per language; the default language's is needed."""

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
            "default_language",
        ]

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
                help_text=_("Plain text. Links are counted when readers follow them."),
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

    def save(self, *, by=None) -> Broadcast:
        broadcast = super().save(commit=False)
        broadcast.campaign = self.campaign
        if broadcast.created_by_id is None:
            broadcast.created_by = by
        broadcast.save()
        for code, _label in settings.LANGUAGES:
            subject = self.cleaned_data.get(f"subject_{code}")
            if subject:
                BroadcastText.objects.update_or_create(
                    broadcast=broadcast,
                    language=code,
                    defaults={"subject": subject, "body": self.cleaned_data[f"body_{code}"]},
                )
            else:
                BroadcastText.objects.filter(broadcast=broadcast, language=code).delete()
        return broadcast


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
