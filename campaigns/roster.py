"""Import a district roster export: read the file once, map its columns, preview what would
change (deciding about unknown work sites and problem rows), apply it in one transaction, and
undo it within 30 days.

Re-importing next month's roster is safe: members are matched on employee id, else on work
email; existing members are updated, new ones added, and (only when the leader asks) members
missing from the roster are marked as having left (never deleted, never duplicated). The view
and the benchmark both go through ``parse_roster`` → ``build_preview`` → ``apply_preview``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Building, ImportBatch, ImportChange, Local, Member
from .phones import normalise_phone
from .roster_files import (  # noqa: F401  (parse_roster and read_roster are this module's API too)
    MAX_BYTES,
    MAX_ROWS,
    SYNONYMS,
    RosterError,
    Sheet,
    normal_header,
    parse_roster,
    read_roster,
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


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _name(values: dict) -> str:
    return f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()


SKIP = "skip"
CREATE = "create"


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
    site_choices = site_choices or {}
    skip_lines = skip_lines or set()
    headers = sheet.headers
    columns = {name: headers.index(mapping[name]) for name in FIELD_NAMES if mapping.get(name)}
    member_fields = [name for name in columns if name != "building"]
    update_fields = member_fields + (["building_id"] if "building" in columns else [])
    buildings = {
        name.casefold(): pk
        for pk, name in Building.objects.filter(local=local).values_list("pk", "name")
    }
    chosen = {}
    for site, choice in site_choices.items():
        if choice.startswith("building:") and choice[9:].isdigit():
            if int(choice[9:]) in buildings.values():
                chosen[site.casefold()] = int(choice[9:])
        elif choice in (SKIP, CREATE):
            chosen[site.casefold()] = choice
    existing = list(
        Member.objects.filter(local=local).values(
            "pk", "left_at", "building_id", "first_name", "last_name", *member_fields
        )
    )
    by_employee = {m["employee_id"]: m for m in existing if m.get("employee_id")}
    by_email = {m["work_email"].lower(): m for m in existing if m.get("work_email")}

    preview = Preview(
        rows=len(sheet.rows),
        fields=update_fields,
        current_members=sum(1 for m in existing if m["left_at"] is None),
        mark_missing=mark_missing,
    )
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    matched: set[int] = set()
    # Members on a skipped line are still on the roster: they are never marked as left.
    kept_back: set[int] = set()
    width = len(headers)
    for line, cells in sheet.rows:
        values = {
            name: (cells[col] if col < len(cells) else "").strip() for name, col in columns.items()
        }
        for name in EMAIL_FIELDS:
            if name in values:
                values[name] = values[name].lower()
        if "phone" in values:
            values["phone"] = normalise_phone(values["phone"])
        employee_id = values.get("employee_id", "")
        email = values.get("work_email", "")
        current = (by_employee.get(employee_id) if employee_id else None) or (
            by_email.get(email) if email else None
        )
        problems = []
        if any(cells[width:]):
            problems.append(_("This line has more values than the file has columns."))
        for name in REQUIRED:
            if not values.get(name):
                problems.append(_("%(field)s is missing.") % {"field": dict(FIELDS)[name]})
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
        building_id: int | str | None = None
        site_skipped = False
        if "building" in columns:
            site = values["building"]
            if not site:
                problems.append(_("Building is missing."))
            elif site.casefold() in buildings:
                building_id = buildings[site.casefold()]
            else:
                preview.unknown_sites[site] = preview.unknown_sites.get(site, 0) + 1
                choice = chosen.get(site.casefold())
                if choice == SKIP:
                    site_skipped = True
                elif choice == CREATE:
                    building_id = f"new:{site}"
                    if site not in preview.sites_to_create:
                        preview.sites_to_create.append(site)
                elif choice is None:
                    problems.append(_("Unknown building “%(name)s”.") % {"name": site})
                else:
                    building_id = choice
        if employee_id:
            if employee_id in seen_ids:
                problems.append(
                    _("Employee id %(id)s is also on line %(line)d.")
                    % {"id": employee_id, "line": seen_ids[employee_id]}
                )
            seen_ids.setdefault(employee_id, line)
        if email:
            if email in seen_emails:
                problems.append(
                    _("Work email %(email)s is also on line %(line)d.")
                    % {"email": email, "line": seen_emails[email]}
                )
            seen_emails.setdefault(email, line)
        if current is not None and current["pk"] in matched and not problems:
            problems.append(_("Matches the same member as an earlier line."))
        if site_skipped or line in skip_lines:
            if site_skipped:
                problems.insert(
                    0,
                    _("Unknown building “%(name)s”: its rows are skipped.")
                    % {"name": values["building"]},
                )
            else:
                problems.insert(0, _("Skipped by you."))
            preview.skipped.append(RowError(line=line, name=_name(values), messages=problems))
            if current is not None:
                kept_back.add(current["pk"])
            continue
        if problems:
            preview.errors.append(RowError(line=line, name=_name(values), messages=problems))
            if current is not None:
                kept_back.add(current["pk"])
            continue

        new_values = {name: values[name] for name in member_fields}
        if "building" in columns:
            new_values["building_id"] = building_id
        if current is None:
            preview.to_add.append(new_values)
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
            preview.update_names[current["pk"]] = current
        else:
            preview.unchanged += 1
    if mark_missing:
        preview.leaving = [
            m
            for m in existing
            if m["left_at"] is None and m["pk"] not in matched and m["pk"] not in kept_back
        ]
    return preview


# Applying and undoing -------------------------------------------------------------------------


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def apply_preview(local: Local, preview: Preview, batch: ImportBatch | None = None) -> dict:
    """Write a valid preview in one transaction: all of it or nothing. With ``batch``, record
    what changed for each member (the values before), so the import can be undone."""
    if not preview.is_valid:
        raise RosterError(_("The roster has errors; nothing was imported."))
    now = timezone.now()
    changes: list[ImportChange] = []
    with transaction.atomic():
        created = {}
        for site in preview.sites_to_create:
            created[f"new:{site}"] = Building.objects.create(local=local, name=site[:200]).pk

        def resolve(values: dict) -> dict:
            if isinstance(values.get("building_id"), str):
                return {**values, "building_id": created[values["building_id"]]}
            return values

        added = Member.objects.bulk_create(
            (Member(local=local, **resolve(values)) for values in preview.to_add), batch_size=2_000
        )
        # Group updates by the set of fields they change, so each bulk_update stays narrow.
        groups: dict[tuple[str, ...], list[Member]] = {}
        for pk, changed in preview.to_update:
            changed = resolve(changed)
            member = Member(pk=pk, **changed)
            member.updated_at = now
            groups.setdefault(tuple(sorted(changed)), []).append(member)
            if batch is not None:
                before = preview.update_names.get(pk, {})
                changes.append(
                    ImportChange(
                        batch=batch,
                        member_id=pk,
                        kind=ImportChange.Kind.UPDATED,
                        before={k: _json_value(before.get(k)) for k in changed},
                        after={k: _json_value(v) for k, v in changed.items()},
                    )
                )
        for fields, members in groups.items():
            Member.objects.bulk_update(members, [*fields, "updated_at"], batch_size=1_000)
        leaving_ids = preview.leaving_ids
        for start in range(0, len(leaving_ids), 5_000):
            Member.objects.filter(pk__in=leaving_ids[start : start + 5_000]).update(
                left_at=now, updated_at=now
            )
        if batch is not None:
            changes.extend(
                ImportChange(batch=batch, member_id=m.pk, kind=ImportChange.Kind.ADDED)
                for m in added
            )
            changes.extend(
                ImportChange(
                    batch=batch,
                    member_id=pk,
                    kind=ImportChange.Kind.LEFT,
                    before={"left_at": None},
                    after={"left_at": now.isoformat()},
                )
                for pk in leaving_ids
            )
            ImportChange.objects.bulk_create(changes, batch_size=2_000)
            batch.created_buildings = list(created.values())
            batch.imported_at = now
    return {
        "added": len(preview.to_add),
        "updated": len(preview.to_update),
        "unchanged": preview.unchanged,
        "left": len(leaving_ids),
    }


class ConfirmationNeeded(RosterError):
    """Too many members would be marked as left without the leader typing the number."""


class AlreadyImported(Exception):
    pass


def preview_for(batch: ImportBatch, sheet: Sheet | None = None) -> Preview:
    return build_preview(
        batch.local,
        sheet or load_sheet(batch),
        batch.mapping,
        batch.mark_missing_as_left,
        site_choices=batch.site_choices,
        skip_lines=set(batch.skip_lines),
    )


def run_import(batch: ImportBatch, *, by, confirm: int | None = None) -> dict:
    """Import as the batch's decisions say, under a lock on the local: a second import of the
    same local waits, then sees the members the first one added (never duplicates them)."""
    with transaction.atomic():
        Local.objects.select_for_update().filter(pk=batch.local_id).first()
        locked = ImportBatch.objects.select_for_update().select_related("local").get(pk=batch.pk)
        if locked.is_imported:
            raise AlreadyImported
        preview = preview_for(locked)
        if not preview.is_valid:
            raise RosterError(
                _(
                    "Some rows still have problems: skip them or choose what to do with their "
                    "work site. Nothing was imported."
                )
            )
        if preview.needs_confirmation and confirm != len(preview.leaving):
            raise ConfirmationNeeded(
                _(
                    "This import would mark %(count)d members (%(share)d%% of the local) as "
                    "having left. Type %(count)d to confirm."
                )
                % {"count": len(preview.leaving), "share": preview.leaving_share}
            )
        counts = apply_preview(locked.local, preview, batch=locked)
        for name, value in counts.items():
            setattr(locked, name, value)
        locked.skipped = [
            {"line": row.line, "name": row.name, "reason": row.reason} for row in preview.skipped
        ]
        locked.uploaded_by = locked.uploaded_by or by
        # The first rows shown on the mapping page are members' data too: not kept after.
        locked.sheets = [{**sheet, "sample": []} for sheet in locked.sheets]
        locked.save()
        # Personal data does not stay on disk once it is in the database.
        transaction.on_commit(lambda: locked.file.delete(save=True))
    batch.refresh_from_db()
    return counts


def _referenced(model, ids: list[int]) -> set[int]:
    """Which of these rows something else refers to (a foreign key or a many-to-many)."""
    found: set[int] = set()
    for relation in model._meta.related_objects:
        if relation.related_model is ImportChange:
            continue
        if relation.many_to_many:
            through = relation.through
            name = relation.field.m2m_reverse_field_name()
            query = through.objects.filter(**{f"{name}__in": ids}).values_list(
                f"{name}_id", flat=True
            )
        else:
            query = relation.related_model._base_manager.filter(
                **{f"{relation.field.name}__in": ids}
            ).values_list(relation.field.attname, flat=True)
        found.update(query)
    return found


def undo_import(batch: ImportBatch, *, by) -> dict:
    """Take an import back within 30 days: members it marked as left come back, fields it
    changed go back (unless someone has changed them since), members it added go (unless
    something now refers to them or organising data was recorded for them: then they stay)."""
    with transaction.atomic():
        Local.objects.select_for_update().filter(pk=batch.local_id).first()
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not locked.can_undo:
            raise RosterError(_("This import can no longer be undone."))
        now = timezone.now()
        changes = list(
            locked.changes.filter(member__isnull=False).values_list(
                "kind", "member_id", "before", "after"
            )
        )
        left_ids = [pk for kind, pk, _b, _a in changes if kind == ImportChange.Kind.LEFT]
        back = 0
        for start in range(0, len(left_ids), 5_000):
            back += Member.objects.filter(
                pk__in=left_ids[start : start + 5_000], left_at=locked.imported_at
            ).update(left_at=None, updated_at=now)

        updates = [(pk, before, after) for kind, pk, before, after in changes if kind == "updated"]
        names = {name for _pk, before, _after in updates for name in before}
        current = {
            m["pk"]: m
            for m in Member.objects.filter(pk__in=[pk for pk, _b, _a in updates]).values(
                "pk", *names
            )
        }
        groups: dict[tuple[str, ...], list[Member]] = {}
        kept_fields = 0
        for pk, before, after in updates:
            now_values = current.get(pk)
            if now_values is None:
                continue
            restore = {}
            for name, old in before.items():
                if name == "left_at":
                    new = parse_datetime(after[name]) if after[name] else None
                    old = parse_datetime(old) if old else None
                else:
                    new = after[name]
                if now_values[name] == new:
                    restore[name] = old
                else:
                    kept_fields += 1  # someone changed it since: their value stays
            if restore:
                member = Member(pk=pk, **restore)
                member.updated_at = now
                groups.setdefault(tuple(sorted(restore)), []).append(member)
        for fields, members in groups.items():
            Member.objects.bulk_update(members, [*fields, "updated_at"], batch_size=1_000)
        reverted = sum(len(members) for members in groups.values())

        added_ids = [pk for kind, pk, _b, _a in changes if kind == ImportChange.Kind.ADDED]
        keep: set[int] = set()
        for start in range(0, len(added_ids), 5_000):
            chunk = added_ids[start : start + 5_000]
            keep |= _referenced(Member, chunk)
            keep |= set(
                Member.objects.filter(pk__in=chunk)
                .filter(
                    Q(support_level__isnull=False)
                    | Q(last_contacted_at__isnull=False)
                    | ~Q(notes="")
                    | ~Q(tags="")
                )
                .values_list("pk", flat=True)
            )
        removable = [pk for pk in added_ids if pk not in keep]
        for start in range(0, len(removable), 5_000):
            Member.objects.filter(pk__in=removable[start : start + 5_000]).delete()
        kept = Member.objects.filter(pk__in=keep).order_by("last_name", "first_name")
        buildings = [
            pk
            for pk in locked.created_buildings
            if pk not in _referenced(Building, locked.created_buildings)
        ]
        Building.objects.filter(pk__in=buildings).delete()
        locked.undone_at = now
        locked.undone_by = by
        locked.undo_summary = {
            "back": back,
            "reverted": reverted,
            "kept_fields": kept_fields,
            "removed": len(removable),
            "kept": len(keep),
            "kept_members": [{"pk": m.pk, "name": m.name} for m in kept[:LIST_FIRST]],
        }
        locked.save(update_fields=["undone_at", "undone_by", "undo_summary"])
    batch.refresh_from_db()
    return batch.undo_summary


# Export -------------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and CR,
# shifts it so that what follows does); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_headers() -> list[str]:
    return [str(label) for _name, label in FIELDS] + [
        str(gettext_lazy("Support level")),
        str(gettext_lazy("Last contacted")),
        str(gettext_lazy("Left")),
    ]


def export_rows(members):
    """The same columns the import reads, so an export can be edited and imported back."""
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
            timezone.localdate(m.last_contacted_at).isoformat() if m.last_contacted_at else "",
            timezone.localdate(m.left_at).isoformat() if m.left_at else "",
        ]
        yield [_safe_cell(value) for value in row]


def export_csv(members) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it with accents intact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export_headers())
    writer.writerows(export_rows(members))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def export_xlsx(members) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(str(gettext_lazy("Members")))
    sheet.append(export_headers())
    for row in export_rows(members):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
