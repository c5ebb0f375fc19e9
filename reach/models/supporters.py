"""Supporters: people outside the member roster who signed, answered or RSVPed, one per email
in each local, and the consent each gave per purpose (when, how, and the exact words)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.phones import normalise_phone


def normalise_email(raw: str) -> str:
    """How an address is compared and stored: without surrounding spaces, in lower case.
    People type the same address in every case ("Ana@Example.org", "ana@example.org"), and
    mail providers deliver them alike."""
    return (raw or "").strip().lower()


class SupporterQuerySet(models.QuerySet):
    def visible_to(self, user) -> SupporterQuerySet:
        """Leaders see their locals' supporters; a partner person sees only those their own
        organisation brought who are not members (members are the union's to see); stewards
        and everyone else see none."""
        roles = roles_for(user)
        return self.filter(
            models.Q(local_id__in=roles.led_local_ids)
            | models.Q(brought_by_id__in=roles.organisation_ids, member__isnull=True)
        )

    def known(self) -> SupporterQuerySet:
        """Every supporter but those who are only an online signature not yet confirmed: until
        the link in the email is clicked, the address may be someone else's."""
        from .signatures import Signature

        signatures = Signature.objects.filter(supporter=models.OuterRef("pk"))
        return self.exclude(
            models.Q(email_confirmed_at__isnull=True)
            & models.Exists(signatures.filter(confirmed_at__isnull=True))
            & ~models.Exists(signatures.filter(confirmed_at__isnull=False))
        )

    def with_subscription(self, *, local_ids, organisation_ids) -> SupporterQuerySet:
        """Annotated with ``subscribed``: whether they agreed, and have not withdrawn, to the
        updates of the campaign of one of ``local_ids`` or of one of ``organisation_ids``
        (what a local's leaders, or a partner's people, may write to them about)."""
        purposes = models.Q(
            purpose=Consent.Purpose.CAMPAIGN_UPDATES, supporter__local_id__in=local_ids
        ) | models.Q(purpose=Consent.Purpose.PARTNER_UPDATES, organisation_id__in=organisation_ids)
        consents = Consent.objects.active().filter(purposes, supporter=models.OuterRef("pk"))
        return self.annotate(subscribed=models.Exists(consents))

    def with_consent(self, purpose: str, organisation=None) -> SupporterQuerySet:
        """Supporters who agreed to ``purpose`` (for a partner's updates, from ``organisation``)
        and have not withdrawn it."""
        consents = Consent.objects.active().filter(purpose=purpose)
        if organisation is not None:
            consents = consents.filter(organisation=organisation)
        return self.filter(pk__in=consents.values("supporter_id"))


class Supporter(models.Model):
    """A person outside the roster, or a member who signed (then ``member`` says who: the
    member's name and phone are read from the member, never copied here)."""

    # The id the API names them by (``common_good:<uuid>``), never the row's number.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    local = models.ForeignKey(
        "campaigns.Local", on_delete=models.CASCADE, related_name="supporters"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    # Empty only for a paper signer who wrote no address.
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    brought_by = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporters",
        verbose_name=_("brought by"),
        help_text=_("The partner organisation whose link they first came through."),
    )
    member = models.ForeignKey(
        "campaigns.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporter_records",
        verbose_name=_("member"),
    )
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["name", "email"]
        constraints = [
            # The same person is one supporter whatever they did: one per email in a local.
            models.UniqueConstraint(
                models.F("local"),
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_supporter_email",
                violation_error_message=_("This local already has a supporter with this email."),
            ),
        ]
        indexes = [models.Index(fields=["brought_by", "local"], name="supporter_brought_by")]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def display_name(self) -> str:
        """The member's name for a member, else the name they gave."""
        if self.member_id is not None:
            return self.member.name
        return self.name

    @property
    def is_member(self) -> bool:
        return self.member_id is not None

    @classmethod
    def match_or_create(
        cls,
        local,
        *,
        email: str,
        name: str = "",
        phone: str = "",
        postcode: str = "",
        language: str = "",
        brought_by=None,
    ) -> tuple[Supporter, bool]:
        """The local's supporter with this email (in any case), made if there is none, and
        whether it was made. A member of the local whose work or personal email it is becomes
        the supporter's ``member`` instead of having their name and phone copied. What an
        existing supporter left blank is filled in; what they gave is never overwritten, and
        the organisation that brought them first keeps the credit."""
        email = normalise_email(email)
        member = cls.member_with_email(local, email)
        details = {
            "name": "" if member else (name or "").strip(),
            "phone": "" if member else normalise_phone(phone),
            "postcode": (postcode or "").strip(),
            "language": language or settings.LANGUAGE_CODE,
            "brought_by": brought_by,
            "member": member,
        }
        if not email:
            return cls.objects.create(local=local, email="", **details), True
        for _attempt in range(2):
            # Compared as the unique index has it (lower case), so the index finds them.
            existing = (
                cls.objects.alias(lower_email=Lower("email"))
                .filter(local=local, lower_email=email)
                .first()
            )
            if existing is not None:
                existing._fill_blanks(details)
                return existing, False
            try:
                with transaction.atomic():
                    return cls.objects.create(local=local, email=email, **details), True
            except IntegrityError:
                # Someone else made them at the same moment: read theirs.
                continue
        raise IntegrityError("supporter could neither be found nor made")  # pragma: no cover

    @classmethod
    def with_email(cls, local, email: str) -> Supporter | None:
        """The local's supporter with this address (in any case), if there is one."""
        email = normalise_email(email)
        if not email:
            return None
        return (
            cls.objects.alias(lower_email=Lower("email"))
            .filter(local=local, lower_email=email)
            .first()
        )

    @staticmethod
    def member_with_email(local, email: str):
        """The local's member whose work or personal email this is, if there is one."""
        from campaigns.models import Member

        if not email:
            return None
        # Each side through its index: the unique one on the lower-cased work email (partial:
        # the query must say the work email is not empty, or PostgreSQL reads every member),
        # and the trigram one that member search reads on the personal email (then compared
        # exactly).
        work = models.Q(lower_work=email) & ~models.Q(work_email="")
        found = (
            Member.objects.alias(lower_work=Lower("work_email"))
            .filter(local=local)
            .filter(work | models.Q(personal_email__icontains=email))
            .order_by("left_at", "pk")
        )
        for member in found[:20]:
            if email in (member.work_email.lower(), member.personal_email.lower()):
                return member
        return None

    def fill_in(self, *, name: str = "", phone: str = "", postcode: str = "", brought_by=None):
        """What they left blank, from another tool that knows them (never overwriting)."""
        details = {
            "member": None,
            "name": (name or "").strip(),
            "phone": normalise_phone(phone),
            "postcode": (postcode or "").strip(),
            "brought_by": brought_by,
        }
        self._fill_blanks(details)

    def _fill_blanks(self, details: dict) -> None:
        changed = []
        if self.member_id is None and details["member"] is not None:
            # They became a member since (a roster import): the member's record holds them.
            self.member, self.name, self.phone = details["member"], "", ""
            changed += ["member", "name", "phone"]
        for field in ("name", "phone", "postcode") if self.member_id is None else ("postcode",):
            if not getattr(self, field) and details[field]:
                setattr(self, field, details[field])
                changed.append(field)
        if self.brought_by_id is None and details["brought_by"] is not None:
            self.brought_by = details["brought_by"]
            changed.append("brought_by")
        if changed:
            self.save(update_fields=[*dict.fromkeys(changed), "updated_at"])

    def confirm_email(self, *, at=None) -> None:
        """They clicked a link sent to their address: it is theirs."""
        if self.email_confirmed_at is None:
            self.email_confirmed_at = at or timezone.now()
            self.save(update_fields=["email_confirmed_at", "updated_at"])

    def give_consent(
        self, purpose: str, *, how: str, wording: str, organisation=None, at=None
    ) -> Consent:
        """Record that they agreed to ``purpose`` in these exact words. An active consent for
        the same purpose stays as it was (the first words and time they agreed to); a
        withdrawn one is not revived: a new record says when they agreed again. A new consent
        changes the supporter, so a sync reading changes since its last run sees it."""
        with transaction.atomic():
            current = (
                self.consents.active()
                .filter(purpose=purpose, organisation=organisation)
                .select_for_update()
                .first()
            )
            if current is not None:
                return current
            consent = Consent.objects.create(
                supporter=self,
                purpose=purpose,
                organisation=organisation,
                how=how,
                wording=wording,
                given_at=at or timezone.now(),
            )
            self.touch()
            return consent

    def touch(self) -> None:
        """Mark the supporter changed now (their consents are part of them)."""
        self.updated_at = timezone.now()
        Supporter.objects.filter(pk=self.pk).update(updated_at=self.updated_at)

    def has_consent(self, purpose: str, organisation=None) -> bool:
        return self.consents.active().filter(purpose=purpose, organisation=organisation).exists()


