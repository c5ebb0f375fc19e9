"""Signatures of a petition (on line, counted once confirmed; on paper, counted at once) and
the petition's delivery to its target."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .supporters import Consent, Supporter, normalise_email


class SignatureQuerySet(models.QuerySet):
    def counted(self) -> SignatureQuerySet:
        return self.filter(confirmed_at__isnull=False)


class Signature(models.Model):
    """One person's signature of one petition: counted once confirmed (at once on paper)."""

    class Source(models.TextChoices):
        ONLINE = "online", _("On line")
        PAPER = "paper", _("On paper")
        API = "api", _("From another tool (API)")

    petition = models.ForeignKey(
        "reach.Petition", on_delete=models.CASCADE, related_name="signatures"
    )
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="signatures")
    # The signature's id outside the app (the OSDI API's ``common_good:<uuid>``).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    brought_by = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    # The words of the boxes the signer ticked, given as consent once they confirm.
    campaign_updates_wording = models.TextField(blank=True)
    partner_updates_wording = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "supporter"], name="one_signature_each")
        ]
        indexes = [
            models.Index(fields=["petition", "confirmed_at"], name="signature_counted"),
            # The team's petition page lists the newest signatures first: read backwards, this
            # hands over the page's 50 rows in order, so the join to the signers (and their
            # members) is 50 look-ups instead of a hash of the local's 36,000 members.
            models.Index(
                fields=["petition", "confirmed_at", "id"],
                condition=models.Q(confirmed_at__isnull=False),
                name="signature_listed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} · {self.petition}"

    @property
    def is_counted(self) -> bool:
        return self.confirmed_at is not None

    def confirm(self) -> bool:
        """The signer clicked the link in the email: count the signature, confirm their
        address and record the consents they ticked, in their words. Returns whether this
        click counted it (a second click changes nothing)."""
        with transaction.atomic():
            locked = Signature.objects.select_for_update().get(pk=self.pk)
            if locked.confirmed_at is not None:
                self.confirmed_at = locked.confirmed_at
                return False
            self.confirmed_at = timezone.now()
            self.save(update_fields=["confirmed_at"])
            self.supporter.confirm_email(at=self.confirmed_at)
            if self.campaign_updates_wording:
                self.supporter.give_consent(
                    Consent.Purpose.CAMPAIGN_UPDATES,
                    how=Consent.How.ONLINE,
                    wording=self.campaign_updates_wording,
                    at=self.confirmed_at,
                )
            if self.partner_updates_wording and self.brought_by_id:
                self.supporter.give_consent(
                    Consent.Purpose.PARTNER_UPDATES,
                    how=Consent.How.ONLINE,
                    wording=self.partner_updates_wording,
                    organisation=self.brought_by,
                    at=self.confirmed_at,
                )
            self.count_member(by=None)
        return True

    # The outbox (actions.reminders) sends the confirmation email through these.
    @classmethod
    def outbox_message(cls, reminder):
        from ..confirmation import confirmation_message

        return confirmation_message(reminder)

    @classmethod
    def outbox_skip_reason(cls, reminder) -> str:
        from ..confirmation import why_not_send

        return why_not_send(reminder)

    def count_member(self, *, by) -> None:
        """A member who signs takes part in the petition's structure test."""
        from campaigns.models import Local, StructureTestParticipation

        test_id = self.petition.structure_test_id
        if self.supporter.member_id is None or test_id is None:
            return
        StructureTestParticipation.objects.get_or_create(
            test_id=test_id, member_id=self.supporter.member_id, defaults={"recorded_by": by}
        )
        Local.organizing_changed(self.supporter.local_id)


class Delivery(models.Model):
    """The petition handed to its target: on which day, to whom, and the action it became."""

    petition = models.OneToOneField(
        "reach.Petition", on_delete=models.CASCADE, related_name="delivery"
    )
    delivered_on = models.DateField(_("delivered on"))
    delivered_to = models.CharField(_("delivered to"), max_length=200)
    signature_count = models.PositiveIntegerField(_("signatures delivered"))
    action = models.ForeignKey(
        "actions.Action", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.petition} → {self.delivered_to}"


def duplicate_key(name: str, email: str, postcode: str) -> str:
    """What makes two sheet rows the same person: the email when there is one, else the name
    (case and spacing aside) with the postcode."""
    email = normalise_email(email)
    if email:
        return f"@{email}"
    return "#" + " ".join((name or "").lower().split()) + "|" + (postcode or "").strip().lower()
