from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import roles_for
from campaigns.versioning import EditConflict as EditConflict  # raised by edit()
from campaigns.versioning import Versioned


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user) -> DemandQuerySet:
        """Leaders see their locals' demands; stewards read them; a partner person sees the
        demands their organisation co-authors or that were shared with it."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)
            | models.Q(coauthors__in=roles.organisation_ids)
            | models.Q(shared_with__in=roles.organisation_ids)
        ).distinct()

    def published(self) -> DemandQuerySet:
        return self.filter(published_at__isnull=False)

    def editable_by(self, user) -> DemandQuerySet:
        """Leaders of the local and the partner people of co-authoring organisations."""
        roles = roles_for(user)
        return self.filter(
            models.Q(campaign__local_id__in=roles.led_local_ids)
            | models.Q(coauthors__in=roles.organisation_ids)
        ).distinct()


# The toolkit's six parts of a racial equity impact assessment, with its questions as help.
ASSESSMENT_HELP = {
    "reia_problems": _(
        "What racial inequities are you noticing or experiencing? What are the impacts on "
        "different racial groups? Who benefits most and who is hurt most?"
    ),
    "reia_causes": _(
        "What institutions, policies, or practices are causing or contributing to the "
        "inequities? What social norms, popular myths, or cultural biases may be contributing?"
    ),
    "reia_history": _("How did things get this way and are things worsening or improving?"),
    "reia_solutions": _(
        "What solutions could address the root causes and eliminate the inequities? How would "
        "different racial groups be impacted by the proposed solutions?"
    ),
    "reia_strategies": _("What strategies and actions could be used to advance the solutions?"),
    "reia_leadership": _(
        "Who are the stakeholders most affected by the inequities? Are they involved in naming "
        "the issues and solutions? What kinds of active leadership roles could they take to "
        "advance the proposed solution?"
    ),
    "groups_affected": _("The racial and other groups this demand affects."),
    "data_sources": _("Where the facts come from: district data, surveys, listening sessions."),
}
ASSESSMENT_FIELDS = list(ASSESSMENT_HELP)
TEXT_FIELDS = ["title", "summary", "problem", "solution"]
# What a revision keeps: everything co-authors write.
REVISION_FIELDS = TEXT_FIELDS + ASSESSMENT_FIELDS
# What the public page and the report show of a demand's text.
PUBLIC_FIELDS = ["title", "summary"]


class TransitionError(ValidationError):
    """A status change the workflow does not allow, with a message for the person."""


class Demand(Versioned):
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The revision the public reads: later edits wait until a leader publishes them.
    published_revision = models.ForeignKey(
        "DemandRevision",
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

    @property
    def public_title(self) -> str:
        return self.public_value("title")

    @property
    def public_summary(self) -> str:
        return self.public_value("summary")

    def public_snapshot(self) -> dict[str, str]:
        return {name: self.public_value(name) for name in PUBLIC_FIELDS}

    @property
    def public_is_behind(self) -> bool:
        """Published, and the text the public reads is older than the demand's text."""
        return self.is_published and self.public_snapshot() != {
            name: getattr(self, name) for name in PUBLIC_FIELDS
        }

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
                demand=demand, number=demand.version, by=by, snapshot=demand.snapshot()
            )
        return demand

    def snapshot(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in REVISION_FIELDS}

    def edit(self, *, changes: dict, by, expected_version: int) -> DemandRevision:
        """Save co-authored text if nobody saved since ``expected_version``; keep a revision.

        The version check and the write are one UPDATE, so two saves at once cannot both
        win: the second raises EditConflict carrying what is in the database now.
        """
        fields = {k: v for k, v in changes.items() if k in REVISION_FIELDS}
        with transaction.atomic():
            if self.published_at and self.published_revision_id is None:
                self._keep_published_text()
            # The shared version check (campaigns/versioning.py), then this demand's revision.
            Versioned.edit(self, expected_version=expected_version, by=by, **fields)
            return DemandRevision.objects.create(
                demand=self, number=self.version, by=by, snapshot=self.snapshot()
            )

    def _keep_published_text(self) -> None:
        """A demand published before revisions were kept public: what the public reads now
        becomes its published revision, so an edit does not go public by itself."""
        current = Demand.objects.get(pk=self.pk)
        revision, _created = DemandRevision.objects.get_or_create(
            demand=self, number=current.version, defaults={"snapshot": current.snapshot()}
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
        return problems

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

    def update_settings(self, *, category: str, priority: int) -> None:
        """The leaders' settings; the public page orders demands by priority."""
        with transaction.atomic():
            changed = (category, priority) != (self.category, self.priority)
            self.category, self.priority = category, priority
            Demand.objects.filter(pk=self.pk).update(category=category, priority=priority)
            if changed and self.is_published:
                self.campaign.public_changed()


class DemandTransition(models.Model):
    """One recorded status change: who moved the demand, when and why."""

    class Cause(models.TextChoices):
        HAND = "hand", _("Set by a leader")
        BARGAINING = "bargaining", _("Followed the bargaining record")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=Demand.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Demand.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    why = models.TextField(_("why"), blank=True)
    cause = models.CharField(_("cause"), max_length=12, choices=Cause.choices, default=Cause.HAND)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.demand} · {self.from_status} → {self.to_status}"


