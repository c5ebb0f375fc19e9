from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.versioning import Versioned

from .action import Action


class Evaluation(Versioned):
    """The toolkit's evaluation of an action: did it help, hinder or have no effect, and why."""

    edited_by_field = "evaluated_by"

    class Effect(models.TextChoices):
        HELPED = "helped", _("Helped")
        HINDERED = "hindered", _("Hindered")
        NO_EFFECT = "no_effect", _("No effect")

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="evaluation")
    turnout = models.PositiveIntegerField(_("turnout"))
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices)
    why = models.TextField(_("why"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.action} · {self.get_effect_display()}"
