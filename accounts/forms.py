from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .languages import interface_choices
from .models import User


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
