"""Version checks for every form two people can have open at once.

A versioned row carries a number that each save increments. A form remembers the version it
was opened at and the values it showed (signed, in hidden fields). A save writes only the
fields the person changed, and only if nobody saved since: the check and the write are one
UPDATE, so two saves at once cannot both win. A stale save gets the merge page: fields only
the other person changed keep their value, fields only this person changed keep theirs, and
fields both changed are shown side by side (what both started from, what is saved now, what
this person typed) for the person to keep either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslatedVirtualField

SALT = "campaigns.versioning.base"
VERSION_FIELD = "edit_version"
BASE_FIELD = "edit_base"
KEEP_PREFIX = "keep_"


class EditConflict(Exception):
    """Someone else saved the row since this edit began; ``current`` is the row as saved."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


class Versioned(models.Model):
    """A row two people can edit at once: ``edit()`` refuses a save from an older version."""

    version = models.PositiveIntegerField(default=1, editable=False)

    # The field that records who saved last, when the model has one.
    edited_by_field: str | None = None

    class Meta:
        abstract = True

    def edit(self, *, expected_version: int, by=None, **changes) -> None:
        """Write ``changes`` if nobody saved since ``expected_version``.

        Many-to-many fields are set in the same transaction, and so are translations
        (django-modeltrans's virtual fields, ``summary_es``), which live in the row's ``i18n``;
        an empty one is removed, so it reads as missing. Raises EditConflict carrying the row
        as it is in the database now; nothing is written then.
        """
        model = type(self)
        if self.edited_by_field and by is not None:
            changes[self.edited_by_field] = by
        columns, relations, translations = {}, {}, {}
        for name, value in changes.items():
            field = self._meta.get_field(name)
            if isinstance(field, TranslatedVirtualField):
                translations[name] = value
            else:
                (relations if field.many_to_many else columns)[name] = value
        for field in self._meta.concrete_fields:
            if getattr(field, "auto_now", False):
                columns[field.name] = timezone.now()
        with transaction.atomic():
            updated = model._default_manager.filter(pk=self.pk, version=expected_version).update(
                version=models.F("version") + 1, **columns
            )
            if not updated:
                raise EditConflict(model._default_manager.get(pk=self.pk))
            if translations:
                self._write_translations(translations)
            for name, value in relations.items():
                getattr(self, name).set(value)
            # The form already put all its values on this object, including fields the person
            # did not change that someone else may have: reload what is saved.
            self.refresh_from_db(fields=[f.attname for f in self._meta.concrete_fields])
            # What a saved edit causes (the public page following a public item, say) commits
            # with it: a model says so in its ``edited`` method.
            edited = getattr(self, "edited", None)
            if edited is not None:
                edited(by=by)

    def _write_translations(self, translations: dict) -> None:
        """Merge translations into the saved ``i18n``: the version UPDATE just locked the row,
        so what is read here is what this edit replaces, and no other save slips between."""
        rows = type(self)._default_manager.filter(pk=self.pk)
        i18n = dict(rows.values_list("i18n", flat=True).get() or {})
        for key, value in translations.items():
            value = (value or "").strip()
            if value:
                i18n[key] = value
            else:
                i18n.pop(key, None)
        rows.update(i18n=i18n)

    @classmethod
    def create_or_edit(cls, *, lookup: dict, values: dict, changes, by, expected_version: int):
        """The one row for ``lookup`` (a campaign's assessment of a day, an action's
        evaluation): created from ``values`` if there is none, else edited with ``changes``
        (a dict, or a function of the saved row giving one) at ``expected_version``. Two first
        saves at once do not both create: the second raises EditConflict like a stale edit."""
        row = cls._default_manager.filter(**lookup).first()
        if row is None:
            if cls.edited_by_field and by is not None:
                values = {**values, cls.edited_by_field: by}
            try:
                with transaction.atomic():
                    return cls._default_manager.create(**lookup, **values)
            except IntegrityError:
                raise EditConflict(cls._default_manager.get(**lookup)) from None
        row.edit(
            expected_version=expected_version,
            by=by,
            **(changes(row) if callable(changes) else changes),
        )
        return row


