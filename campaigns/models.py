from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for


class LocalQuerySet(models.QuerySet):
    def visible_to(self, user) -> LocalQuerySet:
        return self.filter(pk__in=roles_for(user).local_ids)

    def led_by(self, user) -> LocalQuerySet:
        return self.filter(pk__in=roles_for(user).led_local_ids)


class Local(models.Model):
    """A union local: the bargaining unit's union, with one employer and many buildings."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    employer = models.CharField(_("employer"), max_length=200, help_text=_("The school district."))
    timezone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    require_leader_mfa = models.BooleanField(
        _("require two-factor sign-in for leaders"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LocalQuerySet.as_manager()

    class Meta:
        verbose_name = _("local")
        verbose_name_plural = _("locals")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BuildingQuerySet(models.QuerySet):
    def visible_to(self, user) -> BuildingQuerySet:
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids) | models.Q(pk__in=roles.building_ids)
        )

    def with_member_counts(self) -> BuildingQuerySet:
        return self.annotate(
            member_count=models.Count(
                "members", filter=models.Q(members__left_at__isnull=True), distinct=True
            ),
            steward_count=models.Count("stewardships", distinct=True),
        ).order_by("name")


class Building(models.Model):
    """A worksite: a school or an office where members work."""

    class Kind(models.TextChoices):
        EARLY = "early", _("Early childhood")
        ELEMENTARY = "elementary", _("Elementary school")
        K8 = "k8", _("K-8 school")
        MIDDLE = "middle", _("Middle school")
        HIGH = "high", _("High school")
        ALTERNATIVE = "alternative", _("Alternative or continuation school")
        ADULT = "adult", _("Adult education")
        OFFICE = "office", _("District office")
        OTHER = "other", _("Other worksite")

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="buildings")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    address = models.CharField(_("address"), max_length=300, blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["local", "name"], name="unique_building_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:building", args=[self.pk])


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user) -> MemberQuerySet:
        """Leaders see their locals' members; stewards their buildings'; nobody else any."""
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids)
            | models.Q(building_id__in=roles.building_ids)
        )

    def current(self) -> MemberQuerySet:
        return self.filter(left_at__isnull=True)


class Member(models.Model):
    """A bargaining-unit member. Personal data: only leaders and the building's stewards see it."""

    class SupportLevel(models.IntegerChoices):
        LEADER = 1, _("1 · Leader or activist")
        SUPPORTER = 2, _("2 · Supporter")
        UNDECIDED = 3, _("3 · Undecided")
        LEANING_AGAINST = 4, _("4 · Leaning against")
        OPPOSED = 5, _("5 · Opposed")

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="members")
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    employee_id = models.CharField(_("employee id"), max_length=50, blank=True)
    work_email = models.EmailField(_("work email"), blank=True)
    personal_email = models.EmailField(_("personal email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    job_class = models.CharField(_("job class"), max_length=100, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=50, blank=True)
    support_level = models.PositiveSmallIntegerField(
        _("support level"), choices=SupportLevel.choices, null=True, blank=True
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    last_contacted_at = models.DateTimeField(_("last contacted"), null=True, blank=True)
    left_at = models.DateTimeField(
        _("left the roster"), null=True, blank=True, help_text=_("Missing from the last roster.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["building", "last_contacted_at"]),
            models.Index(fields=["local", "employee_id"]),
            models.Index(fields=["local", "work_email"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        return self.filter(local_id__in=roles_for(user).local_ids)

    def led_by(self, user) -> CampaignQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)


class Campaign(models.Model):
    """One Bargaining for the Common Good campaign of a local."""

    local = models.ForeignKey(Local, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("web address"), unique=True, help_text=_("Used in the public page's address.")
    )
    bargaining_target_date = models.DateField(_("bargaining target date"))
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("What the campaign is about, in plain language.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-bargaining_target_date"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.slug])


class StructureTest(models.Model):
    """A campaign-wide test of the structure: everyone signs the petition, wears red on
    Thursday, comes to the rally. Stewards record who took part."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="structure_tests")
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("structure test")
        verbose_name_plural = _("structure tests")
        ordering = ["-held_on", "name"]

    def __str__(self) -> str:
        return self.name


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
