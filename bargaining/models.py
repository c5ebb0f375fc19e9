"""Bargaining at the table: sessions, proposals and their versions, tentative agreements and
the events that shape a campaign, plus the campaign's public open-bargaining page.

Leaders of the local read and edit all of it. The public sees only what a leader published,
item by item, through the ``published()`` queryset methods. Publishing, unpublishing and
editing a published item go through the item's methods (``publish(by=...)``,
``unpublish()``, ``save_edits()``), which move the campaign's public version in the same
transaction, so the cached page, the feed, the calendar and the PDF report follow.

The bargaining record also tells each demand's story: tabling a proposal that carries a
demand puts the demand at the table, and recording a tentative agreement on that proposal
makes it tentatively agreed, through the demand's own status methods.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.versioning import Versioned
from demands.models import Demand


def localized(obj, field: str) -> str:
    """The Spanish version of a public text when the language is Spanish and one exists."""
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


class PublicPage(models.Model):
    """A campaign's public open-bargaining page: the switch and its story. What it shows is
    versioned by ``Campaign.public_version``."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="public_page"
    )
    is_on = models.BooleanField(
        _("public page on"),
        default=False,
        help_text=_("When on, anyone can read what you published at /open/<campaign>/."),
    )
    story = models.TextField(
        _("story"), blank=True, help_text=_("The campaign in plain language, for the public.")
    )
    story_es = models.TextField(_("story in Spanish"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self) -> str:
        return str(self.campaign)

    def get_absolute_url(self) -> str:
        return reverse("open:campaign", args=[self.campaign.slug])

    def save_settings(self) -> None:
        """Save the switch and the story; the page, feed, calendar and report follow."""
        with transaction.atomic():
            self.save()
            self.campaign.public_changed()


class ContractArticle(models.Model):
    """An article of the contract the parties bargain over (Article 12 · Class size)."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="contract_articles"
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)

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
        return _("Article %(number)s · %(title)s") % {
            "number": self.number,
            "title": localized(self, "title"),
        }


class Session(Versioned, Publishable):
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
    public_summary_es = models.TextField(_("public summary in Spanish"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class Proposal(Versioned):
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
    topic_es = models.CharField(_("topic in Spanish"), max_length=200, blank=True)
    demands = models.ManyToManyField(
        "demands.Demand",
        blank=True,
        related_name="proposals",
        verbose_name=_("demands it carries"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
        if self.article_id:
            return self.article.public_title
        return localized(self, "topic")

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


class ProposalVersion(Versioned, Publishable):
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
    text_es = models.TextField(_("text in Spanish"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class TentativeAgreement(Versioned, Publishable):
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
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_es = models.TextField(_("summary in Spanish"), blank=True)
    signed_on = models.DateField(_("signed on"))
    union_signatories = models.CharField(
        _("signed for the union"), max_length=300, help_text=_("The negotiators who signed.")
    )
    employer_signatories = models.CharField(_("signed for the employer"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class CampaignEvent(Versioned, Publishable):
    """Something that shapes the campaign outside the sessions: a request to bargain, dates
    the other side declined, impasse, mediation, fact-finding, and the votes."""

    class Kind(models.TextChoices):
        REQUEST = "request", _("Request to bargain")
        DECLINED = "declined", _("Declined dates")
        IMPASSE = "impasse", _("Impasse")
        MEDIATION = "mediation", _("Mediation")
        FACT_FINDING = "fact_finding", _("Fact-finding")
        STRIKE_VOTE = "strike_vote", _("Strike authorisation vote")
        RATIFICATION = "ratification", _("Ratification vote")
        OTHER = "other", _("Other")

    VOTES = (Kind.STRIKE_VOTE, Kind.RATIFICATION)

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="bargaining_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True)
    declined_dates = models.PositiveIntegerField(
        _("dates declined"), null=True, blank=True, help_text=_("For declined dates.")
    )
    votes_yes = models.PositiveIntegerField(_("votes yes"), null=True, blank=True)
    votes_no = models.PositiveIntegerField(_("votes no"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LedQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bargaining:campaign", args=[self.campaign.slug]) + f"#event-{self.pk}"

    def clean(self) -> None:
        if self.kind not in self.VOTES and (self.votes_yes or self.votes_no):
            raise ValidationError(_("Only a vote has results."))

    @property
    def public_title(self) -> str:
        return localized(self, "title")

    @property
    def public_description(self) -> str:
        return localized(self, "description")

    @property
    def is_vote(self) -> bool:
        return self.kind in self.VOTES

    @property
    def votes_total(self) -> int:
        return (self.votes_yes or 0) + (self.votes_no or 0)

    @property
    def yes_percent(self) -> int | None:
        if not self.votes_total:
            return None
        return round(100 * (self.votes_yes or 0) / self.votes_total)


class PublishedReport(models.Model):
    """The stored PDF of a campaign's public report in one language, rendered in the
    background; anonymous downloads read it and never render."""

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="published_reports"
    )
    language = models.CharField(max_length=8)
    file = models.FileField(upload_to="bargaining/reports/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(default=0)
    page_version = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "language"], name="one_report_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.campaign} ({self.language})"