def _canon(field: forms.Field, value):
    """A comparable, JSON-safe form of a value as the form field understands it, so that what
    the form showed, what was typed and what is saved now compare equal when they mean the
    same (a building and its id, a date and its ISO text, "" and None)."""
    try:
        value = field.to_python(field.prepare_value(value))
    except (ValidationError, TypeError, ValueError):
        value = str(value)
    if isinstance(field, forms.ModelMultipleChoiceField):
        value = sorted(str(getattr(item, "pk", item)) for item in value or [])
    elif isinstance(field, forms.ModelChoiceField):
        value = "" if value is None else str(getattr(value, "pk", value))
    elif isinstance(field, forms.MultipleChoiceField):
        value = sorted(str(item) for item in value or [])
    elif value is None:
        value = ""
    elif isinstance(value, datetime):
        # Forms do not carry microseconds, and show times in the local's zone: the same
        # moment compares equal whatever zone it was read in.
        value = value.replace(microsecond=0)
        if timezone.is_aware(value):
            value = value.astimezone(UTC)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _python(field: forms.Field, canon):
    """The value back from its comparable form (a date from its ISO text), for display."""
    if hasattr(field, "choices"):
        return None  # shown by its label
    try:
        return field.to_python(canon)
    except (ValidationError, TypeError, ValueError):
        return None


