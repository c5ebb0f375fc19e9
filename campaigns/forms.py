from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .assessment import ELEMENTS, SCORES, STATEMENTS
from .models import (
    MEMBER_SORTS,
    Building,
    Campaign,
    Conversation,
    Local,
    Member,
    Milestone,
    Phase,
    StructureTest,
    StructureTestParticipation,
    Task,
    Team,
    TenMinuteMeeting,
)
from .phones import display_phone, normalise_phone, parse_phone
from .pickers import PickerField
from .roster import FIELDS, MAX_BYTES, REQUIRED
from .slugs import suggest_slug
from .versioning import VersionedForm


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


def free_campaign_slug(name: str) -> str:
    """A web address made of ``name`` that no campaign and no fixed page of the app uses."""
    return suggest_slug(name, set(Campaign.objects.values_list("slug", flat=True)))


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "slug", "bargaining_target_date", "summary"]
        widgets = {"bargaining_target_date": DateInput()}

    def __init__(self, *args, locals_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local"] = forms.ModelChoiceField(
            label=_("Local"), queryset=locals_qs, empty_label=None
        )
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in the public page's address. Leave it empty to make one from the name."
        )
        self.order_fields(["local"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name") and "slug" not in self.errors:
            cleaned["slug"] = free_campaign_slug(cleaned["name"])
        return cleaned

    def clean_bargaining_target_date(self):
        target = self.cleaned_data["bargaining_target_date"]
        if target < timezone.localdate():
            raise forms.ValidationError(_("The bargaining target date must be in the future."))
        return target


class PlanForm(VersionedForm, forms.ModelForm):
    """The written plan; beside each section, whether partners may read it."""

    class Meta:
        model = Campaign
        fields = [
            "summary",
            *(
                name
                for section in Campaign.PLAN_SECTIONS
                for name in (section, f"{section}_shared")
            ),
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5}) for name in ["summary", *Campaign.PLAN_SECTIONS]
        }


class MilestoneForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "phase", "notes"]
        widgets = {"due_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(campaign=campaign)


class TeamForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["purpose", "lead", "members"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(memberships__local=self.instance.campaign.local_id).distinct()
        self.fields["lead"].queryset = people
        self.fields["members"].queryset = people


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due_on", "assigned_to"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = User.objects.filter(
            pk__in=[*team.members.values_list("pk", flat=True), team.lead_id]
        )


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

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].limit(buildings, scope=self.instance.local_id)

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


class PlainSelect(forms.Select):
    """A select written out in Python instead of one template per option. The member list's
    building filter has an option per building (1,000 in the largest local), and rendering
    them through Django's option templates took most of the page's time (about 60 of 90 ms at
    the median, measured with cProfile on the 36,000-member bench local)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(option)}"{" selected" if str(option) == chosen else ""}>'
            f"{escape(label)}</option>"
            for option, label in self.choices
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        # Safe: every option's value and label is escaped above.
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308


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
        self.fields["language"].choices = [("", _("Any"))] + [(lang, lang) for lang in languages]

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


class RosterUploadForm(forms.Form):
    local = forms.ModelChoiceField(
        label=_("Local"), queryset=Local.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_(
            "The district's roster export as CSV, Unicode text or Excel .xlsx, up to 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, locals_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local"].queryset = locals_qs
        only = list(locals_qs[:2])
        self.only_local = only[0] if len(only) == 1 else None
        if self.only_local is not None:
            del self.fields["local"]

    @property
    def chosen_local(self) -> Local:
        return self.only_local or self.cleaned_data["local"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 20 MB. Split the roster or remove unused columns.")
            )
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt", ".tsv")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class MappingForm(forms.Form):
    """One select per roster field: which of the file's columns holds it."""

    mark_missing_as_left = forms.BooleanField(
        label=_("Mark members missing from this roster as having left"),
        required=False,
        initial=False,
        help_text=_(
            "Only for a full roster of the whole local. Leave it off for a list of new hires "
            "or of one school."
        ),
    )

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *[(h, h) for h in headers]]
        for name, label in FIELDS:
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.order_fields([name for name, _label in FIELDS])

    def clean(self):
        data = super().clean()
        for name in (*REQUIRED, "building"):
            if not data.get(name):
                self.add_error(name, _("Choose the column that holds this."))
        if not data.get("employee_id") and not data.get("work_email"):
            self.add_error(
                None,
                _("Choose the employee id or the work email column, so members can be matched."),
            )
        used = [data[name] for name, _label in FIELDS if data.get(name)]
        if len(used) != len(set(used)):
            self.add_error(None, _("Each column can hold only one field."))
        return data

    @property
    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _l in FIELDS if self.cleaned_data[name]}


class SheetForm(forms.Form):
    """A workbook with several sheets: which one holds the roster."""

    sheet = forms.TypedChoiceField(
        label=_("Sheet"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args, sheets: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [
            (index, f"{sheet['name']} ({sheet['rows']})")
            for index, sheet in enumerate(sheets)
            if not sheet["error"]
        ]


class ImportDecisionsForm(forms.Form):
    """The preview's decisions: what to do with each unknown work site, which problem rows to
    skip, and (for a big departure) the number of members to mark as left, typed to confirm."""

    skip_all = forms.BooleanField(label=_("Skip every row that has a problem"), required=False)
    confirm = forms.IntegerField(
        label=_("Type the number of members to mark as left"), required=False, min_value=0
    )

    def __init__(
        self, *args, sites: list[str], buildings, offered_lines: list[int], problem_lines, **kwargs
    ):
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("— choose —")),
            *[(f"building:{b.pk}", _("It is %(name)s") % {"name": b.name}) for b in buildings],
            ("create", _("Add it as a new building")),
            ("skip", _("Skip its rows")),
        ]
        self.sites = []
        for index, site in enumerate(sites):
            name = f"site_{index}"
            self.fields[name] = forms.ChoiceField(label=site, choices=choices, required=False)
            self.sites.append((name, site))
        self.offered_lines = offered_lines
        self.problem_lines = problem_lines
        self.fields["skip"] = forms.TypedMultipleChoiceField(
            label=_("Skip these rows"),
            coerce=int,
            required=False,
            choices=[(line, str(line)) for line in offered_lines],
            widget=forms.CheckboxSelectMultiple,
        )

    def site_fields(self):
        return [self[name] for name, _site in self.sites]

    @property
    def site_choices(self) -> dict[str, str]:
        return {
            site: self.cleaned_data[name] for name, site in self.sites if self.cleaned_data[name]
        }

    def skip_lines(self, already: list[int]) -> list[int]:
        """The lines shown with a checkbox follow it; lines not shown keep their choice."""
        lines = (set(already) - set(self.offered_lines)) | set(self.cleaned_data["skip"])
        if self.cleaned_data["skip_all"]:
            lines |= set(self.problem_lines)
        return sorted(lines)


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
