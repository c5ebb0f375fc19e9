from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user) -> DemandQuerySet:
        """Leaders see their locals' demands; stewards read them; a partner person sees the
        demands their organisation co-authors or that were shared with it."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
            | models.Q(coauthors__in=roles.organisation_ids)
            | models.Q(shared_with__in=roles.organisation_ids)
        ).distinct()

    def published(self) -> DemandQuerySet:
        return self.filter(published_at__isnull=False)


class Demand(models.Model):
    """A campaign demand, written by the union and its partners together."""

    class Category(models.TextChoices):
        WAGES = "wages", _("Wages and benefits")
        CONDITIONS = "conditions", _("Working and learning conditions")
        HEALTH = "health", _("Common good: health")
        HOUSING = "housing", _("Common good: housing")
        SAFETY = "safety", _("Common good: safety")
        DISCIPLINE = "discipline", _("Common good: discipline")
        CURRICULUM = "curriculum", _("Common good: curriculum")
        STAFFING = "staffing", _("Common good: staffing")
        IMMIGRATION = "immigration", _("Common good: immigration")
        OTHER = "other", _("Common good: other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In coalition review")
        ADOPTED = "adopted", _("Adopted")
        PROPOSED = "proposed", _("Proposed at the table")
        TENTATIVE = "tentative", _("Tentative agreement")
        WON = "won", _("Won")
        PARTLY_WON = "partly_won", _("Partly won")
        LOST = "lost", _("Lost")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="demands"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown on the public page."))
    problem = models.TextField(_("problem statement"), blank=True)
    solution = models.TextField(_("proposed solution"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.CONDITIONS
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    coauthors = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="coauthored_demands",
        verbose_name=_("co-authoring organisations"),
    )
    shared_with = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="shared_demands",
        verbose_name=_("shared with"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["priority", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> TargetQuerySet:
        roles = roles_for(user)
        return self.filter(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)


class Target(models.Model):
    """Someone on the power map: a decision-maker, a bad actor, an influencer or an ally."""

    class Kind(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision-maker")
        BAD_ACTOR = "bad_actor", _("Bad actor")
        INFLUENCER = "influencer", _("Influencer")
        ALLY = "ally", _("Ally")

    class Alignment(models.IntegerChoices):
        STRONG_ALLY = 2, _("Strong ally")
        ALLY = 1, _("Leaning ally")
        NEUTRAL = 0, _("Neutral")
        OPPONENT = -1, _("Leaning opponent")
        STRONG_OPPONENT = -2, _("Strong opponent")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.DECISION_MAKER
    )
    power = models.PositiveSmallIntegerField(
        _("power"), default=3, help_text=_("1 (little) to 5 (decides).")
    )
    alignment = models.SmallIntegerField(
        _("alignment"), choices=Alignment.choices, default=Alignment.NEUTRAL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-power", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(power__gte=1, power__lte=5), name="target_power_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return self.name
