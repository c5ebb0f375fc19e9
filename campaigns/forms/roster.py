"""Uploading a roster and deciding how it is imported."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import (
    Local,
)
from ..roster import FIELDS, MAX_BYTES, REQUIRED


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
