"""Import a district roster export: read the file, map its columns, preview what would change,
then apply it in one transaction.

Re-importing next month's roster is safe: members are matched on employee id, else on work
email; existing members are updated, new ones added, and members missing from the roster are
marked as having left (never deleted, never duplicated). The view and the benchmark both go
through ``read_roster`` → ``build_preview`` → ``apply_preview``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Building, Local, Member
from .phones import normalise_phone

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000

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

# Header spellings seen in district exports, normalised to lowercase letters and digits.
SYNONYMS = {
    "employee_id": {"employeeid", "empid", "employeenumber", "employeeno", "id", "staffid"},
    "first_name": {"firstname", "first", "givenname", "fname"},
    "last_name": {"lastname", "last", "surname", "familyname", "lname"},
    "work_email": {"workemail", "email", "districtemail", "emailaddress", "email1"},
    "personal_email": {"personalemail", "homeemail", "email2", "otheremail"},
    "phone": {"phone", "cell", "mobile", "phonenumber", "cellphone", "mobilephone"},
    "building": {"building", "site", "school", "worksite", "location", "sitename", "schoolname"},
    "job_class": {"jobclass", "job", "position", "jobtitle", "title", "assignment"},
    "preferred_language": {"language", "preferredlanguage", "homelanguage"},
}


class RosterError(Exception):
    """The file cannot be used at all; the message says why, for the person who uploaded it."""


def read_roster(content: bytes, filename: str = "roster.csv") -> tablib.Dataset:
    if len(content) > MAX_BYTES:
        raise RosterError(
            _("The file is larger than %(mb)d MB. Split the roster or remove unused columns.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if filename.lower().endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(content, format="xlsx")
        except Exception as error:  # noqa: BLE001  (openpyxl raises many kinds)
            raise RosterError(_("This is not a readable Excel file.")) from error
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError as error:
                raise RosterError(
                    _("The file is not text. Export the roster as CSV (UTF-8) and try again.")
                ) from error
        if "\x00" in text:
            raise RosterError(
                _("The file is not text. Export the roster as CSV (UTF-8) and try again.")
            )
        try:
            dataset = tablib.Dataset().load(text, format="csv")
        except tablib.InvalidDimensions as error:
            raise RosterError(
                _("Some rows have more columns than the header row. Check the file's commas.")
            ) from error
        except Exception as error:  # noqa: BLE001  (csv raises several kinds)
            raise RosterError(
                _("The file could not be read as CSV: %(error)s") % {"error": error}
            ) from error
    headers = [str(h or "").strip() for h in (dataset.headers or [])]
    if not any(headers):
        raise RosterError(_("The file is empty or has no header row."))
    if len(set(headers)) != len(headers):
        raise RosterError(_("Two columns have the same header. Give each column its own name."))
    if dataset.height == 0:
        raise RosterError(_("The file has a header row but no members."))
    if dataset.height > MAX_ROWS:
        raise RosterError(_("The file has more than %(rows)d rows.") % {"rows": MAX_ROWS})
    dataset.headers = headers
    return dataset


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Roster field → the file's column, for the columns whose header we recognise."""
    mapping: dict[str, str] = {}
    for name in FIELD_NAMES:
        for header in headers:
            if _normal(header) in SYNONYMS[name] and header not in mapping.values():
                mapping[name] = header
                break
    return mapping


@dataclass
class RowError:
    line: int
    name: str
    messages: list[str]


