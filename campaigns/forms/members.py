"""Buildings, members and what stewards record about them."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.languages import language_name, member_choices

from ..assessment import ELEMENTS, SCORES, STATEMENTS
from ..models import (
    MEMBER_SORTS,
    Building,
    Conversation,
    Member,
    StructureTest,
    StructureTestParticipation,
    TenMinuteMeeting,
)
from ..pickers import PickerField
from ..versioning import VersionedForm
from .fields import DateInput, PhoneField, PlainSelect


class BuildingForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "kind", "address"]


class MemberForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "first_name",
            "last_name",
            "building",
            "employee_id",
            "work_email",
            "personal_email",
            "phone",
            "job_class",
            "preferred_language",
            "support_level",
            "tags",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"phone": PhoneField}

    # A local has up to a thousand buildings: type to choose rather than scroll a select.
    building = PickerField.for_model_field(Member, "building", "buildings", required=True)

    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        help_text=_("Emails to this member are written in it when the app speaks it."),
    )

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].limit(buildings, scope=self.instance.local_id)
        # Each language named in itself; the roster's words for one we do not know stay a
        # choice, so saving the form keeps them until a leader picks the right language.
        self.fields["preferred_language"].choices = member_choices(self.instance.preferred_language)

    def _taken(self, **lookup) -> bool:
        others = Member.objects.filter(local_id=self.instance.local_id, **lookup)
        return others.exclude(pk=self.instance.pk).exists()

    # The database refuses a second member with the same key in a local; say so on the form.
    def clean_employee_id(self):
        value = self.cleaned_data["employee_id"].strip()
        if value and self._taken(employee_id=value):
            raise forms.ValidationError(_("Another member of this local has this employee id."))
        return value

    def clean_work_email(self):
        value = self.cleaned_data["work_email"].strip()
        if value and self._taken(work_email__iexact=value):
            raise forms.ValidationError(_("Another member of this local has this work email."))
        return value


class MemberFilterForm(forms.Form):
    """The member list's search, filters and order, read from the query string. Whatever is
    not valid is ignored (a filter left over from an old link never empties the list)."""

    CONTACT_CHOICES = [
        ("", _("Any time")),
        ("never", _("Never contacted")),
        ("over", _("Not in the last 30 days")),
        ("within", _("In the last 30 days")),
    ]
    LEFT_CHOICES = [
        ("", _("Current members")),
        ("1", _("Current and who left")),
        ("only", _("Only who left")),
    ]

    q = forms.CharField(
        label=_("Name, employee id, email, phone or building"),
        required=False,
        widget=forms.SearchInput,
    )
    building = forms.TypedChoiceField(
        label=_("Building"), coerce=int, empty_value=None, required=False, widget=PlainSelect
    )
    level = forms.ChoiceField(label=_("Support level"), required=False, widget=PlainSelect)
    contact = forms.ChoiceField(
        label=_("Last contact"), choices=CONTACT_CHOICES, required=False, widget=PlainSelect
    )
    test = forms.ChoiceField(label=_("Structure test"), required=False, widget=PlainSelect)
    language = forms.ChoiceField(label=_("Language"), required=False, widget=PlainSelect)
    left = forms.ChoiceField(
        label=_("Who left"), choices=LEFT_CHOICES, required=False, widget=PlainSelect
    )

    def __init__(self, data, *, members, buildings, tests, languages):
        super().__init__(data)
        self.members = members
        # (id, name) pairs rather than a model instance per building: a local has up to 1,000.
        self.fields["building"].choices = [
            ("", _("All buildings")),
            *buildings.order_by("name").values_list("pk", "name"),
        ]
        self.fields["level"].choices = [
            ("", _("Any")),
            *Member.SupportLevel.choices,
            ("none", _("Not assessed")),
        ]
        self.fields["test"].choices = [("", _("Any"))] + [
            choice
            for test in tests
            for choice in (
                (str(test.pk), _("Took part: %(test)s") % {"test": test.name}),
                (f"not-{test.pk}", _("Did not take part: %(test)s") % {"test": test.name}),
            )
        ]
        self.fields["language"].choices = [("", _("Any"))] + [
            (lang, language_name(lang)) for lang in languages
        ]

    def clean(self):
        cleaned = super().clean()
        # One bad value drops only its own filter.
        for name in list(self.errors):
            cleaned[name] = self.fields[name].initial
        return cleaned

    @property
    def is_filtering(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    @property
    def order(self) -> str:
        key = (self.data.get("sort") or "name").strip()
        return key if key.removeprefix("-") in MEMBER_SORTS else "name"

    @staticmethod
    def _took_part(members, test: str):
        """Members who took part in structure test "<id>", or did not ("not-<id>")."""
        if not test:
            return members
        took = StructureTestParticipation.objects.filter(test_id=int(test.removeprefix("not-")))
        if test.startswith("not-"):
            return members.exclude(pk__in=took.values("member_id"))
        return members.filter(pk__in=took.values("member_id"))

    def filtered(self):
        """The members the filters choose, in the chosen order."""
        values = self.cleaned_data if self.is_bound and self.is_valid() else {}
        members = self.members
        if values.get("q"):
            members = members.search(values["q"])
        if values.get("building"):
            members = members.filter(building_id=values["building"])
        level = values.get("level")
        if level == "none":
            members = members.filter(support_level__isnull=True)
        elif level:
            members = members.filter(support_level=int(level))
        if values.get("contact"):
            members = members.contacted(values["contact"])
        members = self._took_part(members, values.get("test", ""))
        if values.get("language"):
            members = members.filter(preferred_language=values["language"])
        left = values.get("left", "")
        if left == "only":
            members = members.filter(left_at__isnull=False)
        elif left != "1":
            members = members.current()
        return members.sorted_by(self.order)


class ConversationForm(forms.ModelForm):
    class Meta:
        model = Conversation
        fields = ["held_on", "outcome", "issues", "ask", "answer", "support_level"]
        widgets = {
            "held_on": DateInput(),
            "issues": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = Conversation.Outcome.choices
        self.fields["support_level"].choices = [
            ("", _("Not assessed this time")),
            *Member.SupportLevel.choices,
        ]
        self.fields["ask"].widget.attrs["placeholder"] = _("e.g. sign the petition")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The conversation cannot be in the future."))
        return held_on


class StructureTestForm(forms.ModelForm):
    class Meta:
        model = StructureTest
        fields = ["name", "held_on", "description"]
        widgets = {"held_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = TenMinuteMeeting
        fields = ["held_on", "agenda", "attendees", "questions"]
        widgets = {
            "held_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "questions": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, building, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Member.objects.current().filter(building=building)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Log a meeting after it happened, not before."))
        return held_on


class AssessmentForm(VersionedForm, forms.Form):
    """Scores of one date; ``versioned`` is that date's saved assessment, if any."""

    taken_on = forms.DateField(label=_("Date"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"taken_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        for statement in STATEMENTS:
            self.fields[statement.key] = forms.TypedChoiceField(
                label=statement.text,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect,
            )

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise forms.ValidationError(_("The assessment date cannot be in the future."))
        return taken_on

    def fields_for(self, element: str):
        return [self[s.key] for s in STATEMENTS if s.element == element]

    @property
    def sections(self):
        return [(label, self.fields_for(code)) for code, label in ELEMENTS]

    @staticmethod
    def values_from(assessment) -> dict:
        return {"taken_on": assessment.taken_on, "notes": assessment.notes, **assessment.scores}

    def values_of(self, row) -> dict:
        return self.values_from(row)

    def expected_version_for(self, taken_on) -> int:
        """The version the person saw, if they are saving the date the form was opened at;
        otherwise they expect no assessment on that date yet."""
        base = self.base or {}
        return self.expected_version if base.get("taken_on") == taken_on.isoformat() else 0

    @property
    def scores(self) -> dict[str, int]:
        return {s.key: self.cleaned_data[s.key] for s in STATEMENTS}
