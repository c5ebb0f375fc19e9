from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from config.outbox import MailOutboxRow

from .action import Action
from .participation import Rsvp

DEFAULT_REMINDER_OFFSETS = [7 * 24 * 60, 24 * 60, 2 * 60]  # minutes before the start


class ReminderSettings(models.Model):
    """A campaign's choice of when reminders go out, in minutes before an event starts."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    offsets = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.campaign)

    @classmethod
    def offsets_for(cls, campaign_id: int) -> list[int]:
        row = cls.objects.filter(campaign_id=campaign_id).first()
        return (
            sorted(row.offsets, reverse=True) if row and row.offsets else DEFAULT_REMINDER_OFFSETS
        )


class ReminderQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReminderQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).led_local_ids)


# Kinds whose message the model named by ``event_label`` composes itself, through the class
# methods ``outbox_message(reminder)`` and ``outbox_skip_reason(reminder)``: apps after actions
# send through this outbox without actions importing them.
COMPOSED_BY_MODEL = {"signature"}


class Reminder(MailOutboxRow):
    """One message to one person, planned in the same transaction as the change that causes it
    and sent once by ``actions.reminders.send_due``. See that module for the states."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        CANCELLATION = "cancellation", _("Cancellation notice")
        DIGEST = "digest", _("Weekly steward digest")
        INVITATION = "invitation", _("Invitation")
        CONFIRMATION = "confirmation", _("RSVP confirmation")
        MOVED = "moved", _("Notice of a new time")
        SIGNATURE = "signature", _("Petition signature confirmation")

    message_prefix = "reminder"

    key = models.CharField(max_length=255, unique=True)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="reminders", null=True
    )
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="reminders", null=True, blank=True
    )
    event_label = models.CharField(max_length=100, blank=True)
    event_id = models.PositiveBigIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REMINDER)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rsvp = models.ForeignKey(
        Rsvp, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    reason = models.CharField(max_length=300, blank=True)
    # The recipient's language when it was planned (a code; blank: the site's default). The
    # message is written in it if the interface has it, else in the default.
    language = models.CharField(max_length=20, blank=True)
    # What the leader said when cancelling or moving the event, and the time it had before.
    note = models.TextField(blank=True)
    previous_starts_at = models.DateTimeField(null=True, blank=True)
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()

    objects = ReminderQuerySet.as_manager()

    class Meta(MailOutboxRow.Meta):
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at"]
        indexes = [
            *MailOutboxRow.Meta.indexes,
            models.Index(fields=["event_label", "event_id", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient_email} · {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def stream(self) -> str:
        return (
            Unsubscribe.Stream.DIGEST
            if self.kind == self.Kind.DIGEST
            else Unsubscribe.Stream.REMINDERS
        )

    def retry(self) -> None:
        """Give a failed reminder a fresh set of attempts, from now."""
        Reminder.objects.filter(pk=self.pk, status=self.Status.FAILED).update(
            status=self.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            handoff_at=None,
            last_error="",
        )


class Unsubscribe(models.Model):
    """An address that asked not to receive one stream of messages; checked before each send."""

    class Stream(models.TextChoices):
        REMINDERS = "reminders", _("Action reminders")
        DIGEST = "digest", _("Weekly steward digest")

    email = models.EmailField()
    stream = models.CharField(max_length=20, choices=Stream.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unsubscribe")
        verbose_name_plural = _("unsubscribes")
        constraints = [
            models.UniqueConstraint(fields=["email", "stream"], name="one_unsubscribe_per_stream")
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.stream}"
