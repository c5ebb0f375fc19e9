"""What the bargaining record's models share: text in the reader's language, the leaders'
queryset and publishing item by item."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.content import TranslatedContent, field_key, reading_language


def localized(obj, field: str) -> str:
    """A public text in the content language being written in, where it is translated."""
    return obj.text_in(field, reading_language()).text


class TranslatedRecord(TranslatedContent):
    """A bargaining record whose public texts are written in the local's other languages
    (``i18n``, django-modeltrans: ``summary_es``, ``title_hmn``...). A translation is an edit
    like any other: the same version check, and the public page follows at once when the
    record is public (``edited``)."""

    def edit_translations(self, *, texts: dict[str, dict[str, str]], by, expected_version: int):
        """Save the texts of each language of ``texts`` ({language: {field: text}}); an empty
        text removes that translation, so it reads as missing again."""
        changes = {
            field_key(name, language): (fields.get(name) or "").strip()
            for language, fields in texts.items()
            for name in self.TRANSLATED_FIELDS
        }
        self.edit(expected_version=expected_version, by=by, **changes)


class LedQuerySet(models.QuerySet):
    """Bargaining records are read and written by the leaders of the campaign's local only."""

    campaign_path = "campaign__local_id__in"

    def visible_to(self, user):
        return self.filter(**{self.campaign_path: roles_for(user).led_local_ids})

    def published(self):
        return self.filter(published_at__isnull=False)


class Publishable(models.Model):
    """An item a leader publishes to the open-bargaining page, explicitly and reversibly."""

    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publish(self, *, by) -> None:
        with transaction.atomic():
            self.published_at = timezone.now()
            self.published_by = by
            self.save(update_fields=["published_at", "published_by"])
            self.campaign.public_changed()

    def unpublish(self) -> None:
        with transaction.atomic():
            self.published_at = None
            self.published_by = None
            self.save(update_fields=["published_at", "published_by"])
            self.campaign.public_changed()

    def save_edits(self, *, by=None) -> None:
        """Save a new item or a leader's edit, and what follows it (``edited``)."""
        with transaction.atomic():
            self.save()
            self.edited(by=by)

    def edited(self, *, by=None) -> None:
        """After a saved edit (``Versioned.edit`` calls this in its transaction): when the
        item is public, the public page follows at once."""
        if self.is_published:
            self.campaign.public_changed()