def _choice_labels(field: forms.Field) -> dict[str, str]:
    labels = {}
    for key, label in field.choices:
        if isinstance(label, list | tuple):
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def _display(field: forms.Field, canon, value) -> str:
    """How a person reads a value: choice labels rather than ids, dates in their format."""
    if hasattr(field, "choices"):
        labels = _choice_labels(field)
        items = canon if isinstance(canon, list) else [canon]
        return ", ".join(labels.get(str(item), str(item)) for item in items if item != "")
    if isinstance(value, datetime):
        return formats.localize(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, date):
        return formats.localize(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "" if canon is None else str(canon)


@dataclass(frozen=True)
class FieldConflict:
    """A field both people changed: what both started from, what is saved, what was typed."""

    name: str
    label: str
    started: str
    theirs: str
    yours: str


@dataclass(frozen=True)
class Merge:
    form: forms.BaseForm
    conflicts: list[FieldConflict]
    taken: list[str]
    kept: list[str]


class VersionedForm(forms.BaseForm):
    """A form mixin that carries the version the editor started from and the values shown.

    Put it before ``forms.ModelForm`` (or ``forms.Form``). ModelForms read the version and the
    saved values from their instance; other forms pass ``versioned=`` (the row or None) and
    override ``values_of()``.
    """

    def __new__(cls, *args, **kwargs):
        # The keyword arguments the view gave (a campaign, the buildings to choose from...),
        # so that forms for the saved row and for the merge can be built the same way.
        form = super().__new__(cls)
        form._kwargs = {
            k: v for k, v in kwargs.items() if k not in {"data", "files", "instance", "versioned"}
        }
        return form

    def __init__(self, *args, versioned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.versioned = versioned if versioned is not None else getattr(self, "instance", None)
        # Not required: a client that does not send the version (a script, a page from before
        # versions) saves against the version loaded now, as every form did before.
        self.fields[VERSION_FIELD] = forms.IntegerField(
            widget=forms.HiddenInput, min_value=0, required=False
        )
        self.fields[BASE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial[VERSION_FIELD] = self.current_version(self.versioned)
            # Computed when the page is rendered, after subclasses have added their fields.
            self.initial[BASE_FIELD] = lambda: self.sign(self.snapshot(self.shown_values()))

    # What is compared ------------------------------------------------------------------

    @property
    def versioned_names(self) -> list[str]:
        """The fields that are saved on the row; a model form's extra fields (a reason, a
        confirmation box) are about this one save and are not compared."""
        names = [name for name in self.fields if name not in (VERSION_FIELD, BASE_FIELD)]
        if isinstance(self, forms.BaseModelForm):
            stored = {field.name for field in self.instance._meta.get_fields()}
            names = [name for name in names if name in stored]
        return names

    @staticmethod
    def current_version(row) -> int:
        """0 stands for "there was nothing saved yet"."""
        return getattr(row, "version", 0) if row is not None and row.pk else 0

    def shown_values(self) -> dict:
        return {name: self[name].initial for name in self.versioned_names}

    def values_of(self, row) -> dict:
        """The values a fresh form for ``row`` would show."""
        return self.fresh(row).shown_values()

    def fresh(self, row, **overrides) -> VersionedForm:
        kwargs = {**self._kwargs, **overrides}
        if isinstance(self, forms.BaseModelForm):
            return type(self)(instance=row, **kwargs)
        return type(self)(versioned=row, **kwargs)

    def snapshot(self, values: dict) -> dict:
        return {name: _canon(self.fields[name], values.get(name)) for name in self.versioned_names}

    @staticmethod
    def sign(snapshot: dict) -> str:
        return signing.dumps(snapshot, salt=SALT, compress=True)

    @property
    def base(self) -> dict | None:
        """What the form showed when it was opened; None if the page did not say."""
        try:
            return signing.loads(self.cleaned_data.get(BASE_FIELD) or "", salt=SALT)
        except signing.BadSignature:
            return None

    @property
    def expected_version(self) -> int:
        sent = self.cleaned_data.get(VERSION_FIELD)
        return self.current_version(self.versioned) if sent is None else sent

    def kept_theirs(self, name: str) -> bool:
        return self.data.get(f"{KEEP_PREFIX}{name}") == "theirs"

    def yours(self) -> dict:
        return self.snapshot(self.cleaned_data)

    def changed_names(self) -> list[str]:
        """Fields this person changed since the form was opened (all of them if unknown)."""
        base, yours = self.base, self.yours()
        return [
            name
            for name in self.versioned_names
            if (base is None or yours[name] != base.get(name)) and not self.kept_theirs(name)
        ]

    def changes(self) -> dict:
        """The changed fields as the model stores them, for ``Versioned.edit()``."""
        return {name: self.cleaned_data[name] for name in self.changed_names()}

    # The merge -------------------------------------------------------------------------

    def merge(self, current) -> Merge:
        """The form to show after a stale save, holding theirs where only they changed a
        field and yours where you did, ready to be saved against the current version."""
        theirs_values = self.values_of(current)
        theirs = self.snapshot(theirs_values)
        base = self.base or {}
        yours = self.yours()
        mine, conflicts, taken = {}, [], []
        for name in self.versioned_names:
            if yours[name] == theirs[name] or self.kept_theirs(name):
                continue
            field = self.fields[name]
            started = base.get(name, theirs[name])
            if self.base is not None and yours[name] == started:
                taken.append(str(field.label))
                continue
            mine[name] = self.cleaned_data[name]
            if self.base is None or theirs[name] != started:
                conflicts.append(
                    FieldConflict(
                        name=name,
                        label=str(field.label),
                        started=_display(field, started, _python(field, started))
                        if name in base
                        else "",
                        theirs=_display(field, theirs[name], theirs_values[name]),
                        yours=_display(field, yours[name], self.cleaned_data[name]),
                    )
                )
        initial = {**(self._kwargs.get("initial") or {}), **theirs_values, **mine}
        merged = self.fresh(current, initial=initial)
        merged.initial[VERSION_FIELD] = self.current_version(current)
        merged.initial[BASE_FIELD] = self.sign(theirs)
        kept = [str(self.fields[n].label) for n in mine if n not in {c.name for c in conflicts}]
        return Merge(form=merged, conflicts=conflicts, taken=taken, kept=kept)


def merge_page(request, form: VersionedForm, current, *, template: str, context: dict):
    """Render the edit page again as the merge page, with status 409."""
    merge = form.merge(current)
    return render(
        request,
        template,
        {**context, "form": merge.form, "merge": merge},
        status=409,
    )


def save_or_merge(request, form: VersionedForm, row: Versioned, *, template: str, context: dict):
    """Save what the person changed to ``row``; None when saved, else the merge page."""
    try:
        row.edit(expected_version=form.expected_version, by=request.user, **form.changes())
    except EditConflict as conflict:
        return merge_page(request, form, conflict.current, template=template, context=context)
    return None
