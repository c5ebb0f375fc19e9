from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Leaders see their locals' partners; a partner person sees their own organisation."""
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids) | models.Q(pk__in=roles.organisation_ids)
        )


class Organisation(models.Model):
    """A community partner organisation working with the local."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("Parent group")
        FAITH = "faith", _("Faith group")
        TENANTS = "tenants", _("Tenants' union")
        STUDENT = "student", _("Student group")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood council")
        LABOUR = "labour", _("Labour union")
        COMMUNITY = "community", _("Community organisation")
        ELECTED = "elected", _("Elected office")
        OTHER = "other", _("Other")

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        FIRST_ONE_ON_ONE = "first_1on1", _("First 1-on-1 held")
        LISTENING = "listening", _("Listening session held")
        COALITION = "coalition", _("Coalition member")
        CO_LEADING = "co_leading", _("Co-leading")

    local = models.ForeignKey(
        "campaigns.Local", on_delete=models.CASCADE, related_name="organisations"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNITY)
    stage = models.CharField(
        _("relationship stage"), max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    cares_about = models.TextField(_("what they care about"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["local", "name"], name="unique_organisation_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:detail", args=[self.pk])
