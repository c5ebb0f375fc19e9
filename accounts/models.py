from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.outbox import MailOutboxRow

from .access import roles_for

INVITATION_LIFETIME = timedelta(days=7)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: a leader, a steward or a partner. Email is the login."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # One of settings.LANGUAGES: the pages this person sees once signed in, and every email
    # to them. Blank until they choose (their pages then follow the browser, their emails the
    # site's default). Not a choices field, so turning on an interface language needs no
    # migration.
    language = models.CharField(_("language"), max_length=10, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def interface_language(self) -> str:
        """The language to show and write to this person in: theirs, if the site has it."""
        from .languages import interface_language

        return interface_language(self.language)

    def choose_language(self, code: str) -> None:
        if code != self.language:
            self.language = code
            User.objects.filter(pk=self.pk).update(language=code)


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    STEWARD = "steward", _("Steward")
    PARTNER = "partner", _("Partner")


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> MembershipQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)


def organizing_changed(*local_ids: int | None) -> None:
    """``Local.organizing_changed``: a role decides which buildings a steward counts for. The
    local is campaigns', which builds on this app, so it is reached through the relation."""
    Membership._meta.get_field("local").related_model.organizing_changed(*local_ids)


class Membership(models.Model):
    """A user's role in one local: leader, steward of buildings, or partner of an organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    local = models.ForeignKey(
        "campaigns.Local", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    buildings = models.ManyToManyField(
        "campaigns.Building", blank=True, related_name="stewardships", verbose_name=_("buildings")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("partner organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "local"], name="one_role_per_local"),
            models.CheckConstraint(
                condition=~models.Q(role="partner") | models.Q(organisation__isnull=False),
                name="partner_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.local}"

    def remove(self) -> None:
        """Take the role away, and with a steward's role the buildings they looked after."""
        with transaction.atomic():
            self.delete()
            organizing_changed(self.local_id)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        return self.filter(local_id__in=roles_for(user).led_local_ids)

    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def with_token(self, token: str) -> InvitationQuerySet:
        return self.filter(token_hash=Invitation.hash_token(token))

    def with_email_status(self) -> InvitationQuerySet:
        """Annotate each invitation with the outbox status of its email (see ``email_note``)."""
        emails = InvitationEmail.objects.filter(invitation_id=models.OuterRef("pk"))
        return self.annotate(email_status=models.Subquery(emails.values("status")[:1]))


class Invitation(models.Model):
    """An emailed invitation to join a local in a role. Its link expires and works once.

    Only a hash of the token is stored, so a copy of the database cannot be used to join.
    """

    local = models.ForeignKey(
        "campaigns.Local", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The invitation email's language, and the language the new account starts with.
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    buildings = models.ManyToManyField(
        "campaigns.Building", blank=True, related_name="+", verbose_name=_("buildings")
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner organisation"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls,
        *,
        local,
        email: str,
        role: str,
        invited_by,
        organisation=None,
        buildings=(),
        language: str = "",
    ):
        """Create an invitation and return it with the one-time token for its link."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            local=local,
            email=email.lower(),
            role=role,
            language=language or settings.LANGUAGE_CODE,
            organisation=organisation if role == Role.PARTNER else None,
            invited_by=invited_by,
            token_hash=cls.hash_token(token),
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        if role == Role.STEWARD:
            invitation.buildings.set(buildings)
        return invitation, token

    @property
    def email_note(self) -> str:
        """What a leader should know about the email, when it has not simply gone out."""
        status = getattr(self, "email_status", None)
        if status in {"pending", "sending"}:
            return _("email not sent yet")
        if status == "failed":
            return _("the email could not be sent; send it again")
        return ""

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("revoked")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("pending")

    def accept(self, user: User) -> Membership:
        """Give the user the invited role in the local. Call inside a transaction."""
        membership, _created = Membership.objects.update_or_create(
            user=user,
            local=self.local,
            defaults={"role": self.role, "organisation": self.organisation},
        )
        if self.role == Role.STEWARD:
            membership.buildings.set(self.buildings.all())
        else:
            membership.buildings.clear()
        self.accepted_at = timezone.now()
        self.accepted_by = user
        self.save(update_fields=["accepted_at", "accepted_by"])
        organizing_changed(self.local_id)
        return membership

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def replace_token(self) -> str:
        """Give the invitation a new link, recorded as sent now; the previous link stops working.

        Called when its email is built, because only the token's hash is stored."""
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        self.sent_at = timezone.now()
        Invitation.objects.filter(pk=self.pk).update(
            token_hash=self.token_hash, sent_at=self.sent_at
        )
        return token

    def accept_url(self, token: str) -> str:
        return reverse("accounts:accept_invitation", args=[token])


class InvitationEmail(MailOutboxRow):
    """An invitation's email in the outbox (config/outbox.py): written in the transaction that
    issues the invitation, sent once by ``campaigns.invitations``. It names the invitation only;
    the link is made when the email is built."""

    message_prefix = "invitation"

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="outbox_email"
    )

    class Meta(MailOutboxRow.Meta):
        verbose_name = _("invitation email")
        verbose_name_plural = _("invitation emails")

    def __str__(self) -> str:
        return str(self.invitation_id)

    def message_key(self) -> str:
        return f"invitation:{self.invitation_id}"
