"""The project's form renderer: Django's, with one default for every form's fields."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input

# Inputs where people type free text, in whatever script they write: the browser then sets
# each one's direction from what is typed (an Arabic name in an English form stays readable).
FREE_TEXT_TYPES = {"text", "search"}


class BoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.Textarea) or (
            isinstance(widget, Input)
            and attrs.get("type", widget.attrs.get("type", widget.input_type)) in FREE_TEXT_TYPES
        ):
            attrs.setdefault("dir", "auto")
        return attrs


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField
