"""What happens to a demand: its status changes, its revisions, comments and endorsements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .demand import Demand


class DemandTransition(models.Model):
    """One recorded status change: who moved the demand, when and why."""

    class Cause(models.TextChoices):
        HAND = "hand", _("Set by a leader")
        BARGAINING = "bargaining", _("Followed the bargaining record")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Demand.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Demand.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    why = models.TextField(_("why"), blank=True)
    cause = models.CharField(_("cause"), max_length=12, choices=Cause.choices, default=Cause.HAND)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.demand} · {self.from_status} → {self.to_status}"


class DemandRevision(models.Model):
    """The full text of a demand as one save left it."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("saved"), default=timezone.now)
    snapshot = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} v{self.number}"


class DemandComment(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class DemandEndorsement(models.Model):
    """A partner organisation signs on to a demand."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="demand_endorsements"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "organisation"], name="one_endorsement_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.demand}"
