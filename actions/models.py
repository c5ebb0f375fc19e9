from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).local_ids)

    def public(self) -> ActionQuerySet:
        return self.filter(is_public=True).exclude(status=Action.Status.CANCELLED)

    def upcoming(self) -> ActionQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")


class Action(models.Model):
    """One action on the campaign's escalation ladder: a rally, a red-out, a picket..."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public actions appear on the open page.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="action_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])
