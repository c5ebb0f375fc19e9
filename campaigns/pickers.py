"""Type-to-search pickers: buildings and members here, and whatever other apps register.

A picker replaces a long select or checkbox list. Without JavaScript it is a plain form: the
chosen records as ticked checkboxes (or radio buttons), a text search that submits the form
and lists the matches as more boxes to tick, and, for buildings, one box per kind of school.
``static/js/picker.js`` turns the same markup into an ARIA combobox with removable chips that
asks ``pickers:search`` (a JSON endpoint scoped to the signed-in person) as one types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.http import Http404, JsonResponse
from django.template import loader
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from .models import Building, Folded, Member

# How many matches a search shows; the person types more to narrow it.
MATCHES = 20
KIND_PREFIX = "kind:"


def folded_search(field: str) -> Callable[[models.QuerySet, str], models.QuerySet]:
    """A search on one text field, every word matching, accents and case folded."""

    def search(queryset: models.QuerySet, term: str) -> models.QuerySet:
        matches = models.Q()
        for word in term.split()[:6]:
            matches &= models.Q(folded__contains=Folded(models.Value(word)))
        return queryset.alias(folded=Folded(field)).filter(matches).order_by(field, "pk")

    return search


@dataclass(frozen=True)
class Source:
    """One kind of record a picker chooses: how to scope, search and describe it. Each app
    offers its own records (``register``): buildings and members here, demands in demands,
    organisations in partners."""

    key: str
    model: type[models.Model]
    search_label: Any
    button_label: Any  # the plain form's search button: unique on a page of several pickers
    scope_param: str  # the URL parameter (and field) that narrows it to a local or campaign
    find: Callable[[models.QuerySet, str], models.QuerySet]
    # The words a person chooses by, and a hint that tells two alike apart.
    describe: Callable[[Any], tuple[str, str]] = lambda record: (record.name, "")
    related: tuple[str, ...] = ()

    def visible(self, user) -> models.QuerySet:
        return self.model._default_manager.visible_to(user)

    def search(self, queryset: models.QuerySet, term: str) -> models.QuerySet:
        term = term.strip()
        if not term:
            return queryset.none()
        return self.find(queryset.select_related(*self.related), term)


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    """Offer an app's records to pickers; each app calls it once, from its AppConfig.ready."""
    SOURCES[source.key] = source


def source_for(key: str) -> Source:
    try:
        return SOURCES[key]
    except KeyError:
        raise ImproperlyConfigured(f"No picker source {key!r} is registered.") from None


register(
    Source(
        "buildings",
        Building,
        _("Search buildings by name"),
        _("Find buildings"),
        "local",
        folded_search("name"),
        describe=lambda building: (building.name, building.get_kind_display()),
    )
)
register(
    Source(
        "members",
        Member,
        _("Search members by name or employee id"),
        _("Find members"),
        "local",
        lambda queryset, term: queryset.search(term).order_by("last_name", "first_name"),
        describe=lambda member: (member.name, member.building.name if member.building_id else ""),
        related=("building",),
    )
)


def search(source: Source, user, term: str, scope: str | None = None) -> tuple[list, bool]:
    """The first matches the person may see, and whether there are more."""
    queryset = source.visible(user)
    if scope and scope.isdigit():
        queryset = queryset.filter(**{f"{source.scope_param}_id": int(scope)})
    found = list(source.search(queryset, term)[: MATCHES + 1])
    return found[:MATCHES], len(found) > MATCHES


