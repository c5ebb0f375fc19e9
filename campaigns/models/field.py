"""Field mode: the changes a steward's phone queued without signal, each applied once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organizing import Conversation, TenMinuteMeeting


class FieldChange(models.Model):
    """One queued change from a phone, written in the transaction that applies it: a second
    delivery of the same key finds this row and is answered from it instead of applied again."""

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("1-on-1")
        PARTICIPATION = "participation", _("Structure test")
        MEETING = "meeting", _("10-minute meeting")

    key = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recorded_at = models.DateTimeField()
    applied_at = models.DateTimeField(auto_now_add=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        TenMinuteMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("field change")
        verbose_name_plural = _("field changes")

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
