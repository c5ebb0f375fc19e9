"""Reading a roster into a preview: map the file's columns to members' fields, check every row,
decide about unknown work sites and problem rows, and work out what importing would add, update
or mark as left, without changing anything."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, MaxLengthValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.languages import normalise_language

from ..models import Building, ImportBatch, Local, Member
from ..phones import normalise_phone
from ..roster_files import (
    SYNONYMS,
    Sheet,
    normal_header,
)

# Above this share of the local's current members, marking missing members as left needs the
# leader to type the number.
CONFIRM_SHARE = 0.10
LIST_FIRST = 50

FIELDS = [
    ("employee_id", gettext_lazy("Employee id")),
    ("first_name", gettext_lazy("First name")),
    ("last_name", gettext_lazy("Last name")),
    ("work_email", gettext_lazy("Work email")),
    ("personal_email", gettext_lazy("Personal email")),
    ("phone", gettext_lazy("Phone")),
    ("building", gettext_lazy("Building")),
    ("job_class", gettext_lazy("Job class")),
    ("preferred_language", gettext_lazy("Preferred language")),
]
FIELD_NAMES = [name for name, _label in FIELDS]
REQUIRED = ("first_name", "last_name")
EMAIL_FIELDS = ("work_email", "personal_email")
MAX_LENGTHS = {
    name: Member._meta.get_field(name).max_length for name in FIELD_NAMES if name != "building"
}


def store_sheets(batch: ImportBatch, sheets: list[Sheet]) -> None:
    """Keep the parsed rows in private storage, so later steps never parse the file again."""
    payload = json.dumps([sheet.to_json() for sheet in sheets], ensure_ascii=False)
    batch.sheets = [sheet.summary() for sheet in sheets]
    usable = [index for index, sheet in enumerate(sheets) if not sheet.error]
    batch.sheet = usable[0] if len(usable) == 1 else None
    batch.file.save("roster.json", ContentFile(payload.encode()), save=False)
    batch.save()


def load_sheet(batch: ImportBatch) -> Sheet:
    with batch.file.open("rb") as handle:
        data = json.loads(handle.read())
    return Sheet.from_json(data[batch.sheet or 0])


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Roster field → the file's column, for the columns whose header we recognise."""
    mapping: dict[str, str] = {}
    for name in FIELD_NAMES:
        for header in headers:
            if normal_header(header) in SYNONYMS[name] and header not in mapping.values():
                mapping[name] = header
                break
    return mapping


# The preview --------------------------------------------------------------------------------


@dataclass
class RowError:
    line: int
    name: str
    messages: list[str]

    @property
    def reason(self) -> str:
        return " ".join(str(m) for m in self.messages)


@dataclass
class Preview:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)  # problems not yet skipped
    skipped: list[RowError] = field(default_factory=list)
    to_add: list[dict] = field(default_factory=list)
    # (member pk, the changed fields' new values, the member's name and values before)
    to_update: list[tuple[int, dict]] = field(default_factory=list)
    update_names: dict[int, dict] = field(default_factory=dict)
    unchanged: int = 0
    leaving: list[dict] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    unknown_sites: dict[str, int] = field(default_factory=dict)  # site → rows
    sites_to_create: list[str] = field(default_factory=list)
    current_members: int = 0
    mark_missing: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def leaving_ids(self) -> list[int]:
        return [m["pk"] for m in self.leaving]

    @property
    def needs_confirmation(self) -> bool:
        return len(self.leaving) > self.current_members * CONFIRM_SHARE

    @property
    def leaving_share(self) -> int:
        return round(100 * len(self.leaving) / self.current_members) if self.current_members else 0


def _name(values: dict) -> str:
    return f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()


SKIP = "skip"
CREATE = "create"


# Django's own validators, the ones the member form runs, so that a row the import accepts is one
# the form would accept too.
EMAIL_VALIDATOR = EmailValidator()
LENGTH_VALIDATORS = {
    name: MaxLengthValidator(limit) for name, limit in MAX_LENGTHS.items() if limit
}


def _label(name: str) -> str:
    return str(dict(FIELDS)[name])


