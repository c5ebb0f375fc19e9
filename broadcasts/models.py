"""Broadcasts: one email to a segment, written in one or more languages, sent exactly once.

A broadcast is a draft until a leader schedules it. Scheduling writes one ``Delivery`` row per
recipient in the same transaction (see ``Broadcast.schedule``); the rows are then claimed and
sent by Celery exactly as reminders are (``broadcasts/sending.py``).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.models import Member
from campaigns.versioning import Versioned
from config.outbox import MailOutboxRow


class BroadcastQuerySet(models.QuerySet):
    def visible_to(self, user) -> BroadcastQuerySet:
        """Broadcasts name their recipients: only the local's leaders see them (their
        partners' broadcasts too, to know who wrote what to whom)."""
        return self.filter(campaign__local_id__in=roles_for(user).led_local_ids)

    def sent_by_partners_of(self, user) -> BroadcastQuerySet:
        """The broadcasts the person's partner organisations write to their own supporters."""
        return self.filter(
            organisation_id__in=roles_for(user).organisation_ids,
            audience=Broadcast.Audience.PARTNER_SUPPORTERS,
        )


class Broadcast(Versioned, models.Model):
    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members")
        STEWARDS = "stewards", _("Stewards")
        PARTNER_CONTACTS = "partner_contacts", _("Partner organisations' contacts")
        ACTION_RSVPS = "action_rsvps", _("People who RSVPed to an action")
        SUPPORTERS = "supporters", _("Supporters who agreed to the campaign's updates")
        PETITION_SIGNERS = "petition_signers", _("People who signed a petition")
        # Only a partner organisation's own broadcasts have this audience, and only it.
        PARTNER_SUPPORTERS = (
            "partner_supporters",
            _("Supporters who agreed to the organisation's updates"),
        )

    # Audiences whose readers agreed to the campaign's updates as supporters: unsubscribing
    # withdraws that agreement as well as stopping the campaign's broadcasts.
    CAMPAIGN_UPDATES_AUDIENCES = frozenset({Audience.SUPPORTERS, Audience.PETITION_SIGNERS})

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="broadcasts"
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For your list of broadcasts; readers never see it.")
    )
    audience = models.CharField(
        _("send to"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    # Member filters (only for the members audience); empty means "any".
    building = models.ForeignKey(
        "campaigns.Building",
        verbose_name=_("building"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    support_level = models.PositiveSmallIntegerField(_("support level"), null=True, blank=True)
    member_language = models.CharField(_("preferred language"), max_length=50, blank=True)
    tag = models.CharField(_("tag"), max_length=50, blank=True)
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Members: only those who said they are coming. RSVPs: that action's."),
    )
    petition = models.ForeignKey(
        "reach.Petition",
        verbose_name=_("petition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who signed it: members, and supporters who agreed to updates."),
    )
    survey = models.ForeignKey(
        "surveys.Survey",
        verbose_name=_("survey for {survey_link}"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Members only: {survey_link} in the message becomes each one's own link."),
    )
    # The partner organisation writing to the supporters it brought; empty for the union's.
    organisation = models.ForeignKey(
        "partners.Organisation",
        verbose_name=_("from"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="broadcasts",
    )
    default_language = models.CharField(
        _("default language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    # When the last delivery finished (sent, failed for good or not sent): set with it.
    finished_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BroadcastQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_partners(self) -> bool:
        return self.organisation_id is not None

    def can_write(self, user) -> bool:
        """Who may change and send it: a partner's broadcast is its organisation's people's,
        the union's is its leaders'."""
        roles = roles_for(user)
        if self.is_partners:
            return self.organisation_id in roles.organisation_ids
        return roles.leads(self.campaign.local_id)

    def text_for(self, language: str) -> BroadcastText | None:
        """The text in ``language``, else the default language's (texts prefetched or not)."""
        texts = {text.language: text for text in self.texts.all()}
        return texts.get(language) or texts.get(self.default_language)

    def schedule(self, *, by, send_at=None) -> int:
        """Write one delivery per recipient, due at ``send_at`` (now when None), and queue the
        sending once the transaction commits. Returns how many deliveries were written."""
        from . import segments
        from .sending import send_soon

        now = timezone.now()
        with transaction.atomic():
            locked = Broadcast.objects.select_for_update().get(pk=self.pk)
            if locked.status != self.Status.DRAFT:
                raise ValidationError(_("This broadcast was already scheduled."))
            if not self.texts.filter(language=self.default_language).exists():
                raise ValidationError(_("Write the text in the default language first."))
            due = max(send_at or now, now)
            draft = (self.status, self.send_at, self.scheduled_by_id, self.scheduled_at)
            self.status = self.Status.SCHEDULED
            self.send_at = due
            self.scheduled_by = by
            self.scheduled_at = now
            self.save(update_fields=["status", "send_at", "scheduled_by", "scheduled_at"])
            written = segments.write_deliveries(self, due)
            if not written:
                # Nothing would go out: the draft stays a draft (the transaction rolls back).
                self.status, self.send_at, self.scheduled_by_id, self.scheduled_at = draft
                raise ValidationError(
                    _(
                        "Nobody in this audience can be written to now (no address, or "
                        "unsubscribed): nothing was scheduled."
                    )
                )
            Link.extract(self)
            send_soon()
        return written

    def cancel(self, *, by) -> int:
        """Stop what has not gone out yet; returns how many deliveries were stopped."""
        with transaction.atomic():
            Broadcast.objects.filter(pk=self.pk).update(status=self.Status.CANCELLED)
            self.status = self.Status.CANCELLED
            return self.deliveries.filter(status=Delivery.Status.PENDING).update(
                status=Delivery.Status.CANCELLED, last_error=_("The broadcast was cancelled.")
            )

    def send_test(self, *, to) -> Delivery:
        """A copy to ``to`` (a user), through the same outbox, not counted with the others."""
        from .sending import send_soon

        now = timezone.now()
        with transaction.atomic():
            delivery = Delivery.objects.create(
                broadcast=self,
                key=f"test:{self.pk}:{to.pk}:{now.timestamp()}",
                is_test=True,
                recipient_email=to.email,
                recipient_name=to.get_full_name() if hasattr(to, "get_full_name") else "",
                language=getattr(to, "language", "") or self.default_language,
                next_attempt_at=now,
            )
            Link.extract(self)
            send_soon()
        return delivery

    def retry_failed(self) -> int:
        """Send the failed deliveries again; a sent broadcast is sending again until they end."""
        with transaction.atomic():
            Broadcast.objects.select_for_update().filter(pk=self.pk).first()
            retried = Delivery.objects.filter(broadcast=self, status=Delivery.Status.FAILED).update(
                status=Delivery.Status.PENDING,
                attempts=0,
                next_attempt_at=timezone.now(),
                handoff_at=None,
                last_error="",
            )
            if retried:
                Broadcast.objects.filter(pk=self.pk, status=self.Status.SENT).update(
                    status=self.Status.SCHEDULED, finished_at=None
                )
        return retried

    @classmethod
    def finish_sending(cls, broadcast_ids, now) -> int:
        """Mark sent each scheduled broadcast with nothing left to send. Called in the
        transaction that records how its deliveries ended: the row lock makes two workers
        finishing the last chunks at once take turns, so the second sees the first's rows."""
        if not broadcast_ids:
            return 0
        locked = list(
            cls.objects.select_for_update()
            .filter(pk__in=broadcast_ids, status=cls.Status.SCHEDULED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        waiting = Delivery.objects.filter(
            broadcast_id=models.OuterRef("pk"),
            is_test=False,
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING],
        )
        finished = cls.objects.filter(~models.Exists(waiting), pk__in=locked)
        return cls.objects.filter(pk__in=finished).update(status=cls.Status.SENT, finished_at=now)

    def counts(self) -> dict[str, int]:
        """Sent, failed, pending, cancelled, unsubscribed and clicks, in two queries."""
        rows = (
            self.deliveries.filter(is_test=False)
            .values("status")
            .annotate(n=models.Count("pk"))
            .order_by()
        )
        counts = dict.fromkeys(Delivery.Status.values, 0)
        counts.update({row["status"]: row["n"] for row in rows})
        extra = self.deliveries.filter(is_test=False).aggregate(
            unsubscribed=models.Count("pk", filter=models.Q(unsubscribed_at__isnull=False))
        )
        counts["unsubscribed"] = extra["unsubscribed"]
        counts["clicks"] = self.links.aggregate(n=models.Sum("clicks"))["n"] or 0
        return counts


class BroadcastText(models.Model):
    """The broadcast in one language; recipients with no text in theirs get the default's."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("message"), help_text=_("Plain text. Links are counted when readers follow them.")
    )

    class Meta:
        verbose_name = _("broadcast text")
        verbose_name_plural = _("broadcast texts")
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "language"], name="one_broadcast_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.broadcast} · {self.language}"


class Delivery(MailOutboxRow):
    """One broadcast to one address: an outbox row (see config/outbox.py)."""

    message_prefix = "broadcast"

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    key = models.CharField(max_length=255, unique=True)
    is_test = models.BooleanField(default=False)
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, blank=True)
    # The member it goes to, for what is personal to them (their own survey link).
    member = models.ForeignKey(
        "campaigns.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta(MailOutboxRow.Meta):
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            *MailOutboxRow.Meta.indexes,
            models.Index(fields=["broadcast", "status"]),
            models.Index(fields=["recipient_email", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast} · {self.recipient_email}"

    def unsubscribe(self) -> None:
        """The reader asked for no more of these: honoured from now on for the purpose the
        broadcast was sent for (``segments.unsubscribe`` says how)."""
        from . import segments

        segments.unsubscribe(self)


class Suppression(models.Model):
    """An address not to write to: unsubscribed from one campaign's broadcasts, or (with no
    campaign) bounced or complained, reported by the mail provider's webhook."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    email = models.EmailField()
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "campaign"],
                condition=models.Q(campaign__isnull=False),
                name="one_unsubscribe_per_campaign",
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(campaign__isnull=True),
                name="one_suppression_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.reason}"

    @classmethod
    def suppressed(cls, emails, campaign_id: int) -> set[str]:
        """Which of ``emails`` (lower-cased) may not get this campaign's broadcasts."""
        return set(
            cls.objects.filter(email__in=list(emails))
            .filter(models.Q(campaign__isnull=True) | models.Q(campaign_id=campaign_id))
            .values_list("email", flat=True)
        )

    @classmethod
    def stop(cls, email: str, reason: str, *, campaign_id: int | None = None) -> int:
        """Record the address and stop its pending deliveries (this campaign's, or all)."""
        email = email.strip().lower()
        with transaction.atomic():
            cls.objects.get_or_create(
                email=email, campaign_id=campaign_id, defaults={"reason": reason}
            )
            pending = Delivery.objects.filter(recipient_email=email, status=Delivery.Status.PENDING)
            if campaign_id is not None:
                pending = pending.filter(broadcast__campaign_id=campaign_id)
            return pending.update(
                status=Delivery.Status.CANCELLED, last_error=cls.Reason(reason).label
            )


# Links, clicks and each local's settings live beside the broadcast itself.
# Counted once per local and transaction: the version moves as the transaction commits, so
# a roster import of 36,000 rows holds the version's row for an instant, not for its length.
_ROSTER_CHANGED = """
IF TG_OP = 'UPDATE' AND OLD IS NOT DISTINCT FROM NEW THEN
    RETURN NULL;
END IF;
FOREACH changed IN ARRAY (CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.local_id]
        WHEN 'DELETE' THEN ARRAY[OLD.local_id] ELSE ARRAY[OLD.local_id, NEW.local_id] END) LOOP
    seen := coalesce(nullif(current_setting('cg.roster_changed', true), ''), ',');
    IF strpos(seen, ',' || changed || ',') = 0 THEN
        INSERT INTO broadcasts_rosterversion (local_id, version) VALUES (changed, 1)
        ON CONFLICT (local_id) DO UPDATE SET version = broadcasts_rosterversion.version + 1;
        PERFORM set_config('cg.roster_changed', seen || changed || ',', true);
    END IF;
END LOOP;
RETURN NULL;
"""


class RosterVersion(models.Model):
    """How many transactions have written a member of the local: what is counted over a
    roster (a segment's size) is cached under it. A trigger on the members' table moves it
    as each transaction that wrote one commits, whatever wrote it (a form, a roster import, a
    bulk update, the API), so a cached count is never one the roster has left behind."""

    # No constraint: deleting a local deletes its members, whose deletion counts here.
    local = models.OneToOneField(
        "campaigns.Local",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.local_id}: {self.version}"

    @classmethod
    def of(cls, local_id: int) -> int | None:
        """The local's version, or None where no trigger keeps it (SQLite)."""
        if connection.vendor != "postgresql":
            return None
        versions = cls.objects.filter(local_id=local_id).values_list("version", flat=True)
        return versions.first() or 0


pgtrigger.register(
    pgtrigger.Trigger(
        name="roster_version",
        level=pgtrigger.Row,
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        timing=pgtrigger.Deferred,
        declare=[("changed", "bigint"), ("seen", "text")],
        func=_ROSTER_CHANGED,
    )
)(Member)


from .tracking import BroadcastSettings, Click, Link  # noqa: E402

__all__ = [
    "Broadcast",
    "BroadcastQuerySet",
    "BroadcastSettings",
    "BroadcastText",
    "Click",
    "Delivery",
    "Link",
    "Suppression",
]
