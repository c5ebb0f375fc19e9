"""What the bargaining record's models share: text in the reader's language, the leaders'
queryset and publishing item by item."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.content import TranslatedContent, reading_language


def localized(obj, field: str) -> str:
    """A public text in the content language being written in, where it is translated."""
    if isinstance(obj, TranslatedContent):
        return obj.text_in(field, reading_language()).text
    if (get_language() or "en").startswith("es"):
        spanish = getattr(obj, f"{field}_es", "")
        if spanish:
            return spanish
    return getattr(obj, field)


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
