from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from campaigns.models import Building
from campaigns.pickers import MultiplePickerField, PickerField
from partners.models import Organisation

from .languages import interface_choices
from .models import Invitation, Membership, Role, User


class LanguageField(forms.ChoiceField):
    """One of the interface's languages, each named in itself ("Español")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Language"))
        super().__init__(choices=interface_choices, **kwargs)


class AccountForm(forms.ModelForm):
    """What a person sets about themselves: their name and the language they read."""

    language = LanguageField(help_text=_("The pages and every email you get use this language."))

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.language:
            # Not chosen yet: the pages follow the browser, so offer what they show now.
            self.initial["language"] = translation.get_language()


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
        self.fields["organisation"].limit(Organisation.objects.filter(local=local), scope=local.pk)

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


class AcceptInvitationForm(forms.Form):
    """A new person names themselves and sets a password; the link proved their email."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form without the reset link in the password's help text: the page
    offers it after the button, so the keyboard goes from email straight to password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
