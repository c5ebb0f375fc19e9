from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from campaigns.phones import display_phone, normalise_phone_or_none

from .action import Action


class Participation(models.Model):
    """Whether a member said they are coming to an action and, afterwards, whether they came.
    Recorded by their building's steward or a leader."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(
        "campaigns.Member", on_delete=models.CASCADE, related_name="action_participations"
    )
    coming = models.BooleanField(_("coming"), default=False)
    attended = models.BooleanField(_("came"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The record's id outside the app (the OSDI API's ``common_good:<uuid>``).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "member"], name="one_participation_per_action"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.action}"

    @classmethod
    def mark(cls, action: Action, member, *, by, **answers: bool) -> tuple[Participation, bool]:
        """Record that ``member`` is ``coming`` or ``attended`` (or not); someone who came was
        coming. Returns the record and whether it is new. The caller has checked that ``by``
        may mark this member for this action."""
        unknown = set(answers) - {"coming", "attended"}
        if unknown:
            raise ValueError(f"unknown answers: {sorted(unknown)}")
        with transaction.atomic():
            record, created = cls.objects.select_for_update().get_or_create(
                action=action, member=member
            )
            for field, value in answers.items():
                setattr(record, field, value)
            if answers.get("attended"):
                record.coming = True
            record.recorded_by = by
            record.save()
        return record, created


def normalise_phone(text: str) -> str | None:
    """The number in E.164 (+19165550101), or None when it is not a phone number."""
    return normalise_phone_or_none(text)


class Rsvp(models.Model):
    """Someone from outside the member roster coming to an action: a person who answered the
    public form, or someone a partner organisation signed up."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public form")
        PARTNER = "partner", _("Partner organisation")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="rsvps")
    source = models.CharField(max_length=20, choices=Source.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent_to_contact = models.BooleanField(
        _("may be contacted about the campaign"), default=False
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_rsvps",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The language of the page the person signed up on: their confirmation and reminders.
    language = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The RSVP's id outside the app (the OSDI API's ``common_good:<uuid>``).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "email"],
                condition=models.Q(source="public"),
                name="one_public_rsvp_per_email",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def sign_up(
        cls,
        action: Action,
        *,
        source: str,
        name: str,
        email: str = "",
        phone: str = "",
        consent: bool = False,
        organisation=None,
        added_by=None,
        language: str = "",
    ) -> tuple[Rsvp, bool]:
        """Put a person on an action's list once: whoever is already on it with the same email
        (in any case) or the same phone is the same person, and only gains what is new (a
        contact, their consent). The confirmation and reminders are planned in the same
        transaction. Returns the RSVP and whether it is new."""
        from ..reminders import plan_for_rsvp

        email = email.strip().lower()
        with transaction.atomic():
            # One sign-up at a time per action, so two at once cannot both add one person.
            list(Action.objects.select_for_update().filter(pk=action.pk).values_list("pk"))
            same = models.Q(pk__in=[])
            if email:
                same |= models.Q(email__iexact=email)
            if phone:
                same |= models.Q(phone=phone)
            existing = cls.objects.filter(action=action).filter(same).first()
            if existing is None:
                rsvp = cls.objects.create(
                    action=action,
                    source=source,
                    name=name,
                    email=email,
                    phone=phone,
                    consent_to_contact=consent,
                    organisation=organisation,
                    added_by=added_by,
                    language=language,
                )
                plan_for_rsvp(rsvp)
                return rsvp, True
            new_email = bool(email and not existing.email)
            existing.email = existing.email or email
            existing.phone = existing.phone or phone
            existing.consent_to_contact = existing.consent_to_contact or consent
            existing.save(update_fields=["email", "phone", "consent_to_contact", "updated_at"])
            if new_email:
                plan_for_rsvp(existing)
            return existing, False

    @property
    def phone_display(self) -> str:
        """The phone as people write it where the local is (stored in E.164)."""
        return display_phone(self.phone)

    def contact_shown_to_stewards(self) -> bool:
        """Stewards see how to reach only those who agreed to be contacted; the others gave
        their address for this action's messages alone."""
        return self.consent_to_contact