def _passes(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _site_decisions(site_choices: dict[str, str], buildings: dict[str, int]) -> dict:
    """The leader's decision per unknown site (folded): a building id of this local, SKIP or
    CREATE; a choice that names a building of another local is ignored."""
    chosen: dict[str, int | str] = {}
    for site, choice in site_choices.items():
        if choice.startswith("building:") and choice[9:].isdigit():
            if int(choice[9:]) in buildings.values():
                chosen[site.casefold()] = int(choice[9:])
        elif choice in (SKIP, CREATE):
            chosen[site.casefold()] = choice
    return chosen


def _row_values(cells: list[str], columns: dict[str, int]) -> dict[str, str]:
    """One line's values by field, stripped, emails in lower case and phones in E.164."""
    values = {
        name: (cells[col] if col < len(cells) else "").strip() for name, col in columns.items()
    }
    for name in EMAIL_FIELDS:
        if name in values:
            values[name] = values[name].lower()
    if "phone" in values:
        values["phone"] = normalise_phone(values["phone"])
    if "preferred_language" in values:
        # "Spanish", "Español" and "es" are one language; words naming none stay as written.
        values["preferred_language"] = normalise_language(values["preferred_language"])
    return values


def _value_problems(values: dict[str, str], extra_cells: bool) -> list[str]:
    """What is wrong with a line on its own: too many cells, a required field missing, nothing
    to match it on next month, an invalid email, a value too long for its field."""
    problems = []
    if extra_cells:
        problems.append(_("This line has more values than the file has columns."))
    for name in REQUIRED:
        if not values.get(name):
            problems.append(_("%(field)s is missing.") % {"field": _label(name)})
    if not values.get("employee_id") and not values.get("work_email"):
        problems.append(_("Neither an employee id nor a work email: cannot match next time."))
    for name in EMAIL_FIELDS:
        if values.get(name) and not _passes(EMAIL_VALIDATOR, values[name]):
            problems.append(
                _("%(field)s “%(value)s” is not an email address.")
                % {"field": _label(name), "value": values[name]}
            )
    for name, validator in LENGTH_VALIDATORS.items():
        if not _passes(validator, values.get(name, "")):
            problems.append(
                _("%(field)s is longer than %(limit)d characters.")
                % {"field": _label(name), "limit": validator.limit_value}
            )
    return problems


@dataclass
class _RowChecker:
    """What checking one line needs to know about the lines before it and about the local."""

    preview: Preview
    buildings: dict[str, int]  # folded name → pk
    chosen: dict[str, int | str]  # folded unknown site → the leader's decision
    by_employee: dict[str, dict]
    by_email: dict[str, dict]
    seen_ids: dict[str, int] = field(default_factory=dict)
    seen_emails: dict[str, int] = field(default_factory=dict)
    matched: set[int] = field(default_factory=set)
    # Members on a skipped line are still on the roster: they are never marked as left.
    kept_back: set[int] = field(default_factory=set)
    skip_lines: set[int] = field(default_factory=set)  # the lines the leader leaves out

    def current(self, values: dict[str, str]) -> dict | None:
        """The member this line is: matched on employee id, else on work email."""
        employee_id = values.get("employee_id", "")
        email = values.get("work_email", "")
        return (self.by_employee.get(employee_id) if employee_id else None) or (
            self.by_email.get(email) if email else None
        )

    def site(self, site: str) -> tuple[int | str | None, bool, list[str]]:
        """(building id or "new:<name>", whether the leader skips the site's rows, problems)."""
        if not site:
            return None, False, [_("Building is missing.")]
        if site.casefold() in self.buildings:
            return self.buildings[site.casefold()], False, []
        unknown = self.preview.unknown_sites
        unknown[site] = unknown.get(site, 0) + 1
        choice = self.chosen.get(site.casefold())
        if choice == SKIP:
            return None, True, []
        if choice == CREATE:
            if site not in self.preview.sites_to_create:
                self.preview.sites_to_create.append(site)
            return f"new:{site}", False, []
        if choice is None:
            return None, False, [_("Unknown building “%(name)s”.") % {"name": site}]
        return choice, False, []

    def duplicates(self, line: int, values: dict[str, str]) -> list[str]:
        """An employee id or a work email that an earlier line of the file already has."""
        problems = []
        employee_id = values.get("employee_id", "")
        email = values.get("work_email", "")
        if employee_id:
            if employee_id in self.seen_ids:
                problems.append(
                    _("Employee id %(id)s is also on line %(line)d.")
                    % {"id": employee_id, "line": self.seen_ids[employee_id]}
                )
            self.seen_ids.setdefault(employee_id, line)
        if email:
            if email in self.seen_emails:
                problems.append(
                    _("Work email %(email)s is also on line %(line)d.")
                    % {"email": email, "line": self.seen_emails[email]}
                )
            self.seen_emails.setdefault(email, line)
        return problems

    def set_aside(self, row: RowError, current: dict | None, *, skipped: bool) -> None:
        (self.preview.skipped if skipped else self.preview.errors).append(row)
        if current is not None:
            self.kept_back.add(current["pk"])

    def compare(self, current: dict | None, new_values: dict) -> None:
        """Count a valid line as an addition, an update (of the fields that differ) or no
        change."""
        if current is None:
            self.preview.to_add.append(new_values)
            return
        self.matched.add(current["pk"])
        changed = {k: v for k, v in new_values.items() if current.get(k) != v}
        # A blank key in this month's file does not erase the key we matched on before.
        for key in ("employee_id", "work_email"):
            if key in changed and not changed[key]:
                del changed[key]
        if current["left_at"] is not None:
            changed["left_at"] = None
        if changed:
            self.preview.to_update.append((current["pk"], changed))
            self.preview.update_names[current["pk"]] = current
        else:
            self.preview.unchanged += 1

    def check(self, line: int, cells: list[str], columns: dict[str, int], width: int) -> None:
        values = _row_values(cells, columns)
        current = self.current(values)
        problems = _value_problems(values, extra_cells=any(cells[width:]))
        building_id, site_skipped = None, False
        if "building" in columns:
            building_id, site_skipped, site_problems = self.site(values["building"])
            problems += site_problems
        problems += self.duplicates(line, values)
        if current is not None and current["pk"] in self.matched and not problems:
            problems.append(_("Matches the same member as an earlier line."))
        if site_skipped:
            reason = _("Unknown building “%(name)s”: its rows are skipped.") % {
                "name": values["building"]
            }
            row = RowError(line=line, name=_name(values), messages=[reason, *problems])
            self.set_aside(row, current, skipped=True)
        elif line in self.skip_lines:
            row = RowError(
                line=line, name=_name(values), messages=[_("Skipped by you."), *problems]
            )
            self.set_aside(row, current, skipped=True)
        elif problems:
            self.set_aside(
                RowError(line=line, name=_name(values), messages=problems), current, skipped=False
            )
        else:
            new_values = {name: values[name] for name in columns if name != "building"}
            if "building" in columns:
                new_values["building_id"] = building_id
            self.compare(current, new_values)


def build_preview(
    local: Local,
    sheet: Sheet,
    mapping: dict[str, str],
    mark_missing: bool = False,
    *,
    site_choices: dict[str, str] | None = None,
    skip_lines: set[int] | None = None,
) -> Preview:
    """Check every row and work out what importing would change, without changing anything.

    ``site_choices`` says, per unknown work site, "building:<id>", "create" or "skip";
    ``skip_lines`` are the lines the leader chose to leave out."""
    headers = sheet.headers
    columns = {name: headers.index(mapping[name]) for name in FIELD_NAMES if mapping.get(name)}
    member_fields = [name for name in columns if name != "building"]
    buildings = {
        name.casefold(): pk
        for pk, name in Building.objects.filter(local=local).values_list("pk", "name")
    }
    existing = list(
        Member.objects.filter(local=local).values(
            "pk", "left_at", "building_id", "first_name", "last_name", *member_fields
        )
    )
    preview = Preview(
        rows=len(sheet.rows),
        fields=member_fields + (["building_id"] if "building" in columns else []),
        current_members=sum(1 for m in existing if m["left_at"] is None),
        mark_missing=mark_missing,
    )
    checker = _RowChecker(
        preview=preview,
        buildings=buildings,
        chosen=_site_decisions(site_choices or {}, buildings),
        by_employee={m["employee_id"]: m for m in existing if m.get("employee_id")},
        by_email={m["work_email"].lower(): m for m in existing if m.get("work_email")},
        skip_lines=skip_lines or set(),
    )
    for line, cells in sheet.rows:
        checker.check(line, cells, columns, len(headers))
    if mark_missing:
        preview.leaving = [
            m
            for m in existing
            if m["left_at"] is None
            and m["pk"] not in checker.matched
            and m["pk"] not in checker.kept_back
        ]
    return preview
