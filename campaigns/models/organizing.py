"""The CAT structure at work: structure tests, 1-on-1 conversations, 10-minute meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for

from .campaign import Campaign
from .people import Building, Local, Member


class StructureTestQuerySet(models.QuerySet):
    def visible_to(self, user) -> StructureTestQuerySet:
        roles = roles_for(user)
        return self.filter(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)


class StructureTest(models.Model):
    """A campaign-wide test of the structure: everyone signs the petition, wears red on
    Thursday, comes to the rally. Stewards record who took part."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="structure_tests")
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StructureTestQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure test")
        verbose_name_plural = _("structure tests")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return self.name

    def mark(self, member: Member, took_part: bool, by) -> bool:
        """Set whether one member took part (unlike ``toggle``, the same mark twice is the
        same result: the phone says what the steward saw). Returns the mark."""
        with transaction.atomic():
            if took_part:
                StructureTestParticipation.objects.get_or_create(
                    test=self, member=member, defaults={"recorded_by": by}
                )
            else:
                self.participations.filter(member=member).delete()
            Local.organizing_changed(member.local_id)
        return took_part

    def toggle(self, member: Member, by) -> bool:
        """Tick or untick one member; returns whether the member now counts as taking part."""
        with transaction.atomic():
            deleted, _by_model = self.participations.filter(member=member).delete()
            if not deleted:
                StructureTestParticipation.objects.get_or_create(
                    test=self, member=member, defaults={"recorded_by": by}
                )
            Local.organizing_changed(member.local_id)
        return not deleted


class StructureTestParticipation(models.Model):
    """One member took part in one structure test, as recorded by a steward or leader."""

    test = models.ForeignKey(StructureTest, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="structure_tests")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("structure test participation")
        verbose_name_plural = _("structure test participations")
        constraints = [
            models.UniqueConstraint(fields=["test", "member"], name="one_participation_per_test")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.test}"


class Conversation(models.Model):
    """A 1-on-1 between a steward (or leader) and a member."""

    class Outcome(models.TextChoices):
        COMMITTED = "committed", _("Said yes to the ask")
        THINKING = "thinking", _("Will think about it")
        DECLINED = "declined", _("Said no")
        NOT_REACHED = "not_reached", _("Could not talk (left a note)")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="conversations")
    # Where the conversation happened (the member's building then): the dashboard counts a
    # building's steward as active from its recent conversations without scanning members.
    building = models.ForeignKey(
        Building, on_delete=models.SET_NULL, null=True, blank=True, related_name="conversations"
    )
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    issues = models.TextField(
        _("issues raised"), blank=True, help_text=_("What they care about, in their words.")
    )
    ask = models.CharField(_("the ask"), max_length=300, blank=True)
    answer = models.CharField(_("their answer"), max_length=300, blank=True)
    support_level = models.PositiveSmallIntegerField(
        _("new support level"), choices=Member.SupportLevel.choices, null=True, blank=True
    )
    # When the steward recorded it: on the phone for a 1-on-1 logged without signal (never
    # later than it reached the server), else when it was saved. Of two assessments of one
    # member, the later recorded one sets the member's support level.
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    # A later recorded 1-on-1 had already set the support level when this one arrived.
    support_superseded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("1-on-1 conversation")
        verbose_name_plural = _("1-on-1 conversations")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["held_on"]),
            # Whether a building had a 1-on-1 lately (the dashboard's active buildings): one
            # probe per building rather than every local's recent conversations.
            models.Index(fields=["building", "held_on"], name="conversation_building_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(support_level__gte=1, support_level__lte=5)
                | models.Q(support_level__isnull=True),
                name="conversation_support_level_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.held_on}"


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        return self.filter(building__in=Building.objects.visible_to(user))


class TenMinuteMeeting(models.Model):
    """A short meeting at a building: a few points, who came, what they asked."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agenda = models.TextField(_("agenda"))
    questions = models.TextField(
        _("questions to answer"), blank=True, help_text=_("What members asked; who follows up.")
    )
    attendees = models.ManyToManyField(
        Member, blank=True, related_name="meetings", verbose_name=_("who attended")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("10-minute meeting")
        verbose_name_plural = _("10-minute meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.building} · {self.held_on}"
