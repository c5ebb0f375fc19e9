from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from campaigns.forms import DateInput

from .trail import KINDS, SOURCES, Filters

# A name typed in the "who" box matches at most this many people.
PEOPLE_MATCHED = 200


class TrailFilterForm(forms.Form):
    """The audit trail's filters, from the query string. Dates are the local's days."""

    who = forms.CharField(label=_("Who (name or email)"), required=False, max_length=100)
    record = forms.ChoiceField(
        label=_("Record"),
        required=False,
        # A callable, so that the sources other apps register when they are ready are in.
        choices=lambda: [("", _("Every kind of record")), *[(s.key, s.label) for s in SOURCES]],
    )
    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    kind = forms.ChoiceField(
        label=_("Change"),
        required=False,
        choices=[("", _("Created, changed or deleted")), *KINDS.items()],
    )
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def filters(self, local_ids) -> Filters:
        """The filters to read the trail with; a field that does not validate is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = Filters(local_ids=frozenset(local_ids))
        if data.get("record"):
            filters.record = data["record"]
            filters.record_id = data.get("id")
        filters.kind = data.get("kind") or ""
        zone = timezone.get_current_timezone()
        if data.get("since"):
            filters.since = datetime.combine(data["since"], time.min, tzinfo=zone)
        if data.get("until"):
            next_day = data["until"] + timedelta(days=1)
            filters.until = datetime.combine(next_day, time.min, tzinfo=zone)
        if data.get("who"):
            filters.user_ids = list(self._people(data["who"]))
        return filters

    @staticmethod
    def _people(words: str):
        people = User.objects.all()
        for word in words.split()[:4]:
            people = people.filter(
                Q(email__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        return people.values_list("pk", flat=True)[:PEOPLE_MATCHED]

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("who", "record", "kind", "since", "until"))