class ConsentQuerySet(models.QuerySet):
    def active(self) -> ConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def withdraw(self, *, at=None) -> int:
        """Withdraw these consents (an unsubscribe from a broadcast) and mark their supporters
        changed, in one transaction; returns how many were in force."""
        now = at or timezone.now()
        with transaction.atomic():
            active = self.active()
            supporter_ids = list(active.values_list("supporter_id", flat=True))
            withdrawn = active.update(withdrawn_at=now)
            Supporter.objects.filter(pk__in=supporter_ids).update(updated_at=now)
        return withdrawn


class Consent(models.Model):
    """One supporter's agreement to one purpose: when, how, and the words they agreed to."""

    class Purpose(models.TextChoices):
        CAMPAIGN_UPDATES = "campaign_updates", _("Updates from the campaign")
        PARTNER_UPDATES = "partner_updates", _("Updates from a partner organisation")

    class How(models.TextChoices):
        ONLINE = "online", _("Online form")
        PAPER = "paper", _("Paper form")
        IMPORT = "import", _("Import")

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("partner organisation"),
    )
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    wording = models.TextField(_("the words agreed to"))
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            # A partner's updates name the partner; the campaign's name none.
            models.CheckConstraint(
                condition=models.Q(purpose="partner_updates", organisation__isnull=False)
                | models.Q(purpose="campaign_updates", organisation__isnull=True),
                name="consent_partner_names_organisation",
            ),
            # At most one consent in force per supporter, purpose and organisation.
            models.UniqueConstraint(
                fields=["supporter", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True, organisation__isnull=True),
                name="unique_active_campaign_consent",
            ),
            models.UniqueConstraint(
                fields=["supporter", "purpose", "organisation"],
                condition=models.Q(withdrawn_at__isnull=True, organisation__isnull=False),
                name="unique_active_partner_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} · {self.get_purpose_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def withdraw(self, *, at=None) -> None:
        """They no longer agree (an unsubscribe link, a request): honoured from now on, and
        the supporter is changed with it."""
        if self.withdrawn_at is None:
            with transaction.atomic():
                self.withdrawn_at = at or timezone.now()
                self.save(update_fields=["withdrawn_at"])
                self.supporter.touch()
