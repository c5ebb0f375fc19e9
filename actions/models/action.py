from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from accounts.access import roles_for
from campaigns.content import TranslatedContent
from campaigns.versioning import Versioned

from .tactic import Tactic


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActionQuerySet:
        """Leaders and stewards see their locals' actions; a partner person sees the public
        ones and those their organisation is invited to."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
            | models.Q(campaign__local_id__in=roles.partner_local_ids, is_public=True)
            | models.Q(invited_organisations__in=roles.organisation_ids)
        ).distinct()

    def led_by(self, user) -> ActionQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).led_local_ids)

    def public(self) -> ActionQuerySet:
        return self.filter(is_public=True).exclude(status=Action.Status.CANCELLED)

    def upcoming(self) -> ActionQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def freeze_past_levels(self) -> int:
        """Record, on each action that has started and has no recorded level yet, the level
        its tactic has now, so that reordering the ladder afterwards leaves history alone."""
        return (
            self.filter(starts_at__lte=timezone.now(), level_then__isnull=True)
            .exclude(tactic__isnull=True)
            .update(
                level_then=models.Subquery(
                    Tactic.objects.filter(pk=models.OuterRef("tactic_id")).values("position")[:1]
                )
            )
        )

    def for_organisation(self, organisation_id: int) -> ActionQuerySet:
        """Actions a partner organisation is invited to, for the partner portal."""
        return self.filter(invited_organisations=organisation_id).exclude(
            status=Action.Status.CANCELLED
        )

    def concerning(self, user) -> ActionQuerySet:
        """What belongs in a person's own calendar: everything for leaders, their buildings'
        and campaign-wide actions for stewards, their organisation's for partners."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids)
            | models.Q(campaign__local_id__in=roles.stewarded_local_ids, buildings__isnull=True)
            | models.Q(buildings__in=roles.building_ids)
            | models.Q(invited_organisations__in=roles.organisation_ids)
        ).distinct()


class Action(TranslatedContent, Versioned):
    """One action on the campaign's escalation ladder: a rally, a red-out, a picket..."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="actions"
    )
    tactic = models.ForeignKey(
        Tactic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("tactic"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    buildings = models.ManyToManyField(
        "campaigns.Building",
        blank=True,
        related_name="actions",
        verbose_name=_("buildings involved"),
        help_text=_("Leave empty for the whole campaign."),
    )
    target = models.ForeignKey(
        "demands.Target",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("target"),
    )
    demands = models.ManyToManyField(
        "demands.Demand", blank=True, related_name="actions", verbose_name=_("demands pressed")
    )
    escalates_crisis = models.BooleanField(_("escalates the crisis"), default=False)
    escalates_target = models.BooleanField(_("escalates the target"), default=False)
    escalates_voice = models.BooleanField(_("escalates our voice"), default=False)
    escalates_base = models.BooleanField(_("escalates the base"), default=False)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Public actions appear on the open page.")
    )
    turnout_goal = models.PositiveIntegerField(_("turnout goal"), null=True, blank=True)
    invited_organisations = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="invited_actions",
        verbose_name=_("invited partner organisations"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    # The ladder level the tactic had when the action happened; empty while the action is to
    # come, when its level follows the tactic's place on the ladder.
    level_then = models.PositiveSmallIntegerField(
        _("level when it happened"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The title and description in the local's other languages.
    i18n = TranslationField(fields=("title", "description"))
    TRANSLATED_FIELDS = ("title", "description")
    # The action's id outside the app (the OSDI API's ``common_good:<uuid>``).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

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

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.campaign.local_id)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def takes_rsvps(self) -> bool:
        """Whether people can still sign up: the same rule as ``ActionQuerySet.upcoming``."""
        return not self.is_cancelled and not self.has_ended

    @property
    def escalations(self) -> list[str]:
        labels = [
            (self.escalates_crisis, _("crisis")),
            (self.escalates_target, _("target")),
            (self.escalates_voice, _("voice")),
            (self.escalates_base, _("base")),
        ]
        return [str(label) for on, label in labels if on]

    @property
    def level(self) -> int | None:
        if self.level_then is not None:
            return self.level_then
        return self.tactic.position if self.tactic_id else None

    def record_level(self) -> None:
        """Call after creating the action or changing its tactic or time: one that has
        started keeps its tactic's present level for good; one to come follows the ladder."""
        self.level_then = self.tactic.position if self.tactic_id and self.has_started else None
        Action.objects.filter(pk=self.pk).update(level_then=self.level_then)

    def cancel(self, *, by, reason: str = "") -> None:
        """Cancel the action and its pending reminders, and tell everyone who is coming, once
        each, with the leader's reason."""
        from ..reminders import cancel_reminders

        if self.is_cancelled:
            return
        with transaction.atomic():
            self.status = self.Status.CANCELLED
            self.cancelled_at = timezone.now()
            self.cancelled_by = by
            self.cancel_reason = reason
            self.save(
                update_fields=[
                    "status",
                    "cancelled_at",
                    "cancelled_by",
                    "cancel_reason",
                    "updated_at",
                ]
            )
            cancel_reminders(self)
            self.public_changed()

    def reschedule(self, starts_at, ends_at, *, reason: str = "") -> None:
        """Move the action: pending reminders are planned again for the new time and everyone
        who is coming gets one notice of the move, with the leader's reason."""
        from ..reminders import notify_moved, replan_action

        previous = self.starts_at
        with transaction.atomic():
            self.starts_at, self.ends_at = starts_at, ends_at
            self.save(update_fields=["starts_at", "ends_at", "updated_at"])
            # The notice first: it tells of the new time, so nobody also gets a reminder at
            # once for it.
            if starts_at != previous:
                notify_moved(self, previous=previous, reason=reason)
            replan_action(self)
            self.public_changed()

    def change(self, *, expected_version: int, by, reason: str = "", **changes) -> bool:
        """Save a leader's edit and, in the same transaction, move the action (telling everyone
        who is coming, with ``reason``) or plan its pending reminders again for new buildings
        or partners, and fix its level. Returns whether the start moved. Raises EditConflict,
        writing nothing, when someone saved since ``expected_version``."""
        from ..reminders import replan_action

        with transaction.atomic():
            # Read from the row: a bound ModelForm has already put the new values on this
            # object.
            *previous, was_public = (
                Action.objects.filter(pk=self.pk).values_list("starts_at", "ends_at", "is_public")
            ).get()
            previous = tuple(previous)
            new_time = (changes.pop("starts_at", previous[0]), changes.pop("ends_at", previous[1]))
            moves_level = "tactic" in changes or new_time[0] != previous[0]
            self.edit(expected_version=expected_version, by=by, **changes)
            if new_time != previous:
                self.reschedule(*new_time, reason=reason)
            else:
                replan_action(self)
            if moves_level:
                self.record_level()
            self.public_changed(was_public=was_public)
        return new_time[0] != previous[0]

    def edit_translations(self, *, texts: dict[str, dict[str, str]], by, expected_version):
        """Save the title and description in other languages ({language: {field: text}}); a
        public action's page and calendar follow in the same transaction."""
        with transaction.atomic():
            self.edit(expected_version=expected_version, by=by, i18n=self.translated_i18n(texts))
            self.public_changed()

    def public_changed(self, *, was_public: bool = False) -> None:
        """The open page and its calendar list public actions: call after saving a change
        to one, or to one that just stopped being public, in the same transaction."""
        if self.is_public or was_public:
            self.campaign.public_changed()
