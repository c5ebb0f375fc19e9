from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Webhook


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What it is for"), max_length=100)
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("A year"))],
        initial=90,
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        initial=True,
        help_text=_("A read-only token cannot record attendances or add people."),
    )


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("We POST a signed JSON document here for each event."),
    )
    events = forms.MultipleChoiceField(
        label=_("Tell it of"),
        # Signatures come with petitions, which the app does not have yet.
        choices=[c for c in Webhook.Event.choices if c[0] != Webhook.Event.SIGNATURE],
        widget=forms.CheckboxSelectMultiple,
    )