class PickerWidget(forms.Widget):
    template_name = "includes/picker.html"
    use_fieldset = True

    def __init__(
        self, source: str, *, multiple: bool, kinds: bool = False, empty_label=None, attrs=None
    ):
        super().__init__(attrs)
        # A single optional choice offers "none" as a radio button of its own, the only way
        # to clear a choice without JavaScript.
        self.empty_label = empty_label
        self.source_key = source
        self.multiple = multiple
        self.kinds = kinds
        self.queryset: models.QuerySet | None = None
        self.scope: int | None = None
        self.term = ""
        self.searching = False

    @property
    def source(self) -> Source:
        return source_for(self.source_key)

    def value_from_datadict(self, data, files, name):
        # The search typed into the plain form travels with the rest of the form; the widget
        # keeps it so that rendering lists its matches, and the field refuses to count the
        # submission as the real one (see PickerFieldMixin.clean).
        self.term = (data.get(f"{name}__q") or "").strip()[:100]
        self.searching = f"{name}__search" in data
        if self.multiple:
            return [value for value in data.getlist(name) if value]
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}__q" not in data

    def format_value(self, value):
        # A bound form gives the submitted strings; an unbound model form gives the instance's
        # records (or their ids).
        if value is None or value == "":
            return []
        if not isinstance(value, list | tuple | set | models.QuerySet):
            value = [value]
        return [str(getattr(v, "pk", v)) for v in value]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = context["widget"]["value"]
        ids = [int(v) for v in values if str(v).isdigit()]
        chosen_kinds = {v[len(KIND_PREFIX) :] for v in values if str(v).startswith(KIND_PREFIX)}
        queryset = self.queryset if self.queryset is not None else self.source.model.objects
        chosen = [
            self._option(r)
            for r in queryset.filter(pk__in=ids).select_related(*self.source.related)
        ]
        matches = []
        if self.term:
            found = list(self.source.search(queryset, self.term)[: MATCHES + 1])
            matches = [self._option(r) for r in found[:MATCHES] if r.pk not in set(ids)]
            context["widget"]["more"] = len(found) > MATCHES
        kinds = []
        if self.kinds and self.multiple:
            counts = dict(
                queryset.order_by()
                .values_list("kind")
                .annotate(n=models.Count("pk"))
                .values_list("kind", "n")
            )
            kinds = [
                {
                    "value": f"{KIND_PREFIX}{kind}",
                    "label": label,
                    "count": counts[kind],
                    "checked": kind in chosen_kinds,
                }
                for kind, label in Building.Kind.choices
                if counts.get(kind)
            ]
        url = reverse("pickers:search", args=[self.source.key])
        if self.scope is not None:
            url += f"?{self.source.scope_param}={self.scope}"
        context["widget"].update(
            chosen=chosen,
            matches=matches,
            kinds=kinds,
            term=self.term,
            multiple=self.multiple,
            input_type="checkbox" if self.multiple else "radio",
            search_label=self.source.search_label,
            button_label=self.source.button_label,
            empty_label=None if self.multiple else self.empty_label,
            url=url,
        )
        return context

    def _render(self, template_name, context, renderer=None):
        # The markup is a project template (templates/includes/), which the form renderer's
        # own loader does not search.
        return loader.render_to_string(template_name, context)

    def _option(self, record) -> dict:
        label, meta = self.source.describe(record)
        return {"value": str(record.pk), "label": label, "meta": meta}

    def id_for_label(self, id_):
        # The field's name is the fieldset's legend, which points at nothing; the search box
        # has a label of its own.
        return ""


class PickerFieldMixin:
    """A model choice field whose widget is a picker; ``limit`` sets what it chooses from."""

    @classmethod
    def for_model_field(cls, model, name: str, source: str, **kwargs):
        """The picker for a model's field, with the label and help the model gives it."""
        field = model._meta.get_field(name)
        kwargs.setdefault("label", capfirst(field.verbose_name))
        kwargs.setdefault("help_text", field.help_text)
        kwargs.setdefault("required", not field.blank)
        return cls(source, **kwargs)

    def limit(self, queryset: models.QuerySet, scope: int | None = None) -> None:
        self.queryset = queryset
        self.widget.queryset = queryset
        self.widget.scope = scope

    def _check_not_searching(self):
        if self.widget.searching:
            raise ValidationError(
                _("Tick the matches you want, then submit the form."), code="searching"
            )


class MultiplePickerField(PickerFieldMixin, forms.ModelMultipleChoiceField):
    def __init__(self, source: str, *, kinds: bool = False, **kwargs):
        kwargs.setdefault("widget", PickerWidget(source, multiple=True, kinds=kinds))
        super().__init__(queryset=source_for(source).model.objects.none(), **kwargs)

    def clean(self, value):
        self._check_not_searching()
        values = [str(v) for v in value or []]
        kinds = [v[len(KIND_PREFIX) :] for v in values if v.startswith(KIND_PREFIX)]
        ids = [v for v in values if not v.startswith(KIND_PREFIX)]
        chosen = super().clean(ids) if ids or not kinds else self.queryset.none()
        if kinds:
            valid = {choice for choice, _label in Building.Kind.choices}
            if not set(kinds) <= valid:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            chosen = self.queryset.filter(models.Q(pk__in=chosen) | models.Q(kind__in=kinds))
        return chosen


class PickerField(PickerFieldMixin, forms.ModelChoiceField):
    def __init__(self, source: str, **kwargs):
        kwargs.setdefault("widget", PickerWidget(source, multiple=False))
        super().__init__(queryset=source_for(source).model.objects.none(), **kwargs)

    def clean(self, value):
        self._check_not_searching()
        return super().clean(value)


@login_required
@require_GET
def search_view(request, source):
    """The matches for what a person typed, as JSON for picker.js: only records they may see,
    so a steward searching buildings finds only their own."""
    if source not in SOURCES:
        raise Http404
    picked = SOURCES[source]
    found, more = search(
        picked, request.user, request.GET.get("q", "")[:100], request.GET.get(picked.scope_param)
    )
    results = []
    for record in found:
        label, meta = picked.describe(record)
        results.append({"id": record.pk, "label": label, "meta": meta})
    response = JsonResponse({"results": results, "more": more})
    # Member names are personal: the answer is never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


app_name = "pickers"
urlpatterns = [path("<str:source>/", search_view, name="search")]
