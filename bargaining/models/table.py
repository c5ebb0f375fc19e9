"""What happens at the table: the sessions, the contract articles, the proposals on them and
their versions, and tentative agreements.

Tabling a proposal that carries a demand puts the demand at the table, and recording a
tentative agreement on that proposal makes it tentatively agreed, through the demand's own
status methods."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from campaigns.content import Text
from campaigns.versioning import Versioned
from demands.models import Demand

from .base import LedQuerySet, Publishable, TranslatedRecord, localized


class ContractArticle(TranslatedRecord, Versioned):
    """An article of the contract the parties bargain over (Article 12 · Class size). Two
    leaders may switch it on or off the public tracker at once: the switch carries the
    version it was shown at."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="contract_articles"
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    on_tracker = models.BooleanField(
        _("on the public article tracker"),
        default=True,
        help_text=_("Only its published positions appear, and only while the tracker is on."),
    )
    # The title in the local's other languages (``title_es``, ``title_hmn``...).
    i18n = TranslationField(fields=("title",))
    TRANSLATED_FIELDS = ("title",)

    objects = LedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract article")
        verbose_name_plural = _("contract articles")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="unique_article_number")
        ]

    def __str__(self) -> str:
        return _("Article %(number)s · %(title)s") % {"number": self.number, "title": self.title}

    @property
    def public_title(self) -> str:
        return localized(self, "subject")

    def text_in(self, name: str, language: str) -> Text:
        """``subject`` is how the public names the article: its number and its title."""
        if name != "subject":
            return super().text_in(name, language)
        title = super().text_in("title", language)
        subject = _("Article %(number)s · %(title)s") % {"number": self.number, "title": title}
        return dataclasses.replace(title, text=str(subject))

    def get_absolute_url(self) -> str:
        return reverse("bargaining:articles", args=[self.campaign.slug])

    def set_on_tracker(self, on: bool, *, expected_version: int | None = None, by=None) -> None:
        """Show or hide the article on the public tracker; the tracker follows at once (see
        ``edited``). Raises EditConflict if someone saved the article since
        ``expected_version``."""
        version = self.version if expected_version is None else expected_version
        self.edit(expected_version=version, by=by, on_tracker=on)

    def edited(self, by=None) -> None:
        """Called by ``edit`` in its transaction: the public tracker follows at once."""
        self.campaign.public_changed()


