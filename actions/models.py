from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.phones import display_phone, normalise_phone_or_none
from campaigns.versioning import Versioned

# The toolkit's escalation tactics, from mild to bold: a campaign's ladder starts from these.
TOOLKIT_LADDER = [
    (_("Petition signatures"), _("Members and parents sign the petition.")),
    (_("Union buttons"), _("Everyone wears the campaign button at work.")),
    (_("Wear red on Thursdays"), _("Members wear red every Thursday.")),
    (_("Stickering"), _("Campaign stickers on cars, laptops and lunch boxes.")),
    (_("Profile-picture campaign"), _("Members change their profile pictures together.")),
    (_("Lawn signs"), _("Signs in front yards across the district.")),
    (_("Flyers to parents"), _("Flyering parents at pick-up and drop-off.")),
    (
        _("Rally before school and walk in together"),
        _("Members and parents rally outside, then walk in together."),
    ),
    (_("Red-out"), _("Every classroom and hallway in red.")),
    (_("Packed school-board meeting"), _("Members and partners fill the board room.")),
    (_("Open bargaining"), _("Members and community sit in on the bargaining sessions.")),
    (_("Informational picket"), _("Picket lines outside schools before or after hours.")),
    (_("Visiting corporate actors"), _("Delegations to the banks and bad actors.")),
    (_("Walking out of a meeting en masse"), _("Everyone leaves a district meeting together.")),
    (_("Strike"), _("Members withhold their labour.")),
]


class TacticQuerySet(models.QuerySet):
    def visible_to(self, user) -> TacticQuerySet:
        return self.filter(campaign__local_id__in=roles_for(user).local_ids)


class Tactic(Versioned):
    """One rung of a campaign's escalation ladder; ``position`` 1 is the mildest."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="tactics"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position on the ladder"))

    objects = TacticQuerySet.as_manager()

    class Meta:
        verbose_name = _("tactic")
        verbose_name_plural = _("tactics")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="unique_tactic_name")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def level(self) -> int:
        return self.position

    @classmethod
    def start_ladder(cls, campaign) -> list[Tactic]:
        """Give a campaign the toolkit's ladder unless it already has one."""
        existing = list(cls.objects.filter(campaign=campaign))
        if existing:
            return existing
        return cls.objects.bulk_create(
            cls(campaign=campaign, name=str(name), description=str(description), position=n)
            for n, (name, description) in enumerate(TOOLKIT_LADDER, start=1)
        )

    @classmethod
    def append(cls, campaign, name: str, description: str = "") -> Tactic:
        last = cls.objects.filter(campaign=campaign).aggregate(m=models.Max("position"))["m"]
        return cls.objects.create(
            campaign=campaign, name=name, description=description, position=(last or 0) + 1
        )

    def move(self, *, up: bool) -> bool:
        """Swap places with the neighbouring tactic; False at either end of the ladder."""
        siblings = Tactic.objects.filter(campaign_id=self.campaign_id)
        neighbour = (
            siblings.filter(position__lt=self.position).order_by("-position").first()
            if up
            else siblings.filter(position__gt=self.position).order_by("position").first()
        )
        if neighbour is None:
            return False
        with transaction.atomic():
            Action.objects.filter(campaign_id=self.campaign_id).freeze_past_levels()
            mine, theirs = self.position, neighbour.position
            Tactic.objects.filter(pk=neighbour.pk).update(position=mine)
            Tactic.objects.filter(pk=self.pk).update(position=theirs)
        self.position = theirs
        return True

    def remove(self) -> bool:
        """Take an unused tactic off the ladder and close the gap; False if actions use it.
        Past actions keep the level they had when they happened."""
        if self.actions.exists():
            return False
        with transaction.atomic():
            Action.objects.filter(campaign_id=self.campaign_id).freeze_past_levels()
            self.delete()
            for number, rung in enumerate(Tactic.objects.filter(campaign_id=self.campaign_id), 1):
                Tactic.objects.filter(pk=rung.pk).update(position=number)
        return True


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


class Action(Versioned):
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
        from .reminders import cancel_reminders

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
        from .reminders import notify_moved, replan_action

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
        from .reminders import replan_action

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

    def public_changed(self, *, was_public: bool = False) -> None:
        """The open page and its calendar list public actions: call after saving a change
        to one, or to one that just stopped being public, in the same transaction."""
        if self.is_public or was_public:
            self.campaign.public_changed()


