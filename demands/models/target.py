"""The power map's targets."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.versioning import Versioned


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> TargetQuerySet:
        roles = roles_for(user)
        return self.filter(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)


class Target(Versioned):
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
    cares_about = models.TextField(_("what they care about"), blank=True)
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Where we learned this: minutes, filings, news.")
    )
    influences = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="influenced_by",
        verbose_name=_("influences"),
        help_text=_("Other targets this one has sway over."),
    )
    organisations = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="target_relationships",
        verbose_name=_("partner organisations with a relationship"),
    )
    members = models.ManyToManyField(
        "campaigns.Member",
        blank=True,
        related_name="target_relationships",
        verbose_name=_("union members with a relationship"),
        help_text=_("Only leaders see these names."),
    )

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

    def get_absolute_url(self) -> str:
        return reverse("demands:target", args=[self.pk])

    # One translation each, unlike get_FOO_display, which translates every choice.
    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def alignment_label(self) -> str:
        return str(self.Alignment(self.alignment).label)

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.campaign.local_id)
