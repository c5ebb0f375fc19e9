"""The petition forms: a leader's petition, the public sign form, a paper sheet's rows and
the delivery record."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.content import language_name
from campaigns.forms import DateInput, PhoneField

SIGN_SALT = "reach.sign-form"
# A person whose browser fills the form sends it after a second or two at the least; a
# script posts at once. A form sent sooner comes back, as filled in, to be sent once more.
SIGN_MIN_SECONDS = 1
SIGN_MAX_AGE = 60 * 60 * 6
# Rows of a paper sheet without JavaScript; with it, Enter on the last row adds one.
PAPER_ROWS = 10
PAPER_MAX_ROWS = 200


class PetitionForm(forms.Form):
    """A petition with its title and statement in each of the local's languages."""

    target = forms.ModelChoiceField(queryset=None, label=_("Target"))
    slug = forms.CharField(
        label=_("Short name"),
        max_length=50,
        validators=[validate_slug],
        help_text=_("Part of the public address: letters, numbers and hyphens."),
    )
    goal = forms.IntegerField(label=_("Signature goal"), min_value=1)
    ends_on = forms.DateField(label=_("Last day to sign"), widget=DateInput())

    def __init__(self, *args, campaign, petition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign, self.petition = campaign, petition
        self.fields["target"].queryset = campaign.targets.all()
        # The interface's languages and the ones the local publishes in (Hmong, say).
        self.codes = list(
            dict.fromkeys(
                [
                    *(code for code, _name in settings.LANGUAGES),
                    *campaign.local.translation_languages,
                ]
            )
        )
        for code in self.codes:
            first = code == settings.LANGUAGE_CODE
            name = language_name(code)
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=200,
                required=first,
                widget=forms.TextInput(attrs={"lang": code, "dir": "auto"}),
            )
            self.fields[f"statement_{code}"] = forms.CharField(
                label=_("Statement (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 6, "lang": code, "dir": "auto"}),
                required=first,
            )
        if petition is not None and not self.is_bound:
            self.initial.update(
                target=petition.target_id,
                slug=petition.slug,
                goal=petition.goal,
                ends_on=petition.ends_on,
            )
            for code in self.codes:
                text = petition.text_for(code)
                if text.language == code:
                    self.initial[f"title_{code}"] = text.title.text
                    self.initial[f"statement_{code}"] = text.statement.text

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        taken = self.campaign.petitions.filter(slug=slug)
        if self.petition is not None:
            taken = taken.exclude(pk=self.petition.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another petition of this campaign has this name."))
        return slug

    def clean(self):
        cleaned = super().clean()
        for code in self.codes:
            title, statement = cleaned.get(f"title_{code}"), cleaned.get(f"statement_{code}")
            if bool(title) != bool(statement):
                self.add_error(
                    f"statement_{code}" if title else f"title_{code}",
                    _("Write both the title and the statement in this language, or neither."),
                )
        return cleaned

    @property
    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (
                self.cleaned_data.get(f"title_{code}", ""),
                self.cleaned_data.get(f"statement_{code}", ""),
            )
            for code in self.codes
        }

    @property
    def fields_for_model(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("target", "slug", "goal", "ends_on")}

    def text_fields(self):
        return [(self[f"title_{code}"], self[f"statement_{code}"]) for code in self.codes]


class SignForm(forms.Form):
    """The public sign form. Spam protection without a third party: a field people do not
    see (bots fill it) and a signed time stamp (bots post at once, or replay an old form).
    The boxes of consent start unticked, always."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your email"),
        help_text=_("We send you a link to confirm your signature."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postcode = forms.CharField(
        label=_("ZIP code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    phone = PhoneField(label=_("Phone (optional)"))
    campaign_updates = forms.BooleanField(required=False, initial=False)
    partner_updates = forms.BooleanField(required=False, initial=False)
    # Named and marked so that browsers and password managers do not fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, petition, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.petition = petition
        local = petition.campaign.local
        self.fields["campaign_updates"].label = self.campaign_wording(local)
        if organisation is None:
            del self.fields["partner_updates"]
        else:
            self.fields["partner_updates"].label = self.partner_wording(organisation)
        if not self.is_bound:
            self.initial["issued"] = self.stamp(petition.pk)

    @staticmethod
    def stamp(petition_pk: int, at: float | None = None) -> str:
        return signing.dumps({"p": petition_pk, "t": at or time.time()}, salt=SIGN_SALT)

    @staticmethod
    def campaign_wording(local) -> str:
        return str(
            _("Send me updates about this campaign from %(local)s by email.")
            % {"local": local.name}
        )

    @staticmethod
    def partner_wording(organisation) -> str:
        return str(
            _("%(organisation)s may email me about its work.") % {"organisation": organisation.name}
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("Your signature could not be saved. Please try again."))
        try:
            issued = signing.loads(cleaned.get("issued", ""), salt=SIGN_SALT, max_age=SIGN_MAX_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form has expired. Please reload the page and try again.")
            ) from None
        if issued.get("p") != self.petition.pk:
            raise forms.ValidationError(_("Your signature could not be saved. Please try again."))
        if time.time() - issued.get("t", 0) < SIGN_MIN_SECONDS:
            self.data = self.data.copy()
            self.data["issued"] = self.stamp(self.petition.pk)
            raise forms.ValidationError(
                _("Please check your signature and press the button once more.")
            )
        return cleaned


class PaperRowForm(forms.Form):
    """One line of a paper sheet. A line left empty is skipped."""

    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    email = forms.EmailField(label=pgettext_lazy("signer", "Email"), required=False)
    postcode = forms.CharField(label=_("ZIP code"), max_length=20, required=False)
    phone = PhoneField(label=_("Phone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("autocomplete", "off")
            field.widget.attrs["data-column"] = name

    def clean(self):
        cleaned = super().clean()
        filled = any(cleaned.get(name) for name in ("email", "postcode", "phone"))
        if filled and not cleaned.get("name"):
            self.add_error("name", _("Write the signer's name."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)


PaperSheet = forms.formset_factory(
    PaperRowForm, extra=PAPER_ROWS, max_num=PAPER_MAX_ROWS, absolute_max=PAPER_MAX_ROWS
)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput())
    delivered_to = forms.CharField(
        label=_("Delivered to"),
        max_length=200,
        help_text=_("Who received it, e.g. the board president at the public meeting."),
    )
    tactic = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Rung on the escalation ladder"),
        empty_label=_("(none)"),
    )

    def __init__(self, *args, petition, **kwargs):
        super().__init__(*args, **kwargs)
        tactics = petition.campaign.tactics.all()
        self.fields["tactic"].queryset = tactics
        if not self.is_bound:
            self.initial["delivered_on"] = timezone.localdate()
            self.initial["delivered_to"] = petition.target.name
            first = tactics.first()
            self.initial["tactic"] = first.pk if first else None

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Record a delivery once it has happened."))
        return day