class Participation(models.Model):
    """Whether a member said they are coming to an action and, afterwards, whether they came.
    Recorded by their building's steward or a leader."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(
        "campaigns.Member", on_delete=models.CASCADE, related_name="action_participations"
    )
    coming = models.BooleanField(_("coming"), default=False)
    attended = models.BooleanField(_("came"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "member"], name="one_participation_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.action}"


def normalise_phone(text: str) -> str | None:
    """The number in E.164 (+19165550101), or None when it is not a phone number."""
    return normalise_phone_or_none(text)


class Rsvp(models.Model):
    """Someone from outside the member roster coming to an action: a person who answered the
    public form, or someone a partner organisation signed up."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public form")
        PARTNER = "partner", _("Partner organisation")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rsvps")
    source = models.CharField(max_length=20, choices=Source.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_to_contact = models.BooleanField(
        _("may be contacted about the campaign"), default=False
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_rsvps",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "email"],
                condition=models.Q(source="public"),
                name="one_public_rsvp_per_email",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def sign_up(
        cls,
        action: Action,
        *,
        source: str,
        name: str,
        email: str = "",
        phone: str = "",
        consent: bool = False,
        organisation=None,
        added_by=None,
    ) -> tuple[Rsvp, bool]:
        """Put a person on an action's list once: whoever is already on it with the same email
        (in any case) or the same phone is the same person, and only gains what is new (a
        contact, their consent). The confirmation and reminders are planned in the same
        transaction. Returns the RSVP and whether it is new."""
        from .reminders import plan_for_rsvp

        email = email.strip().lower()
        with transaction.atomic():
            # One sign-up at a time per action, so two at once cannot both add one person.
            list(Action.objects.select_for_update().filter(pk=action.pk).values_list("pk"))
            same = models.Q(pk__in=[])
            if email:
                same |= models.Q(email__iexact=email)
            if phone:
                same |= models.Q(phone=phone)
            existing = cls.objects.filter(action=action).filter(same).first()
            if existing is None:
                rsvp = cls.objects.create(
                    action=action,
                    source=source,
                    name=name,
                    email=email,
                    phone=phone,
                    consent_to_contact=consent,
                    organisation=organisation,
                    added_by=added_by,
                )
                plan_for_rsvp(rsvp)
                return rsvp, True
            new_email = bool(email and not existing.email)
            existing.email = existing.email or email
            existing.phone = existing.phone or phone
            existing.consent_to_contact = existing.consent_to_contact or consent
            existing.save(update_fields=["email", "phone", "consent_to_contact"])
            if new_email:
                plan_for_rsvp(existing)
            return existing, False

    @property
    def phone_display(self) -> str:
        """The phone as people write it where the local is (stored in E.164)."""
        return display_phone(self.phone)

    def contact_shown_to_stewards(self) -> bool:
        """Stewards see how to reach only those who agreed to be contacted; the others gave
        their address for this action's messages alone."""
        return self.consent_to_contact


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


class Reminder(models.Model):
    """One message to one person, planned in the same transaction as the change that causes it
    and sent once by ``actions.reminders.send_due``. See that module for the states."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        CANCELLATION = "cancellation", _("Cancellation notice")
        DIGEST = "digest", _("Weekly steward digest")
        INVITATION = "invitation", _("Invitation")
        CONFIRMATION = "confirmation", _("RSVP confirmation")
        MOVED = "moved", _("Notice of a new time")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

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
    # What the leader said when cancelling or moving the event, and the time it had before.
    note = models.TextField(blank=True)
    previous_starts_at = models.DateTimeField(null=True, blank=True)
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    handoff_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="reminder_pending_due",
            ),
            models.Index(
                fields=["lease_until"],
                condition=models.Q(status="sending"),
                name="reminder_sending_lease",
            ),
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

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so receiving servers can drop a duplicate."""
        return (
            f"<reminder-{self.pk}-{hashlib.sha256(self.key.encode()).hexdigest()[:16]}@commongood>"
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


class CalendarFeed(models.Model):
    """A person's private calendar address. Only a hash of the token is kept; revoking deletes
    the row, so the old address stops working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> str:
        """Replace the user's feed address with a new one and return its token."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"token_hash": cls.hash_token(token)})
        return token
