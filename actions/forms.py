from __future__ import annotations

import re
import time
from datetime import date, timedelta

from django import forms
from django.core import signing
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns.forms import PhoneField
from campaigns.models import Building
from campaigns.pickers import MultiplePickerField
from campaigns.versioning import VersionedForm
from demands.models import Demand, Target
from partners.models import Organisation

from .ladder import Window
from .models import Action, Evaluation, Tactic, normalise_phone

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TacticForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Tactic
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Tactic.objects.filter(campaign=self.campaign, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("The ladder already has a tactic with this name."))
        return name


class ActionForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "tactic",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "buildings",
            "target",
            "demands",
            "escalates_crisis",
            "escalates_target",
            "escalates_voice",
            "escalates_base",
            "is_public",
            "turnout_goal",
            "invited_organisations",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
        }
        help_texts = {"turnout_goal": _("How many people you aim to bring.")}

    # A large local has a thousand buildings, 150 demands and 200 partners: type to choose.
    buildings = MultiplePickerField.for_model_field(Action, "buildings", "buildings", kinds=True)
    demands = MultiplePickerField.for_model_field(Action, "demands", "demands")
    invited_organisations = MultiplePickerField.for_model_field(
        Action, "invited_organisations", "organisations"
    )
    record_as_past = forms.BooleanField(
        label=_("Yes, record it as a past action"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("No reminders are sent for an action that has already taken place."),
    )
    change_reason = forms.CharField(
        label=_("Why the time changes"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent with the new time to everyone who is coming."),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        if not self.instance.pk:
            del self.fields["change_reason"]
        # The question about a past date and the reason for a move sit next to the times.
        order = list(self.Meta.fields)
        order[order.index("ends_at") + 1 : order.index("ends_at") + 1] = [
            "record_as_past",
            "change_reason",
        ]
        self.order_fields(order)
        self.fields["tactic"].queryset = Tactic.objects.filter(campaign=campaign)
        self.fields["tactic"].required = True
        self.fields["buildings"].limit(
            Building.objects.filter(local_id=campaign.local_id), scope=campaign.local_id
        )
        self.fields["target"].queryset = Target.objects.filter(campaign=campaign)
        self.fields["demands"].limit(Demand.objects.filter(campaign=campaign), scope=campaign.pk)
        self.fields["invited_organisations"].limit(
            Organisation.objects.filter(local_id=campaign.local_id), scope=campaign.local_id
        )
        for name in ["starts_at", "ends_at"]:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end is before the start. Check the dates and times."))
        new_time = not self.instance.pk or "starts_at" in self.changed_data
        if starts and new_time and starts <= timezone.now():
            if not cleaned.get("record_as_past"):
                # Ask, with the box now visible, rather than quietly scheduling the past.
                self.fields["record_as_past"].widget = forms.CheckboxInput()
                self.add_error(
                    "record_as_past",
                    _("This date has passed: record it as a past action? Tick the box to confirm."),
                )
        elif (
            self.instance.pk
            and "starts_at" in self.changed_data
            and not cleaned.get("change_reason", "").strip()
        ):
            self.add_error(
                "change_reason",
                _("Say why the time changes: everyone who is coming is told."),
            )
        return cleaned

    @property
    def records_the_past(self) -> bool:
        starts = self.cleaned_data.get("starts_at")
        return bool(starts and starts <= timezone.now())


class CancelActionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it cancelled?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone who is coming gets a notice with these words."),
    )


class EvaluationForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["turnout", "effect", "why"]
        widgets = {"effect": forms.RadioSelect, "why": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "effect": _("Did it help, hinder or have no effect?"),
            "why": _("Why? What did we learn?"),
        }


class PartnerRsvpForm(forms.Form):
    names = forms.CharField(
        label=_("Who from your organisation is coming?"),
        help_text=_(
            "One person per line: the name, then a comma and their email or phone if you have "
            "it, e.g. “Maria Lopez, maria@example.org”. With a contact they get a confirmation "
            "and the reminders."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_names(self) -> list[dict]:
        people, problems = [], []
        lines = [line.strip() for line in self.cleaned_data["names"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            name, *contacts = [part.strip() for part in re.split(r"[,;\t]", line)]
            person = {"name": name, "email": "", "phone": ""}
            for contact in filter(None, contacts):
                if "@" in contact:
                    try:
                        validate_email(contact)
                    except forms.ValidationError:
                        problems.append(
                            _("Line %(n)s: “%(text)s” is not an email address.")
                            % {"n": number, "text": contact}
                        )
                        continue
                    person["email"] = contact.lower()
                elif phone := normalise_phone(contact):
                    person["phone"] = phone
                else:
                    problems.append(
                        _("Line %(n)s: “%(text)s” is neither an email address nor a phone number.")
                        % {"n": number, "text": contact}
                    )
            if not name:
                problems.append(_("Line %(n)s has no name.") % {"n": number})
            elif len(name) > 200:
                problems.append(
                    _("Line %(n)s: the name is longer than 200 characters.") % {"n": number}
                )
            people.append(person)
        if problems:
            raise forms.ValidationError(problems)
        if not people:
            raise forms.ValidationError(_("Type at least one name."))
        if len(people) > 200:
            raise forms.ValidationError(_("Add at most 200 names at a time."))
        return people


RSVP_SALT = "actions.rsvp-form"
# A person whose browser fills the form in sends it within a second or two, so the time stamp
# only catches scripts that post at once; the hidden field does most of the work. A form sent
# faster than this is not refused: it comes back, as filled in, to be sent once more.
RSVP_MIN_SECONDS = 1
RSVP_MAX_AGE = 60 * 60 * 6


class PublicRsvpForm(forms.Form):
    """The public RSVP form. Spam protection without a third party: a field humans do not see
    (bots fill it), and a signed time stamp (bots submit in under a few seconds, or replay an
    old form). Rate limits per address and per email live in the view."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    phone = PhoneField(label=_("Phone (optional)"))
    consent = forms.BooleanField(
        label=_("You may contact me about this campaign"),
        required=False,
        help_text=_("Without it we only use your email for reminders about this action."),
    )
    # Named and marked so that browsers and password managers do not fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, action_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_pk = action_pk
        if not self.is_bound:
            self.initial["issued"] = signing.dumps(
                {"a": action_pk, "t": time.time()}, salt=RSVP_SALT
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your answer could not be saved. Please try again."))
        try:
            issued = signing.loads(cleaned.get("issued", ""), salt=RSVP_SALT, max_age=RSVP_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form has expired. Please reload the page and try again.")
            ) from None
        if issued.get("a") != self.action_pk:
            raise forms.ValidationError(_("Your answer could not be saved. Please try again."))
        if time.time() - issued.get("t", 0) < RSVP_MIN_SECONDS:
            # Keep what was typed and stamp the form afresh, so one more press sends it.
            self.data = self.data.copy()
            self.data["issued"] = signing.dumps(
                {"a": self.action_pk, "t": time.time()}, salt=RSVP_SALT
            )
            raise forms.ValidationError(
                _("Please check your answer and press the button once more.")
            )
        return cleaned


class ReminderSettingsForm(forms.Form):
    offsets = forms.CharField(
        label=_("Send reminders this long before each action"),
        help_text=_(
            "Separate with commas; use d for days, h for hours, m for minutes, e.g. "
            "“7d, 1d, 2h”. Between 10 minutes and 60 days; at most 5."
        ),
        max_length=100,
    )

    UNITS = {"d": 24 * 60, "h": 60, "m": 1}

    def clean_offsets(self) -> list[int]:
        text = self.cleaned_data["offsets"]
        minutes = []
        for part in [p.strip().lower() for p in text.split(",") if p.strip()]:
            match = re.fullmatch(r"(-?\d+)\s*([dhm])", part)
            if not match:
                raise forms.ValidationError(
                    _("“%(part)s” is not a time like 7d, 2h or 30m.") % {"part": part}
                )
            value = int(match.group(1)) * self.UNITS[match.group(2)]
            if value < 10:
                raise forms.ValidationError(
                    _("“%(part)s”: reminders go out at least 10 minutes before, never after.")
                    % {"part": part}
                )
            if value > 60 * 24 * 60:
                raise forms.ValidationError(
                    _("“%(part)s” is more than 60 days before.") % {"part": part}
                )
            minutes.append(value)
        if not minutes:
            raise forms.ValidationError(_("Give at least one time."))
        if len(set(minutes)) > 5:
            raise forms.ValidationError(
                ngettext("At most %(n)d reminder.", "At most %(n)d reminders.", 5) % {"n": 5}
            )
        return sorted(set(minutes), reverse=True)


def format_offsets(minutes: list[int]) -> str:
    parts = []
    for value in minutes:
        if value % (24 * 60) == 0:
            parts.append(f"{value // (24 * 60)}d")
        elif value % 60 == 0:
            parts.append(f"{value // 60}h")
        else:
            parts.append(f"{value}m")
    return ", ".join(parts)


class LadderFilterForm(forms.Form):
    """The ladder's dates and level. A chosen start or end wins over the named span."""

    SPANS = {
        "soon": _("This week and next"),
        "week": _("This week"),
        "month": _("Next 30 days"),
        "past": _("Past"),
        "all": _("All dates"),
    }

    when = forms.ChoiceField(choices=list(SPANS.items()), required=False, widget=forms.HiddenInput)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    level = forms.TypedChoiceField(label=_("Level"), required=False, coerce=int, empty_value=None)

    def __init__(self, data, *, tactics):
        super().__init__(data)
        self.fields["level"].choices = [("", _("All levels"))] + [
            (tactic.position, str(tactic)) for tactic in tactics
        ]

    def span(self) -> str:
        """The named span in force: empty when the dates were chosen by hand."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") or data.get("end"):
            return ""
        return data.get("when") or "soon"

    def window(self, today: date) -> Window:
        data = self.cleaned_data if self.is_valid() else {}
        level = data.get("level")
        span = self.span()
        monday = today - timedelta(days=today.weekday())
        if not span:
            first, last = data.get("start"), data.get("end")
            if first and last and last < first:
                first, last = last, first
            return Window(first, last, level)
        if span == "week":
            return Window(monday, monday + timedelta(days=6), level)
        if span == "month":
            return Window(today, today + timedelta(days=30), level)
        if span == "past":
            return Window(None, today - timedelta(days=1), level, newest_first=True)
        if span == "all":
            return Window(None, None, level)
        return Window(monday, monday + timedelta(days=13), level)
