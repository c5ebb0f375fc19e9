"""Fields and widgets the local's forms share."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..phones import display_phone, normalise_phone, parse_phone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhoneField(forms.CharField):
    """A phone number as people type it; cleaned to E.164 and shown back in national format."""

    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    default_error_messages = {
        "invalid": _(
            "“%(value)s” is not a phone number we can dial. Write it with its area code, "
            "e.g. (916) 555-0123, or with + and the country code."
        )
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return display_phone(value) if value and value.startswith("+") else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        if parse_phone(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return normalise_phone(value)


class PlainSelect(forms.Select):
    """A select written out in Python instead of one template per option. The member list's
    building filter has an option per building (1,000 in the largest local), and rendering
    them through Django's option templates took most of the page's time (about 60 of 90 ms at
    the median, measured with cProfile on the 36,000-member bench local)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        # The standard library's escape writes what Django's does (the same five entities)
        # without Django's check of every argument for a lazy string: 2,000 calls for the
        # building filter of the largest local, about a tenth of the member list's time.
        options = "".join(
            f'<option value="{html.escape(key)}"{" selected" if key == chosen else ""}>'
            f"{html.escape(str(label))}</option>"
            for key, label in ((str(option), label) for option, label in self.choices)
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        # Safe: every option's value and label is escaped above.
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308