class Session(TranslatedRecord, Versioned, Publishable):
    """One bargaining session, proposed or held. Publishing it shows its date, place, format,
    status, observer counts and public summary; the agenda, attendees and notes stay inside."""

    class Format(models.TextChoices):
        OPEN = "open", _("Open to members and community")
        CLOSED = "closed", _("Closed")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED_EMPLOYER = "declined_employer", _("Declined by the employer")
        DECLINED_UNION = "declined_union", _("Declined by the union")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="bargaining_sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.CLOSED
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    union_attendees = models.TextField(
        _("attending for the union"), blank=True, help_text=_("Internal: one name a line.")
    )
    employer_attendees = models.TextField(
        _("attending for the employer"), blank=True, help_text=_("Internal: one name a line.")
    )
    member_observers = models.PositiveIntegerField(_("member observers"), default=0)
    community_observers = models.PositiveIntegerField(_("community observers"), default=0)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("Internal."))
    notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Never shown on the public page.")
    )
    public_summary = models.TextField(
        _("public summary"), blank=True, help_text=_("What the public reads once you publish.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The public summary in the local's other languages (``public_summary_es``...).
    i18n = TranslationField(fields=("public_summary",))
    TRANSLATED_FIELDS = ("public_summary",)

    objects = LedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bargaining session")
        verbose_name_plural = _("bargaining sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        day = date_format(timezone.localdate(self.starts_at), "SHORT_DATE_FORMAT")
        return _("Session of %(date)s") % {"date": day}

    def get_absolute_url(self) -> str:
        return reverse("bargaining:session", args=[self.pk])

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
        if not self.is_online and not self.place:
            raise ValidationError({"place": _("Give a place, or mark the session as online.")})

    def edited(self, *, by=None) -> None:
        """After the session is saved, new or edited: the public page follows when it is
        public, and its reminders follow its date and status (moving it re-plans them,
        calling it off cancels them), in the same transaction."""
        super().edited(by=by)
        from ..reminders import plan_session  # the reminders module builds on this model

        plan_session(self)

    @property
    def title(self) -> str:
        """How reminders and calendars name the session."""
        if self.is_open:
            return _("Open bargaining session") + f" · {self.campaign.name}"
        return _("Bargaining session") + f" · {self.campaign.name}"

    @property
    def is_open(self) -> bool:
        return self.format == self.Format.OPEN

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at >= timezone.now() and self.status in (
            self.Status.PROPOSED,
            self.Status.SCHEDULED,
        )

    @property
    def where(self) -> str:
        if self.is_online:
            return str(_("Online"))
        return self.place

    @property
    def summary_text(self) -> str:
        return localized(self, "public_summary")

    @property
    def status_class(self) -> str:
        return {
            self.Status.HELD: "badge-ok",
            self.Status.SCHEDULED: "",
            self.Status.PROPOSED: "",
        }.get(self.status, "badge-red")


class Proposal(TranslatedRecord, Versioned):
    """The thread of proposals and counterproposals on one contract article or topic."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="proposals"
    )
    # RESTRICT, not PROTECT: an article with proposals cannot be deleted on its own, but
    # deleting the whole campaign (or local) takes both.
    article = models.ForeignKey(
        ContractArticle,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("contract article"),
    )
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("When no contract article fits.")
    )
    demands = models.ManyToManyField(
        "demands.Demand",
        blank=True,
        related_name="proposals",
        verbose_name=_("demands it carries"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The topic in the local's other languages (``topic_es``...).
    i18n = TranslationField(fields=("topic",))
    TRANSLATED_FIELDS = ("topic",)

    objects = LedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["article__number", "topic"]

    def __str__(self) -> str:
        if self.article_id:
            return str(self.article)
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("bargaining:proposal", args=[self.pk])

    @property
    def public_title(self) -> str:
        return localized(self, "subject")

    def text_in(self, name: str, language: str) -> Text:
        """``subject`` is what the thread is about: its article, else its topic."""
        if name != "subject":
            return super().text_in(name, language)
        if self.article_id:
            return self.article.text_in("subject", language)
        return super().text_in("topic", language)

    def clean(self) -> None:
        if not self.article_id and not self.topic:
            raise ValidationError(_("Choose a contract article or name a topic."))

    def add_version(self, version: ProposalVersion, *, by) -> ProposalVersion:
        """Pass a new version across the table: it takes the next number in the thread, and
        the demands the proposal carries are at the table from now on."""
        with transaction.atomic():
            # Lock the thread so two leaders saving at once cannot take the same number.
            list(Proposal.objects.select_for_update().filter(pk=self.pk).order_by().values("pk"))
            last = self.versions.aggregate(last=models.Max("number"))["last"] or 0
            version.proposal = self
            version.number = last + 1
            version.created_by = by
            version.save()
            self.demands_follow(by=by)
            if version.is_published:
                self.campaign.public_changed()
        return version

    def edited(self, *, by=None) -> None:
        """After a saved edit of the thread's subject or the demands it carries
        (``Versioned.edit`` calls this in its transaction): a demand newly carried by a
        proposal already on the table is at the table; the public page follows when any of
        the thread is public."""
        self.demands_follow(by=by)
        if self.has_published_versions:
            self.campaign.public_changed()

    def demands_follow(self, *, by) -> None:
        """Bring each carried demand up to what the record says: at the table, or tentatively
        agreed once an agreement on this proposal is signed."""
        agreed = self.tentative_agreements.exists()
        if not agreed and not self.versions.exists():
            return
        to = Demand.Status.TENTATIVE if agreed else Demand.Status.PROPOSED
        if agreed:
            why = _("A tentative agreement on %(proposal)s was recorded.")
        else:
            why = _("A proposal on %(proposal)s was tabled.")
        for demand in self.demands.select_related("campaign"):
            demand.follow_bargaining(to, by=by, why=why % {"proposal": self})

    @property
    def has_published_versions(self) -> bool:
        return self.versions.filter(published_at__isnull=False).exists()


class VersionQuerySet(LedQuerySet):
    campaign_path = "proposal__campaign__local_id__in"


class ProposalVersion(TranslatedRecord, Versioned, Publishable):
    """One proposal or counterproposal passed across the table, in order within its thread."""

    # How to reach the local from here, for the time zone its pages are shown in.
    local_path = "proposal__campaign__local"

    class Side(models.TextChoices):
        UNION = "union", _("Union")
        EMPLOYER = "employer", _("Employer")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        TENTATIVELY_AGREED = "agreed", _("Tentatively agreed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal_versions",
        verbose_name=_("passed at session"),
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    passed_on = models.DateField(_("date passed across the table"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    text = models.TextField(_("text"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The text in the local's other languages (``text_es``...).
    i18n = TranslationField(fields=("text",))
    TRANSLATED_FIELDS = ("text",)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return _("%(proposal)s · version %(number)s") % {
            "proposal": self.proposal,
            "number": self.number,
        }

    def get_absolute_url(self) -> str:
        return reverse("bargaining:proposal", args=[self.proposal_id]) + f"#v{self.number}"

    @property
    def campaign(self):
        return self.proposal.campaign

    @property
    def kind_label(self) -> str:
        """The first version opens the thread; every later one answers what came before."""
        return str(_("Proposal")) if self.number == 1 else str(_("Counterproposal"))

    @property
    def public_text(self) -> str:
        return localized(self, "text")

    @property
    def status_class(self) -> str:
        return {"agreed": "badge-ok", "withdrawn": "badge-red"}.get(self.status, "badge-warn")

    def withdraw(self, *, by) -> None:
        """Its side takes this position off the table; the public tracker follows when it is
        published."""
        if self.status == self.Status.WITHDRAWN:
            return
        if self.status == self.Status.TENTATIVELY_AGREED:
            raise ValidationError(_("A tentatively agreed position cannot be withdrawn."))
        with transaction.atomic():
            self.status = self.Status.WITHDRAWN
            self.save(update_fields=["status", "updated_at"])
            if self.is_published:
                self.campaign.public_changed()


class TentativeAgreement(TranslatedRecord, Versioned, Publishable):
    """An article or topic the two sides tentatively agreed, with who signed it and when."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="tentative_agreements"
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tentative_agreements",
        verbose_name=_("proposal"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    signed_on = models.DateField(_("signed on"))
    union_signatories = models.CharField(
        _("signed for the union"), max_length=300, help_text=_("The negotiators who signed.")
    )
    employer_signatories = models.CharField(_("signed for the employer"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The title and summary in the local's other languages (``title_es``...).
    i18n = TranslationField(fields=("title", "summary"))
    TRANSLATED_FIELDS = ("title", "summary")

    objects = LedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tentative agreement")
        verbose_name_plural = _("tentative agreements")
        ordering = ["signed_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bargaining:campaign", args=[self.campaign.slug]) + f"#ta-{self.pk}"

    def edited(self, *, by=None) -> None:
        """After the agreement is recorded or edited: the demands its proposal carries are
        tentatively agreed, and the public page follows when the agreement is public."""
        super().edited(by=by)
        if self.proposal_id:
            self.proposal.demands_follow(by=by)

    @property
    def public_title(self) -> str:
        return localized(self, "title")

    @property
    def public_summary(self) -> str:
        return localized(self, "summary")
