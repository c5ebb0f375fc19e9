"""What a broadcast's readers do with it: the links they follow (counted, and who followed
only where the local turned that on) and each local's broadcast settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Link(models.Model):
    """A link in a broadcast, followed through ``/r/<token>/``, which counts the click."""

    broadcast = models.ForeignKey(
        "broadcasts.Broadcast", on_delete=models.CASCADE, related_name="links"
    )
    url = models.URLField(max_length=2000)
    token = models.CharField(max_length=32, unique=True)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(fields=["broadcast", "url"], name="one_link_per_url")
        ]

    def __str__(self) -> str:
        return self.url

    @classmethod
    def extract(cls, broadcast) -> dict[str, Link]:
        """A ``Link`` for each address in the broadcast's texts, made once."""
        import secrets

        from .composing import URL_PATTERN

        urls = {
            match.group(0)
            for text in broadcast.texts.all()
            for match in URL_PATTERN.finditer(text.body)
        }
        existing = {link.url: link for link in broadcast.links.all()}
        for url in sorted(urls - set(existing)):
            existing[url] = cls.objects.create(
                broadcast=broadcast, url=url, token=secrets.token_urlsafe(12)
            )
        return existing


class Click(models.Model):
    """Who followed a link: recorded only where the local turned per-person tracking on."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="+")
    delivery = models.ForeignKey(
        "broadcasts.Delivery", on_delete=models.CASCADE, related_name="clicks"
    )
    clicked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")

    def __str__(self) -> str:
        return f"{self.link} · {self.clicked_at:%Y-%m-%d %H:%M}"


class BroadcastSettings(models.Model):
    """A local's choices for broadcasts: per-person click tracking (off unless turned on) and
    the text stewards send from their phones."""

    local = models.OneToOneField(
        "campaigns.Local", on_delete=models.CASCADE, related_name="broadcast_settings"
    )
    track_people = models.BooleanField(
        _("record who followed each link"),
        default=False,
        help_text=_("Off: links count clicks without recording who."),
    )
    text_template = models.TextField(
        _("text message for stewards"),
        blank=True,
        help_text=_("Stewards send it from their own phones. {first_name} becomes the member's."),
    )

    class Meta:
        verbose_name = _("broadcast settings")
        verbose_name_plural = _("broadcast settings")

    def __str__(self) -> str:
        return str(self.local)

    @classmethod
    def for_local(cls, local_id: int) -> BroadcastSettings:
        return cls.objects.filter(local_id=local_id).first() or cls(local_id=local_id)
