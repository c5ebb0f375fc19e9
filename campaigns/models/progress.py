"""How strong the campaign is over time: weekly snapshots and the self-assessment."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for

from ..versioning import Versioned
from .campaign import Campaign


class WeeklySnapshot(models.Model):
    """How strong the structure was in one week: filled each Monday by a Celery beat task and
    for the current week computed on demand."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    week = models.DateField(_("week starting"))
    members = models.PositiveIntegerField(default=0)
    assessed = models.PositiveIntegerField(default=0)
    supporters = models.PositiveIntegerField(default=0)
    buildings = models.PositiveIntegerField(default=0)
    active_buildings = models.PositiveIntegerField(_("buildings with an active steward"), default=0)

    class Meta:
        verbose_name = _("weekly snapshot")
        verbose_name_plural = _("weekly snapshots")
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "week"], name="one_snapshot_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.week}"


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssessmentQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).led_local_ids)


class Assessment(Versioned):
    """The BCG self-assessment on one date: each statement scored 1 (not yet) to 4 (strong)."""

    edited_by_field = "taken_by"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    taken_on = models.DateField(_("date"))
    scores = models.JSONField(default=dict)
    notes = models.TextField(_("notes"), blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "taken_on"], name="one_assessment_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.taken_on}"

    @classmethod
    def record(
        cls, *, campaign, taken_on: date, values: dict, changed: list[str], by, expected_version
    ) -> Assessment:
        """Save the assessment of ``taken_on``: a new one if nobody took one that day, else the
        ``changed`` scores and notes of the one saved at ``expected_version``."""
        from ..assessment import STATEMENTS

        keys = [s.key for s in STATEMENTS]

        def changes(row: Assessment) -> dict:
            edited = {}
            if any(key in changed for key in keys):
                edited["scores"] = {**row.scores, **{k: values[k] for k in keys if k in changed}}
            if "notes" in changed:
                edited["notes"] = values["notes"]
            return edited

        return cls.create_or_edit(
            lookup={"campaign": campaign, "taken_on": taken_on},
            values={"scores": {key: values[key] for key in keys}, "notes": values["notes"]},
            changes=changes,
            by=by,
            expected_version=expected_version,
        )

    def element_scores(self) -> dict[str, float | None]:
        """Average score per element of the five, keyed by element code."""
        from ..assessment import STATEMENTS

        totals: dict[str, list[int]] = {}
        for statement in STATEMENTS:
            score = self.scores.get(statement.key)
            if score:
                totals.setdefault(statement.element, []).append(int(score))
        return {
            element: round(sum(values) / len(values), 1) if values else None
            for element, values in ((e, totals.get(e, [])) for e in _element_codes())
        }


def _element_codes() -> list[str]:
    from ..assessment import ELEMENTS

    return [code for code, _label in ELEMENTS]
