"""Roster imports: the uploaded file between upload and import, and what each import changed."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for

from .people import Local, Member


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportBatchQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)


def roster_upload_to(instance, filename: str) -> str:
    """An unguessable name: nothing about the upload (time, file name, local) is in it."""
    return f"rosters/{secrets.token_urlsafe(24)}.json"


def private_storage():
    return storages["private"]


UNDO_DAYS = 30


class ImportBatch(models.Model):
    """An uploaded roster between upload, column mapping, preview and import, and afterwards the
    record of what the import changed (so it can be undone). The file holds the rows as parsed
    once at upload, in private storage; it is deleted once imported (or after a day)."""

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(
        _("roster file"), storage=private_storage, upload_to=roster_upload_to, blank=True
    )
    original_name = models.CharField(max_length=255, blank=True)
    sheets = models.JSONField(
        default=list, blank=True, help_text="The parsed file's sheets: name, header line, rows."
    )
    sheet = models.PositiveSmallIntegerField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    mark_missing_as_left = models.BooleanField(
        _("mark members missing from this roster as having left"), default=False
    )
    # The leader's decisions in the preview: unknown site → "building:<id>", "create" or
    # "skip"; the lines to skip; and, for a big departure, the number they typed to confirm.
    site_choices = models.JSONField(default=dict, blank=True)
    skip_lines = models.JSONField(default=list, blank=True)
    skipped = models.JSONField(
        default=list, blank=True, help_text="The rows the import skipped: line, name, why."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    left = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_buildings = models.JSONField(default=list, blank=True)
    undo_summary = models.JSONField(default=dict, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name or f"import {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:import_detail", args=[self.pk])

    @property
    def is_imported(self) -> bool:
        return self.imported_at is not None

    @property
    def undo_deadline(self) -> datetime | None:
        return self.imported_at + timedelta(days=UNDO_DAYS) if self.imported_at else None

    @property
    def can_undo(self) -> bool:
        return (
            self.is_imported
            and self.undone_at is None
            and timezone.now() < self.imported_at + timedelta(days=UNDO_DAYS)
        )

    def run(self, *, by, confirm: int | None = None) -> dict[str, int]:
        """Import the roster as previewed: under a lock on the local, so two imports of the same
        local run one after the other and the second sees the members the first added."""
        from ..roster import run_import

        return run_import(self, by=by, confirm=confirm)

    def undo(self, *, by) -> dict[str, int]:
        """Take the import back (see ``roster.undo_import``)."""
        from ..roster import undo_import

        return undo_import(self, by=by)


class ImportChange(models.Model):
    """What one import did to one member, with the values before it, so it can be undone."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        UPDATED = "updated", _("updated")
        LEFT = "left", _("marked as left")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    # Not a reference that keeps a member: when the undo removes a member it added, this empties.
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("roster import change")
        verbose_name_plural = _("roster import changes")
        indexes = [models.Index(fields=["batch", "kind"])]

    def __str__(self) -> str:
        return f"{self.batch} · {self.kind} · {self.member_id}"
