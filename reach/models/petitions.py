"""Petitions: a statement to a target on the power map, signed on line (counted once the
signer confirms their email) or on paper (typed in from a sheet), and delivered to the target
in the end, which puts the delivery on the escalation ladder as an action."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from accounts.access import roles_for
from campaigns.content import DEFAULT_LANGUAGE, Text, TranslatedContent, reading_language

from .signatures import Delivery, Signature
from .supporters import Supporter

VIA_SALT = "reach.via"


def _via_signer() -> signing.Signer:
    # "." cannot occur in a signature, and stays as it is in an address.
    return signing.Signer(salt=VIA_SALT, sep=".")


def via_token(organisation) -> str:
    """The ``?via=`` of a partner's referral link: the organisation's number, signed, so
    that nobody can claim another organisation's signers."""
    return _via_signer().sign(str(organisation.pk))


def organisation_of_via(token: str, local_id: int):
    from partners.models import Organisation

    try:
        pk = int(_via_signer().unsign(token or ""))
    except (signing.BadSignature, ValueError):
        return None
    return Organisation.objects.filter(pk=pk, local_id=local_id).first()


class PetitionQuerySet(models.QuerySet):
    def visible_to(self, user) -> PetitionQuerySet:
        """Leaders and stewards see their locals' petitions; a partner person the published
        ones of their local (to type in sheets and share their link)."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
            | models.Q(campaign__local_id__in=roles.partner_local_ids, published_at__isnull=False)
        )

    def published(self) -> PetitionQuerySet:
        return self.filter(published_at__isnull=False)

    def with_counts(self) -> PetitionQuerySet:
        counted = models.Q(signatures__confirmed_at__isnull=False)
        return self.annotate(
            signed=models.Count("signatures", filter=counted),
            signed_on_paper=models.Count(
                "signatures", filter=counted & models.Q(signatures__source="paper")
            ),
        )


@dataclass(frozen=True)
class PetitionWording:
    """The petition's title and statement as one reader gets them: in their language, else
    in the default one, which ``missing`` says (``missing_note`` in the interface language)."""

    title: Text
    statement: Text

    @property
    def language(self) -> str:
        return self.title.language

    @property
    def direction(self) -> str:
        return self.title.direction

    @property
    def missing(self) -> bool:
        return self.title.missing or self.statement.missing

    @property
    def missing_note(self) -> str:
        return self.title.missing_note


class Petition(TranslatedContent, models.Model):
    """A statement to a target with a signature goal and an end date. Its title and
    statement are written in the local's default language, and in its other languages in
    ``i18n`` (django-modeltrans: ``title_es``, ``statement_hmn``...)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="petitions"
    )
    target = models.ForeignKey(
        "demands.Target",
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("target"),
        help_text=_("Who the petition is addressed to, from the power map."),
    )
    slug = models.SlugField(_("short name"), help_text=_("Part of the public address."))
    title = models.CharField(_("title"), max_length=200)
    statement = models.TextField(_("statement"))
    # The petition's id outside the app (the OSDI API's ``common_good:<uuid>``).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.PositiveIntegerField(_("signature goal"))
    ends_on = models.DateField(_("last day to sign"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The members who sign, counted per building on the dashboard like any structure test.
    structure_test = models.OneToOneField(
        "campaigns.StructureTest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="petition",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    i18n = TranslationField(fields=("title", "statement"))
    TRANSLATED_FIELDS = ("title", "statement")

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "slug"], name="unique_petition_slug"),
            models.CheckConstraint(condition=models.Q(goal__gte=1), name="petition_goal_1"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reach:petition", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("petition_public:page", args=[self.campaign.slug, self.slug])

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.campaign.local_id)

    def can_enter_paper(self, user) -> bool:
        """Leaders, the local's stewards and its partners type in paper sheets."""
        roles = roles_for(user)
        local_id = self.campaign.local_id
        return local_id in roles.led_local_ids | roles.stewarded_local_ids or (
            local_id in roles.partner_local_ids and self.is_published
        )

    def text_for(self, language: str | None = None) -> PetitionWording:
        """The title and statement in ``language`` (else the content language being written
        in), falling back to the default language."""
        language = language or reading_language()
        return PetitionWording(self.text_in("title", language), self.text_in("statement", language))

    def statement_for(self, language: str) -> str:
        """The statement in ``language``, else in the default language."""
        return self.text_in("statement", language).text

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_ended(self) -> bool:
        """Past its last day in the local's zone (the active one), or delivered."""
        return self.ends_on < timezone.localdate() or self.is_delivered

    @property
    def is_delivered(self) -> bool:
        return hasattr(self, "delivery")

    @property
    def takes_signatures(self) -> bool:
        return self.is_published and not self.has_ended

    def counts(self) -> dict[str, int]:
        """Confirmed signatures: in all, on line and on paper."""
        rows = dict(
            self.signatures.filter(confirmed_at__isnull=False)
            .values_list("source")
            .annotate(n=models.Count("pk"))
            .values_list("source", "n")
        )
        online, paper = rows.get(Signature.Source.ONLINE, 0), rows.get(Signature.Source.PAPER, 0)
        return {"total": sum(rows.values()), "online": online, "paper": paper}

    @staticmethod
    def progress(signed: int, goal: int) -> int:
        """How far towards the goal, in whole percent, at most 100."""
        return min(100, signed * 100 // goal) if goal else 0

    @classmethod
    def start(cls, campaign, *, by, texts: dict[str, tuple[str, str]], **fields) -> Petition:
        """A new petition with its statement per language (``{"en": (title, statement)}``)
        and the structure test its member signers count in, in one transaction."""
        from campaigns.models import StructureTest

        with transaction.atomic():
            petition = cls(campaign=campaign, created_by=by, **fields)
            petition.set_texts(texts)
            petition.save()
            petition.structure_test = StructureTest.objects.create(
                campaign=campaign,
                name=petition.title[:200],
                held_on=fields["ends_on"],
                description=str(_("Members who signed the petition.")),
            )
            petition.save(update_fields=["structure_test"])
        return petition

    def set_texts(self, texts: dict[str, tuple[str, str]]) -> None:
        """Put the title and statement of each language on the petition (saved by the
        caller): the default language's in its columns, the others in ``i18n``, where an
        empty one is removed, so it reads as not yet translated."""
        default = texts.get(DEFAULT_LANGUAGE)
        if default is not None:
            self.title, self.statement = default[0].strip(), default[1].strip()
        self.i18n = self.translated_i18n(
            {
                language: {"title": title, "statement": statement}
                for language, (title, statement) in texts.items()
                if language != DEFAULT_LANGUAGE
            }
        )

    def change(self, *, texts: dict[str, tuple[str, str]], **fields) -> None:
        with transaction.atomic():
            for name, value in fields.items():
                setattr(self, name, value)
            self.set_texts(texts)
            self.save()
            if self.structure_test_id:
                self.structure_test.held_on = self.ends_on
                self.structure_test.save(update_fields=["held_on"])
            if self.is_published:
                self.campaign.public_changed()

    def publish(self) -> None:
        with transaction.atomic():
            self.published_at = self.published_at or timezone.now()
            self.save(update_fields=["published_at", "updated_at"])
            self.campaign.public_changed()

    def unpublish(self) -> None:
        with transaction.atomic():
            self.published_at = None
            self.save(update_fields=["published_at", "updated_at"])
            self.campaign.public_changed()

    def sign_online(
        self,
        *,
        name: str,
        email: str,
        postcode: str = "",
        phone: str = "",
        language: str = "",
        brought_by=None,
        campaign_updates_wording: str = "",
        partner_updates_wording: str = "",
    ) -> Signature | None:
        """A visitor's signature, waiting for the link in its confirmation email; None when
        this address's signature is already counted. The email goes through the outbox in
        the same transaction (``reach.confirmation``)."""
        from ..confirmation import plan_confirmation

        with transaction.atomic():
            supporter, made = Supporter.match_or_create(
                self.campaign.local,
                email=email,
                name=name,
                phone=phone,
                postcode=postcode,
                language=language,
                brought_by=brought_by,
            )
            answers = {
                "campaign_updates_wording": campaign_updates_wording,
                "partner_updates_wording": partner_updates_wording if brought_by else "",
                "language": language or settings.LANGUAGE_CODE,
            }
            new = {"source": Signature.Source.ONLINE, "brought_by": brought_by, **answers}
            if made:
                # A supporter made just now has signed nothing yet.
                signature = Signature.objects.create(petition=self, supporter=supporter, **new)
            else:
                signature, made = Signature.objects.get_or_create(
                    petition=self, supporter=supporter, defaults=new
                )
            if signature.is_counted:
                return None
            if not made:
                for field, value in answers.items():
                    setattr(signature, field, value)
                signature.save(update_fields=list(answers))
            plan_confirmation(signature, first=made)
        return signature

    def add_paper_signatures(self, rows: list[dict], *, by, organisation=None) -> int:
        """Signatures typed in from a paper sheet by ``by`` (a partner's carry their
        organisation as who brought them); a row whose person already signed is skipped.
        Returns how many were added."""
        added = 0
        with transaction.atomic():
            for row in rows:
                _signature, made = self.record_signature(row, by=by, organisation=organisation)
                added += made
        return added

    def record_signature(
        self, row: dict, *, by, organisation=None, source: str = Signature.Source.PAPER
    ) -> tuple[Signature, bool]:
        """One signature entered by ``by`` (from a paper sheet, or sent by another tool
        through the API), counted at once: the person matched on their email (or given as
        ``row["supporter"]``), made when new. Returns it and whether it is new."""
        with transaction.atomic():
            supporter = row.get("supporter")
            if supporter is None and row.get("email"):
                supporter, _made = Supporter.match_or_create(
                    self.campaign.local,
                    email=row["email"],
                    name=row["name"],
                    phone=row.get("phone", ""),
                    postcode=row.get("postcode", ""),
                    brought_by=organisation,
                )
            elif supporter is None:
                supporter = Supporter.objects.create(
                    local=self.campaign.local,
                    name=row["name"],
                    postcode=row.get("postcode", ""),
                    phone=row.get("phone", ""),
                    brought_by=organisation,
                )
            signature, made = Signature.objects.get_or_create(
                petition=self,
                supporter=supporter,
                defaults={
                    "source": source,
                    "entered_by": by,
                    "brought_by": organisation,
                    "confirmed_at": timezone.now(),
                },
            )
            if made:
                signature.count_member(by=by)
        return signature, made

    def record_delivery(self, *, by, delivered_on: date, delivered_to: str, tactic=None):
        """The packet was handed to the target: the delivery, and the action that puts it
        on the escalation ladder (done, public, at noon of that day in the local's zone)."""
        from actions.models import Action

        with transaction.atomic():
            moment = timezone.make_aware(datetime.combine(delivered_on, time(12)))
            count = self.counts()["total"]
            action = Action.objects.create(
                campaign=self.campaign,
                tactic=tactic,
                title=str(_("Petition delivered: %(title)s") % {"title": self.title})[:200],
                description=str(
                    _("%(count)s signatures delivered to %(to)s.")
                    % {"count": count, "to": delivered_to}
                ),
                starts_at=moment,
                ends_at=moment,
                target=self.target,
                escalates_target=True,
                is_public=True,
                status=Action.Status.DONE,
                created_by=by,
            )
            action.record_level()
            delivery = Delivery.objects.create(
                petition=self,
                delivered_on=delivered_on,
                delivered_to=delivered_to,
                signature_count=count,
                action=action,
                recorded_by=by,
            )
            action.public_changed()
            if not self.is_published:
                self.campaign.public_changed()
        return delivery
