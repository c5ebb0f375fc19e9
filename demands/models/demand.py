from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltrans.fields import TranslationField

from accounts.access import roles_for
from campaigns.content import TranslatedContent, reading_language
from campaigns.versioning import EditConflict as EditConflict  # raised by edit()
from campaigns.versioning import Versioned

from .fields import ASSESSMENT_FIELDS, ASSESSMENT_HELP, PUBLIC_FIELDS, REVISION_FIELDS
from .merging import Merging, TransitionError
from .querysets import DemandQuerySet


class Demand(Merging, TranslatedContent, Versioned):
    """A campaign demand, written by the union and its partners together."""

    class Category(models.TextChoices):
        WAGES = "wages", _("Wages and benefits")
        CONDITIONS = "conditions", _("Working and learning conditions")
        HEALTH = "health", _("Common good: health")
        HOUSING = "housing", _("Common good: housing")
        SAFETY = "safety", _("Common good: safety")
        DISCIPLINE = "discipline", _("Common good: discipline")
        CURRICULUM = "curriculum", _("Common good: curriculum")
        STAFFING = "staffing", _("Common good: staffing")
        IMMIGRATION = "immigration", _("Common good: immigration")
        OTHER = "other", _("Common good: other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In coalition review")
        ADOPTED = "adopted", _("Adopted")
        PROPOSED = "proposed", _("Proposed at the table")
        TENTATIVE = "tentative", _("Tentative agreement")
        WON = "won", _("Won")
        PARTLY_WON = "partly_won", _("Partly won")
        LOST = "lost", _("Lost")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="demands"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Shown on the public page."))
    problem = models.TextField(_("problem statement"), blank=True)
    solution = models.TextField(_("proposed solution"), blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.CONDITIONS
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    coauthors = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="coauthored_demands",
        verbose_name=_("co-authoring organisations"),
    )
    shared_with = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="shared_demands",
        verbose_name=_("shared with"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # The revision the public reads: later edits wait until a leader publishes them.
    published_revision = models.ForeignKey(
        "DemandRevision",
        verbose_name=_("published revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    reia_problems = models.TextField(
        _("problems"), blank=True, help_text=ASSESSMENT_HELP["reia_problems"]
    )
    reia_causes = models.TextField(
        _("causes"), blank=True, help_text=ASSESSMENT_HELP["reia_causes"]
    )
    reia_history = models.TextField(
        _("history"), blank=True, help_text=ASSESSMENT_HELP["reia_history"]
    )
    reia_solutions = models.TextField(
        _("solutions"), blank=True, help_text=ASSESSMENT_HELP["reia_solutions"]
    )
    reia_strategies = models.TextField(
        _("strategies"), blank=True, help_text=ASSESSMENT_HELP["reia_strategies"]
    )
    reia_leadership = models.TextField(
        _("leadership"), blank=True, help_text=ASSESSMENT_HELP["reia_leadership"]
    )
    groups_affected = models.TextField(
        _("groups affected"), blank=True, help_text=ASSESSMENT_HELP["groups_affected"]
    )
    data_sources = models.TextField(
        _("data sources"), blank=True, help_text=ASSESSMENT_HELP["data_sources"]
    )
    source_finding = models.ForeignKey(
        "partners.Finding",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("from the listening-session finding"),
    )
    decision_makers = models.ManyToManyField(
        "Target",
        blank=True,
        related_name="demands",
        verbose_name=_("who can say yes to this"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The public text in the local's other languages; kept in each revision with the rest.
    i18n = TranslationField(fields=PUBLIC_FIELDS)
    TRANSLATED_FIELDS = tuple(PUBLIC_FIELDS)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_demands",
        verbose_name=_("merged into"),
    )

    objects = DemandQuerySet.as_manager()

    # Which status may follow which; each move has its own method below.
    TRANSITIONS = {
        Status.DRAFT: {Status.REVIEW, Status.WITHDRAWN},
        Status.REVIEW: {Status.DRAFT, Status.ADOPTED, Status.WITHDRAWN},
        Status.ADOPTED: {Status.REVIEW, Status.PROPOSED, Status.WITHDRAWN},
        Status.PROPOSED: {Status.TENTATIVE, Status.LOST, Status.WITHDRAWN},
        Status.TENTATIVE: {Status.WON, Status.PARTLY_WON, Status.LOST},
        Status.WON: set(),
        Status.PARTLY_WON: set(),
        Status.LOST: set(),
        Status.WITHDRAWN: {Status.DRAFT},
    }
    TRANSITION_METHODS = {
        Status.DRAFT: "return_to_draft",
        Status.REVIEW: "send_to_review",
        Status.ADOPTED: "adopt",
        Status.PROPOSED: "propose",
        Status.TENTATIVE: "reach_tentative_agreement",
        Status.WON: "win",
        Status.PARTLY_WON: "partly_win",
        Status.LOST: "lose",
        Status.WITHDRAWN: "withdraw",
    }

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["priority", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("demands:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    # Labels for lists: one translation each, where get_FOO_display translates every choice
    # of the field to find one, which at 50 rows a page was most of the page's time.
    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def category_label(self) -> str:
        return str(self.Category(self.category).label)

    @property
    def priority_label(self) -> str:
        return str(self.Priority(self.priority).label)

    # What the public sees -----------------------------------------------------------------

    def public_value(self, name: str) -> str:
        """The published text of a field: the published revision's, not later edits."""
        if self.published_revision_id is not None:
            return self.published_revision.snapshot.get(name, "")
        return getattr(self, name)

    # In the content language being written in (campaigns.content.reading_in), where the
    # published revision has that language's text.
    @property
    def public_title(self) -> str:
        return self.text_in("title", reading_language()).text

    @property
    def public_summary(self) -> str:
        return self.text_in("summary", reading_language()).text

    def public_snapshot(self) -> dict:
        return {name: self.public_value(name) for name in PUBLIC_FIELDS} | {
            "i18n": self.public_translations()
        }

    def public_translations(self) -> dict:
        """The published translations (a revision from before translations has none)."""
        if self.published_revision_id is not None:
            return self.published_revision.snapshot.get("i18n") or {}
        return self.i18n or {}

    def translations_source(self) -> tuple[dict[str, str], dict]:
        """The public reads what was published, translations included."""
        originals = {name: self.public_value(name) for name in PUBLIC_FIELDS}
        return originals, self.public_translations()

    @property
    def public_is_behind(self) -> bool:
        """Published, and the text the public reads (in any language) is older than the
        demand's text."""
        return self.is_published and self.public_snapshot() != {
            name: getattr(self, name) for name in PUBLIC_FIELDS
        } | {"i18n": self.i18n or {}}

    @property
    def is_common_good(self) -> bool:
        return self.category not in {self.Category.WAGES, self.Category.CONDITIONS}

    # Creating and editing -------------------------------------------------------------

    @classmethod
    def from_finding(cls, finding, *, campaign, by) -> Demand:
        """Start a draft demand from a listening-session finding, co-authored by the
        organisation that held the session; the demand keeps the link back to the finding."""
        text = finding.text.strip()
        first_line = text.splitlines()[0] if text else str(finding.session)
        fields = {}
        if finding.kind == finding.Kind.PROBLEM:
            fields["problem"] = finding.text
        if finding.kind == finding.Kind.SOLUTION:
            fields["solution"] = finding.text
        return cls.start(
            campaign=campaign,
            title=first_line[:200],
            by=by,
            source_finding=finding,
            coauthors=[finding.session.organisation],
            **fields,
        )

    @classmethod
    def start(cls, *, campaign, title: str, by, coauthors=(), **fields) -> Demand:
        """Create a draft demand and its first revision."""
        with transaction.atomic():
            demand = cls.objects.create(campaign=campaign, title=title, created_by=by, **fields)
            if coauthors:
                demand.coauthors.add(*coauthors)
            DemandRevision.objects.create(
                demand=demand, number=demand.version, by=by, snapshot=demand.revision_snapshot()
            )
        return demand

    def snapshot(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in REVISION_FIELDS}

    def revision_snapshot(self) -> dict:
        """What a revision keeps: the text, and its translations, which are published with
        it."""
        return self.snapshot() | {"i18n": self.i18n or {}}

    def edit(self, *, changes: dict, by, expected_version: int) -> DemandRevision:
        """Save co-authored text if nobody saved since ``expected_version``; keep a revision.

        The version check and the write are one UPDATE, so two saves at once cannot both
        win: the second raises EditConflict carrying what is in the database now.
        """
        fields = {k: v for k, v in changes.items() if k in REVISION_FIELDS or k == "i18n"}
        with transaction.atomic():
            if self.published_at and self.published_revision_id is None:
                self._keep_published_text()
            # The shared version check (campaigns/versioning.py), then this demand's revision.
            Versioned.edit(self, expected_version=expected_version, by=by, **fields)
            return DemandRevision.objects.create(
                demand=self, number=self.version, by=by, snapshot=self.revision_snapshot()
            )

    def edit_translations(
        self, *, texts: dict[str, dict[str, str]], by, expected_version: int
    ) -> DemandRevision:
        """Save the public text in other languages ({language: {field: text}}) like any
        edit: a new version and revision, which the public reads once a leader publishes it
        (``publish`` moves the public version)."""
        return self.edit(
            changes={"i18n": self.translated_i18n(texts)},
            by=by,
            expected_version=expected_version,
        )

    def _keep_published_text(self) -> None:
        """A demand published before revisions were kept public: what the public reads now
        becomes its published revision, so an edit does not go public by itself."""
        current = Demand.objects.get(pk=self.pk)
        revision, _created = DemandRevision.objects.get_or_create(
            demand=self, number=current.version, defaults={"snapshot": current.revision_snapshot()}
        )
        self.published_revision = revision
        Demand.objects.filter(pk=self.pk).update(published_revision=revision)

    def can_edit(self, user) -> bool:
        roles = roles_for(user)
        if roles.leads(self.campaign.local_id):
            return True
        return any(o.pk in roles.organisation_ids for o in self.coauthors.all())

    def can_comment(self, user) -> bool:
        """Leaders and the partners it reached discuss a demand; stewards read along. A
        partner person comments only through an organisation that co-authors the demand or
        that it was shared with, never as a partner of some other local."""
        roles = roles_for(user)
        if roles.leads(self.campaign.local_id):
            return True
        reached = {o.pk for o in self.coauthors.all()} | {o.pk for o in self.shared_with.all()}
        return bool(reached & roles.organisation_ids)

    def can_manage(self, user) -> bool:
        """Status, publishing, sharing and targets are for the local's leaders."""
        return roles_for(user).leads(self.campaign.local_id)

    # The racial equity impact assessment ----------------------------------------------

    def assessment_parts(self) -> list[tuple[str, str, str]]:
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in ASSESSMENT_FIELDS
        ]

    def assessment_missing(self) -> list[str]:
        return [str(label) for _name, label, value in self.assessment_parts() if not value.strip()]

    @property
    def assessment_complete(self) -> bool:
        return not self.assessment_missing()

    def has_partner_backing(self) -> bool:
        # all() rather than exists(): the detail page has both prefetched already.
        return bool(self.coauthors.all()) or bool(self.endorsements.all())

    # Status workflow ------------------------------------------------------------------

    def allowed_transitions(self) -> list[tuple[str, str]]:
        """(status, label) pairs this demand may move to now, in workflow order."""
        allowed = self.TRANSITIONS[self.status]
        return [(value, label) for value, label in self.Status.choices if value in allowed]

    def _move(
        self, to: str, *, by, why: str = "", cause: str = "hand", check: bool = True
    ) -> DemandTransition:
        if check and to not in self.TRANSITIONS[self.status]:
            raise TransitionError(
                _("A demand that is “%(from)s” cannot become “%(to)s”.")
                % {"from": self.get_status_display(), "to": self.Status(to).label}
            )
        with transaction.atomic():
            record = DemandTransition.objects.create(
                demand=self, from_status=self.status, to_status=to, by=by, why=why, cause=cause
            )
            self.status = to
            Demand.objects.filter(pk=self.pk).update(status=to, updated_at=timezone.now())
            if self.is_published:
                self.campaign.public_changed()
        return record

    # Where the bargaining record says each demand stands; an outcome (won, lost, withdrawn)
    # is the leaders' to record and is never moved back by it.
    BARGAINING_BEHIND = {
        Status.PROPOSED: {Status.DRAFT, Status.REVIEW, Status.ADOPTED},
        Status.TENTATIVE: {Status.DRAFT, Status.REVIEW, Status.ADOPTED, Status.PROPOSED},
    }

    def follow_bargaining(self, to: str, *, by, why: str) -> DemandTransition | None:
        """The table moved the demand: a proposal carrying it was tabled (at the table) or a
        tentative agreement covers it (tentatively agreed). Recorded like any status change,
        with the bargaining as its cause; nothing happens when the demand is already there."""
        if self.status not in self.BARGAINING_BEHIND[to]:
            return None
        return self._move(to, by=by, why=why, cause=DemandTransition.Cause.BARGAINING, check=False)

    def move_to(self, to: str, *, by, why: str = "") -> DemandTransition:
        """Dispatch to the one method for that transition, so its checks always run."""
        if to not in self.TRANSITION_METHODS:
            raise TransitionError(_("Unknown status."))
        return getattr(self, self.TRANSITION_METHODS[to])(by=by, why=why)

    def return_to_draft(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.DRAFT, by=by, why=why)

    def send_to_review(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.REVIEW, by=by, why=why)

    def adoption_blockers(self) -> list[str]:
        """Why the coalition cannot adopt this demand yet; empty when it can."""
        problems = []
        missing = self.assessment_missing()
        if missing:
            problems.append(
                _("Complete the racial equity impact assessment first; missing: %(parts)s.")
                % {"parts": ", ".join(missing)}
            )
        if not self.has_partner_backing():
            problems.append(
                _("At least one partner organisation must co-author or endorse the demand.")
            )
        rule = getattr(self.campaign, "adoption_rule", None)  # the campaign's own, if any
        return problems + (rule.blockers(self) if rule else [])

    def adopt(self, *, by, why: str = "") -> DemandTransition:
        """The coalition adopts the demand: only with a complete assessment and partners."""
        problems = self.adoption_blockers()
        if problems:
            raise TransitionError(problems)
        return self._move(self.Status.ADOPTED, by=by, why=why)

    def propose(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.PROPOSED, by=by, why=why)

    def reach_tentative_agreement(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.TENTATIVE, by=by, why=why)

    def win(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.WON, by=by, why=why)

    def partly_win(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.PARTLY_WON, by=by, why=why)

    def lose(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.LOST, by=by, why=why)

    def withdraw(self, *, by, why: str = "") -> DemandTransition:
        return self._move(self.Status.WITHDRAWN, by=by, why=why)

    # Publishing -----------------------------------------------------------------------

    def publish(self, *, by) -> None:
        """Publish the demand as it reads now; on a published demand, publish its latest
        edits. The public page, feed, calendar and report follow."""
        with transaction.atomic():
            revision = self.revisions.filter(number=self.version).first()
            self.published_at = timezone.now()
            self.published_by = by
            self.published_revision = revision
            Demand.objects.filter(pk=self.pk).update(
                published_at=self.published_at, published_by=by, published_revision=revision
            )
            self.campaign.public_changed()

    def unpublish(self, *, by) -> None:
        with transaction.atomic():
            self.published_at = None
            self.published_by = None
            self.published_revision = None
            Demand.objects.filter(pk=self.pk).update(
                published_at=None, published_by=None, published_revision=None
            )
            self.campaign.public_changed()


# The records point at Demand by foreign key, so they can only be imported once it exists;
# Demand's methods create them when called. ``demands.models`` imports this module first.
from .records import DemandRevision, DemandTransition  # noqa: E402
