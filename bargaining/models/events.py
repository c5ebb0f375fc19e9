"""The events that shape a campaign outside the sessions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from campaigns.versioning import Versioned

from .base import LedQuerySet, Publishable, TranslatedRecord, localized


class CampaignEvent(TranslatedRecord, Versioned, Publishable):
    """Something that shapes the campaign outside the sessions: a request to bargain, dates
    the other side declined, impasse, mediation, fact-finding, and the votes."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request to bargain")
        DECLINED = "declined", _("Declined dates")
        IMPASSE = "impasse", _("Impasse")
        MEDIATION = "mediation", _("Mediation")
        FACT_FINDING = "fact_finding", _("Fact-finding")
        STRIKE_VOTE = "strike_vote", _("Strike authorisation vote")
        RATIFICATION = "ratification", _("Ratification vote")
        OTHER = "other", _("Other")

    VOTES = (Kind.STRIKE_VOTE, Kind.RATIFICATION)

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="bargaining_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    declined_dates = models.PositiveIntegerField(
        _("dates declined"), null=True, blank=True, help_text=_("For declined dates.")
    )
    votes_yes = models.PositiveIntegerField(_("votes yes"), null=True, blank=True)
    votes_no = models.PositiveIntegerField(_("votes no"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The title and description in the local's other languages (``title_es``...).
    i18n = TranslationField(fields=("title", "description"))
    TRANSLATED_FIELDS = ("title", "description")

    objects = LedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bargaining:campaign", args=[self.campaign.slug]) + f"#event-{self.pk}"

    def clean(self) -> None:
        if self.kind not in self.VOTES and (self.votes_yes or self.votes_no):
            raise ValidationError(_("Only a vote has results."))

    @property
    def public_title(self) -> str:
        return localized(self, "title")

    @property
    def public_description(self) -> str:
        return localized(self, "description")

    @property
    def is_vote(self) -> bool:
        return self.kind in self.VOTES

    @property
    def votes_total(self) -> int:
        return (self.votes_yes or 0) + (self.votes_no or 0)

    @property
    def yes_percent(self) -> int | None:
        if not self.votes_total:
            return None
        return round(100 * (self.votes_yes or 0) / self.votes_total)