class DemandRevision(models.Model):
    """The full text of a demand as one save left it."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("version"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("saved"), default=timezone.now)
    snapshot = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} v{self.number}"


class DemandComment(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]


class DemandEndorsement(models.Model):
    """A partner organisation signs on to a demand."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="endorsements")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="demand_endorsements"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "organisation"], name="one_endorsement_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.demand}"


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> TargetQuerySet:
        roles = roles_for(user)
        return self.filter(campaign__local_id__in=roles.led_local_ids | roles.stewarded_local_ids)


class Target(Versioned):
    """Someone on the power map: a decision-maker, a bad actor, an influencer or an ally."""

    class Kind(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision-maker")
        BAD_ACTOR = "bad_actor", _("Bad actor")
        INFLUENCER = "influencer", _("Influencer")
        ALLY = "ally", _("Ally")

    class Alignment(models.IntegerChoices):
        STRONG_ALLY = 2, _("Strong ally")
        ALLY = 1, _("Leaning ally")
        NEUTRAL = 0, _("Neutral")
        OPPONENT = -1, _("Leaning opponent")
        STRONG_OPPONENT = -2, _("Strong opponent")

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.DECISION_MAKER
    )
    power = models.PositiveSmallIntegerField(
        _("power"), default=3, help_text=_("1 (little) to 5 (decides).")
    )
    alignment = models.SmallIntegerField(
        _("alignment"), choices=Alignment.choices, default=Alignment.NEUTRAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cares_about = models.TextField(_("what they care about"), blank=True)
    sources = models.TextField(
        _("sources"), blank=True, help_text=_("Where we learned this: minutes, filings, news.")
    )
    influences = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="influenced_by",
        verbose_name=_("influences"),
        help_text=_("Other targets this one has sway over."),
    )
    organisations = models.ManyToManyField(
        "partners.Organisation",
        blank=True,
        related_name="target_relationships",
        verbose_name=_("partner organisations with a relationship"),
    )
    members = models.ManyToManyField(
        "campaigns.Member",
        blank=True,
        related_name="target_relationships",
        verbose_name=_("union members with a relationship"),
        help_text=_("Only leaders see these names."),
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-power", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(power__gte=1, power__lte=5), name="target_power_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("demands:target", args=[self.pk])

    # One translation each, unlike get_FOO_display, which translates every choice.
    @property
    def kind_label(self) -> str:
        return str(self.Kind(self.kind).label)

    @property
    def alignment_label(self) -> str:
        return str(self.Alignment(self.alignment).label)

    def can_edit(self, user) -> bool:
        return roles_for(user).leads(self.campaign.local_id)
