"""Applying a previewed roster in one transaction, under a lock on the local, recording what
changed for each member; and undoing an import within 30 days."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..models import Building, ImportBatch, ImportChange, Local, Member
from ..roster_files import (
    RosterError,
    Sheet,
)
from .preview import LIST_FIRST, Preview, build_preview, load_sheet

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
        Local.organizing_changed(local.pk)
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
        Local.organizing_changed(locked.local_id)
    batch.refresh_from_db()
    return batch.undo_summary


# Export -------------------------------------------------------------------------------------