@dataclass
class Preview:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    to_add: list[dict] = field(default_factory=list)
    to_update: list[tuple[int, dict]] = field(default_factory=list)
    unchanged: int = 0
    leaving_ids: list[int] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def build_preview(
    local: Local, dataset: tablib.Dataset, mapping: dict[str, str], mark_missing: bool = True
) -> Preview:
    """Check every row and work out what importing would change, without changing anything."""
    headers = dataset.headers
    columns = {name: headers.index(mapping[name]) for name in FIELD_NAMES if mapping.get(name)}
    member_fields = [name for name in columns if name != "building"]
    update_fields = member_fields + (["building_id"] if "building" in columns else [])
    buildings = {
        name.casefold(): pk
        for pk, name in Building.objects.filter(local=local).values_list("pk", "name")
    }
    existing = list(
        Member.objects.filter(local=local).values("pk", "left_at", "building_id", *member_fields)
    )
    by_employee = {m["employee_id"]: m for m in existing if m.get("employee_id")}
    by_email = {m["work_email"].lower(): m for m in existing if m.get("work_email")}

    preview = Preview(rows=dataset.height, fields=update_fields)
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    matched: set[int] = set()
    for index, raw in enumerate(dataset, start=2):
        values = {
            name: ("" if raw[col] is None else str(raw[col])).strip()
            for name, col in columns.items()
        }
        for name in EMAIL_FIELDS:
            if name in values:
                values[name] = values[name].lower()
        if "phone" in values:
            values["phone"] = normalise_phone(values["phone"])
        problems = []
        for name in REQUIRED:
            if not values.get(name):
                problems.append(_("%(field)s is missing.") % {"field": dict(FIELDS)[name]})
        employee_id = values.get("employee_id", "")
        email = values.get("work_email", "")
        if not employee_id and not email:
            problems.append(_("Neither an employee id nor a work email: cannot match next time."))
        for name in EMAIL_FIELDS:
            if values.get(name) and not _valid_email(values[name]):
                problems.append(
                    _("%(field)s “%(value)s” is not an email address.")
                    % {"field": dict(FIELDS)[name], "value": values[name]}
                )
        for name, limit in MAX_LENGTHS.items():
            if limit and len(values.get(name, "")) > limit:
                problems.append(
                    _("%(field)s is longer than %(limit)d characters.")
                    % {"field": dict(FIELDS)[name], "limit": limit}
                )
        building_id = None
        if "building" in columns:
            site = values["building"]
            building_id = buildings.get(site.casefold()) if site else None
            if site and building_id is None:
                problems.append(_("Unknown building “%(name)s”.") % {"name": site})
            elif not site:
                problems.append(_("Building is missing."))
        if employee_id:
            if employee_id in seen_ids:
                problems.append(
                    _("Employee id %(id)s is also on line %(line)d.")
                    % {"id": employee_id, "line": seen_ids[employee_id]}
                )
            seen_ids.setdefault(employee_id, index)
        if email:
            if email in seen_emails:
                problems.append(
                    _("Work email %(email)s is also on line %(line)d.")
                    % {"email": email, "line": seen_emails[email]}
                )
            seen_emails.setdefault(email, index)
        if problems:
            name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
            preview.errors.append(RowError(line=index, name=name, messages=problems))
            continue

        current = (by_employee.get(employee_id) if employee_id else None) or (
            by_email.get(email) if email else None
        )
        new_values = {name: values[name] for name in member_fields}
        if "building" in columns:
            new_values["building_id"] = building_id
        if current is None:
            preview.to_add.append(new_values)
            continue
        if current["pk"] in matched:
            preview.errors.append(
                RowError(
                    line=index,
                    name=f"{values['first_name']} {values['last_name']}",
                    messages=[_("Matches the same member as an earlier line.")],
                )
            )
            continue
        matched.add(current["pk"])
        changed = {k: v for k, v in new_values.items() if current.get(k) != v}
        # A blank key in this month's file does not erase the key we matched on before.
        for key in ("employee_id", "work_email"):
            if key in changed and not changed[key]:
                del changed[key]
        if current["left_at"] is not None:
            changed["left_at"] = None
        if changed:
            preview.to_update.append((current["pk"], changed))
        else:
            preview.unchanged += 1
    if mark_missing:
        preview.leaving_ids = [
            m["pk"] for m in existing if m["left_at"] is None and m["pk"] not in matched
        ]
    return preview


def apply_preview(local: Local, preview: Preview) -> dict[str, int]:
    """Write a valid preview in one transaction: all of it or nothing."""
    if not preview.is_valid:
        raise RosterError(_("The roster has errors; nothing was imported."))
    now = timezone.now()
    with transaction.atomic():
        Member.objects.bulk_create(
            (Member(local=local, **values) for values in preview.to_add), batch_size=2_000
        )
        # Group updates by the set of fields they change, so each bulk_update stays narrow.
        groups: dict[tuple[str, ...], list[Member]] = {}
        for pk, changed in preview.to_update:
            member = Member(pk=pk, **changed)
            member.updated_at = now
            groups.setdefault(tuple(sorted(changed)), []).append(member)
        for fields, members in groups.items():
            Member.objects.bulk_update(members, [*fields, "updated_at"], batch_size=1_000)
        for start in range(0, len(preview.leaving_ids), 5_000):
            Member.objects.filter(pk__in=preview.leaving_ids[start : start + 5_000]).update(
                left_at=now, updated_at=now
            )
    return {
        "added": len(preview.to_add),
        "updated": len(preview.to_update),
        "unchanged": preview.unchanged,
        "left": len(preview.leaving_ids),
    }


def _safe_cell(value):
    """Spreadsheets run a cell that starts with = + or @ as a formula; defuse it."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@"):
        return "'" + value
    return value


def export_members(members) -> tablib.Dataset:
    """The same columns the import reads, so an export can be edited and imported back."""
    dataset = tablib.Dataset(
        headers=[str(label) for _name, label in FIELDS]
        + [
            str(gettext_lazy("Support level")),
            str(gettext_lazy("Last contacted")),
            str(gettext_lazy("Left")),
        ]
    )
    for m in members.select_related("building").iterator(chunk_size=2_000):
        row = [
            m.employee_id,
            m.first_name,
            m.last_name,
            m.work_email,
            m.personal_email,
            m.phone,
            m.building.name if m.building else "",
            m.job_class,
            m.preferred_language,
            m.support_level or "",
            m.last_contacted_at.date().isoformat() if m.last_contacted_at else "",
            m.left_at.date().isoformat() if m.left_at else "",
        ]
        dataset.append([_safe_cell(value) for value in row])
    return dataset
