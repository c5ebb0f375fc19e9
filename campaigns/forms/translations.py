"""The form on which leaders write what they publish in each of the local's other languages."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..content import field_key, language_label, language_name


class TranslationsForm(forms.Form):
    """One text box per translated field and language, filled with the saved translation,
    and the version the page was opened at (a stale save is refused, never merged blind)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.item, self.languages = item, languages
        saved = item.i18n or {}
        self.initial.setdefault("version", item.version)
        for language in languages:
            for name in item.TRANSLATED_FIELDS:
                model_field = item._meta.get_field(name)
                long = isinstance(model_field, models.TextField)
                attrs = {"lang": language, "dir": "auto"}
                key = field_key(name, language)
                self.fields[key] = forms.CharField(
                    label=_("%(field)s in %(language)s")
                    % {
                        "field": capfirst(model_field.verbose_name),
                        "language": language_label(language),
                    },
                    required=False,
                    max_length=model_field.max_length,
                    widget=forms.Textarea(attrs={**attrs, "rows": 4})
                    if long
                    else forms.TextInput(attrs=attrs),
                )
                self.initial.setdefault(key, saved.get(key, ""))

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(code, name, fields) for each language: a fieldset each on the page."""
        return [
            (
                language,
                language_name(language),
                [self[field_key(name, language)] for name in self.item.TRANSLATED_FIELDS],
            )
            for language in self.languages
        ]

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            language: {
                name: self.cleaned_data[field_key(name, language)]
                for name in self.item.TRANSLATED_FIELDS
            }
            for language in self.languages
        }
