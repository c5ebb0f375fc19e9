"""The team pages' forms: inviting someone to a local, and filtering its people."""

from django import forms
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.forms import LanguageField
from accounts.models import Invitation, Membership, Role

from ..models import Building
from ..pickers import MultiplePickerField, PickerField


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.RadioSelect)
    buildings = MultiplePickerField(
        "buildings", kinds=True, label=_("Buildings (for a steward)"), required=False
    )
    organisation = PickerField(
        "organisations", label=_("Organisation (for a partner)"), required=False
    )
    # Not required: a form posted without it (an older page) invites in the site's default.
    language = LanguageField(
        required=False,
        help_text=_("The invitation is written in it, and their account starts with it."),
    )

    def __init__(self, *args, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.local = local
        self.fields["language"].initial = translation.get_language()
        self.fields["buildings"].limit(Building.objects.filter(local=local), scope=local.pk)
        # The local's organisations through its reverse relation: partners come after campaigns.
        self.fields["organisation"].limit(local.organisations.all(), scope=local.pk)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if Membership.objects.filter(local=self.local, user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person already has a role in this local."))
        if Invitation.objects.pending().filter(local=self.local, email__iexact=email).exists():
            raise forms.ValidationError(
                _("An invitation to this address is still pending. Resend it from the list.")
            )
        return email

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.STEWARD and not data.get("buildings"):
            self.add_error("buildings", _("Choose at least one building for a steward."))
        if role == Role.PARTNER and not data.get("organisation"):
            self.add_error("organisation", _("Choose the partner's organisation."))
        return data


class PeopleFilterForm(forms.Form):
    """The People page's search and filters, read from the query string."""

    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Every role")), *Role.choices], required=False
    )
    building = PickerField("buildings", label=_("Building"), required=False)

    def __init__(self, *args, local, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].widget.empty_label = _("Any building")
        self.fields["building"].limit(Building.objects.filter(local=local), scope=local.pk)

    def filter(self, memberships):
        """The memberships that match; a filter that does not validate is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        words = (data.get("q") or "").split()
        for word in words[:6]:
            memberships = memberships.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
            )
        if data.get("role"):
            memberships = memberships.filter(role=data["role"])
        if data.get("building"):
            memberships = memberships.filter(buildings=data["building"])
        return memberships

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("q", "role", "building"))
