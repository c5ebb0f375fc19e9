"""What the public reads of bargaining article by article, and of what was won afterwards.

The article tracker sets each side's latest published position on a contract article side by
side, with a word diff between them, the date each side last moved and the state of the
article; its counters say how many articles are tentatively agreed, how many union proposals
the employer has not answered and on which dates the employer declined to meet. The
implementation section lists the published commitments of what was won, marking the overdue.
Both read published items only, in a constant number of queries, and are cached with the
public page (their pages are keyed on the campaign's public version)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from demands.diff import SideBySide, compare_texts
from demands.models import Demand

from .models import Commitment, ContractArticle, ProposalVersion, Session, TentativeAgreement

ARTICLES_PAGE = 20


class ArticleState(models.TextChoices):
    OPEN = "open", _("Open")
    COUNTERED = "countered", _("Countered")
    AGREED = "agreed", _("Tentatively agreed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# What the heading of an implementation plan's group names before its title.
DEMAND_LABEL = _("Demand")
AGREEMENT_LABEL = _("Tentative agreement")

STATE_CLASSES = {"agreed": "badge-ok", "withdrawn": "badge-red", "countered": "badge-warn"}


@dataclass
class ArticleRow:
    """One article: each side's latest published position and what the record says of it."""

    article: ContractArticle
    union: ProposalVersion | None = None
    employer: ProposalVersion | None = None
    agreed: bool = False

    @property
    def latest(self) -> ProposalVersion | None:
        sides = [v for v in (self.union, self.employer) if v is not None]
        return max(sides, key=lambda v: (v.passed_on, v.created_at), default=None)

    @property
    def state(self) -> str:
        latest = self.latest
        if self.agreed or (latest and latest.status == ProposalVersion.Status.TENTATIVELY_AGREED):
            return ArticleState.AGREED
        if latest and latest.status == ProposalVersion.Status.WITHDRAWN:
            return ArticleState.WITHDRAWN
        if self.union and self.employer:
            return ArticleState.COUNTERED
        return ArticleState.OPEN

    @property
    def state_label(self) -> str:
        return str(ArticleState(self.state).label)

    @property
    def state_class(self) -> str:
        return STATE_CLASSES.get(self.state, "")

    @property
    def awaits_employer(self) -> bool:
        """The union moved last and the employer has not answered."""
        latest = self.latest
        return (
            self.state in (ArticleState.OPEN, ArticleState.COUNTERED)
            and latest is not None
            and latest.side == ProposalVersion.Side.UNION
        )

    @property
    def diff(self) -> SideBySide | None:
        if self.union is None or self.employer is None:
            return None
        return compare_texts(self.union.public_text, self.employer.public_text)


@dataclass
class ArticleTracker:
    rows: list[ArticleRow] = field(default_factory=list)
    declined_dates: list[date] = field(default_factory=list)

    @property
    def agreed_count(self) -> int:
        return sum(1 for row in self.rows if row.state == ArticleState.AGREED)

    @property
    def unanswered_count(self) -> int:
        return sum(1 for row in self.rows if row.awaits_employer)

    @property
    def declined_count(self) -> int:
        return len(self.declined_dates)


def _article_order(article: ContractArticle) -> tuple:
    """Article 8 before Article 12: numbers in numeric order, then any others by name."""
    number = article.number
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def article_tracker(campaign: Campaign) -> ArticleTracker:
    """The published positions on the campaign's tracked articles, in four queries."""
    tracked = ContractArticle.objects.filter(campaign=campaign, on_tracker=True)
    articles = {a.pk: a for a in sorted(tracked, key=_article_order)}
    versions = (
        ProposalVersion.objects.published()
        .filter(proposal__campaign=campaign, proposal__article_id__in=articles)
        .select_related("proposal")
        .order_by("passed_on", "created_at", "number")
    )
    latest: dict[tuple[int, str], ProposalVersion] = {}
    for version in versions:
        latest[(version.proposal.article_id, version.side)] = version
    agreed = set(
        TentativeAgreement.objects.published()
        .filter(campaign=campaign, proposal__article_id__in=articles)
        .values_list("proposal__article_id", flat=True)
    )
    rows = []
    for pk, article in articles.items():
        union = latest.get((pk, ProposalVersion.Side.UNION))
        employer = latest.get((pk, ProposalVersion.Side.EMPLOYER))
        if union is None and employer is None and pk not in agreed:
            continue
        for version in (union, employer):
            if version is not None:
                version.proposal.article = article
        rows.append(ArticleRow(article, union, employer, agreed=pk in agreed))
    declined = (
        Session.objects.published()
        .filter(campaign=campaign, status=Session.Status.DECLINED_EMPLOYER)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )
    return ArticleTracker(rows, [timezone.localdate(when) for when in declined])


@dataclass
class PlanGroup:
    """The published commitments of one won demand or one tentative agreement. Its heading is
    the source's public title, read in the reader's language by the ``content`` tag (which
    marks it when not translated), after the kind of source in the interface language."""

    source: Demand | TentativeAgreement
    commitments: list[Commitment]

    @property
    def kind_label(self) -> str:
        return str(DEMAND_LABEL if isinstance(self.source, Demand) else AGREEMENT_LABEL)

    @property
    def title(self) -> str:
        return self.source.public_title

    @property
    def overdue_count(self) -> int:
        return sum(1 for c in self.commitments if c.is_overdue)


def implementation_plan(campaign: Campaign) -> list[PlanGroup]:
    """The published commitments whose demand or agreement is published, grouped by it."""
    commitments = (
        Commitment.objects.published()
        .filter(campaign=campaign)
        .filter(
            models.Q(demand__published_at__isnull=False)
            | models.Q(agreement__published_at__isnull=False)
        )
        .select_related("campaign__local", "demand__published_revision", "agreement")
        .order_by("due_on", "pk")
    )
    groups: dict[tuple[str, int], PlanGroup] = {}
    for commitment in commitments:
        if commitment.demand_id and commitment.demand.published_at:
            key, source = ("demand", commitment.demand_id), commitment.demand
        else:
            key, source = ("agreement", commitment.agreement_id), commitment.agreement
        groups.setdefault(key, PlanGroup(source, [])).commitments.append(commitment)
    return list(groups.values())
