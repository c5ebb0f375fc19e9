"""The OSDI API's own records: people's tokens, the calls made with them, the identifiers that
other tools gave our records, and the webhooks a local's leaders registered with their
deliveries."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from config.outbox import OutboxRow

TOKEN_PREFIX = "cg_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenQuerySet(models.QuerySet):
    def usable(self) -> TokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class Token(models.Model):
    """A person's key to the API. Only its SHA-256 digest is kept: the token itself is shown
    once, when it is made. It can do what its person can do in the app, or only read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so a person can tell their tokens apart.
    hint = models.CharField(max_length=12, editable=False)
    read_only = models.BooleanField(_("read only"), default=True)
    expires_at = models.DateTimeField(_("expires"))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, user, *, name: str, read_only: bool, days: int) -> tuple[Token, str]:
        """Make a token; returns it and the secret, which is never seen again."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=digest(raw),
            hint=raw[:10],
            read_only=read_only,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> Token | None:
        return cls.objects.usable().select_related("user").filter(digest=digest(raw)).first()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class ApiCall(models.Model):
    """One request made with a token: who, what, when and the answer's status. The address
    holds only ids and filters, never personal data."""

    token = models.ForeignKey(Token, on_delete=models.SET_NULL, null=True, related_name="calls")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The local whose leaders see the call on the audit trail: the caller's (their first).
    local = models.ForeignKey(
        "campaigns.Local", on_delete=models.CASCADE, null=True, related_name="+"
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["user", "-at"], name="api_call_user_at"),
            # The audit trail reads a local's calls newest first (audit/trail/).
            models.Index(fields=["local", "at"], name="api_call_local_at"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


class Identifier(models.Model):
    """A foreign id another tool gave one of our records (``action_network:<uuid>``), so that a
    sync finds its own records again."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    prefix = models.CharField(max_length=50)
    value = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "value"], name="unique_identifier")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="api_identifier_of")]

    def __str__(self) -> str:
        return f"{self.prefix}:{self.value}"

    @classmethod
    def attach(cls, record, identifiers: list[str], *, take: bool = True) -> None:
        """Store the client's ids for ``record``; ``common_good:`` ids are ours, not stored.
        Without ``take``, an id another record holds stays with it (a partner's token must
        not move an id off a record it cannot see)."""
        content_type = ContentType.objects.get_for_model(record)
        for identifier in identifiers:
            prefix, _sep, value = identifier.partition(":")
            if not value or prefix == "common_good":
                continue
            owner = {"content_type": content_type, "object_id": record.pk}
            if take:
                cls.objects.update_or_create(prefix=prefix, value=value, defaults=owner)
            else:
                cls.objects.get_or_create(prefix=prefix, value=value, defaults=owner)

    @classmethod
    def find(cls, model, identifiers: list[str]) -> int | None:
        """The pk of the ``model`` record one of ``identifiers`` names, if any."""
        content_type = ContentType.objects.get_for_model(model)
        for identifier in identifiers:
            prefix, _sep, value = identifier.partition(":")
            if prefix == "common_good":
                try:
                    found = model.objects.filter(uuid=uuid.UUID(value)).values("pk").first()
                except ValueError:
                    found = None
                if found:
                    return found["pk"]
                continue
            row = cls.objects.filter(content_type=content_type, prefix=prefix, value=value).first()
            if row:
                return row.object_id
        return None


class WebhookQuerySet(models.QuerySet):
    def visible_to(self, user) -> WebhookQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)


class Webhook(models.Model):
    """An address a local's leader asked us to tell of new people, RSVPs, attendances and
    signatures. Each delivery is signed with HMAC-SHA256 under the webhook's secret."""

    class Event(models.TextChoices):
        PERSON = "person", _("New people")
        RSVP = "rsvp", _("New RSVPs")
        ATTENDANCE = "attendance", _("New attendances")
        SIGNATURE = "signature", _("New signatures")

    local = models.ForeignKey("campaigns.Local", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=100, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # How far the sweep of the app's own pages' events has read (see api/webhooks.py).
    swept_until = models.DateTimeField(null=True, blank=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url

    @classmethod
    def register(cls, *, local, url: str, events: list[str], by) -> tuple[Webhook, str]:
        secret = secrets.token_urlsafe(32)
        hook = cls.objects.create(local=local, url=url, events=events, secret=secret, created_by=by)
        return hook, secret

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.local_id)

    def remove(self) -> None:
        with transaction.atomic():
            self.removed_at = timezone.now()
            self.save(update_fields=["removed_at"])
            self.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.CANCELLED
            )

    @property
    def event_labels(self) -> list[str]:
        labels = dict(self.Event.choices)
        return [str(labels[e]) for e in self.events if e in labels]


class Delivery(OutboxRow):
    """One event for one webhook: written in the transaction that caused the event, sent by
    the worker that claims it (see api/webhooks.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(max_length=20, choices=Webhook.Event.choices)
    # What happened to which record ("rsvp:<uuid>"): one delivery per webhook and key.
    key = models.CharField(max_length=100)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta(OutboxRow.Meta):
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "key"], name="one_delivery_per_event")
        ]
        indexes = [
            *OutboxRow.Meta.indexes,
            models.Index(fields=["status", "due_at"], name="api_delivery_due"),
        ]

    def __str__(self) -> str:
        return self.key
