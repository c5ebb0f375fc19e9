"""The campaign's public open-bargaining page and the stored PDFs of its public report."""

from __future__ import annotations

from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from campaigns.content import TranslatedContent


class PublicPage(TranslatedContent, models.Model):
    """A campaign's public open-bargaining page: the switch and its story. What it shows is
    versioned by ``Campaign.public_version``."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="public_page"
    )
    is_on = models.BooleanField(
        _("public page on"),
        default=False,
        help_text=_("When on, anyone can read what you published at /open/<campaign>/."),
    )
    story = models.TextField(
        _("story"), blank=True, help_text=_("The campaign in plain language, for the public.")
    )
    tracker_on = models.BooleanField(
        _("article tracker on"),
        default=False,
        help_text=_(
            "When on, the public page links to each article's published positions, side by side."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The story in the local's other languages (``story_es``, ``story_hmn``...).
    i18n = TranslationField(fields=("story",))
    TRANSLATED_FIELDS = ("story",)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return str(self.campaign)

    def get_absolute_url(self) -> str:
        return reverse("open:campaign", args=[self.campaign.slug])

    def save_settings(
        self, *, translations: dict | None = None, content_languages: list[str] | None = None
    ) -> None:
        """Save the switch, the story and its translations ({language: {"story": text}}),
        and the languages the local publishes in; the page, feed, calendar and report follow."""
        with transaction.atomic():
            if translations:
                self.i18n = self.translated_i18n(translations)
            self.save()
            if content_languages is not None:
                local = self.campaign.local
                local.content_languages = list(content_languages)
                local.save(update_fields=["content_languages"])
            self.campaign.public_changed()


class PublishedReport(models.Model):
    """The stored PDF of a campaign's public report in one language, rendered in the
    background; anonymous downloads read it and never render."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="published_reports"
    )
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to="bargaining/reports/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    page_version = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="one_report_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ({self.language})"
