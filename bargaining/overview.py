"""The bargaining team's overview of one campaign: proposals grouped by where they stand,
with counts by status and by side, a filter, and every list paged.

Each list has its own page parameter, so turning the page of one keeps the others where
they were; the filter of the proposals travels in the same query string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign

from .models import (
    CampaignEvent,
    ContractArticle,
    Proposal,
    ProposalVersion,
    Session,
    TentativeAgreement,
)

SESSIONS_PAGE = 25
PROPOSALS_PAGE = 25
RECORDS_PAGE = 10
QUERY_LENGTH = 100
# A proposal with no version yet has not crossed the table: its own group, shown last.
NOT_TABLED = "none"
STATUSES = [
    *ProposalVersion.Status.choices,
    (NOT_TABLED, _("Not tabled yet")),
]
SIDES = ProposalVersion.Side.choices


@dataclass
class Pager:
    """One list's page and the addresses of its neighbours, keeping every other parameter."""

    page: Page
    param: str
    query: QueryDict

    def _url(self, number: int) -> str:
        query = self.query.copy()
        query[self.param] = str(number)
        return "?" + query.urlencode()

    @property
    def previous_url(self) -> str:
        return self._url(self.page.previous_page_number()) if self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self._url(self.page.next_page_number()) if self.page.has_next() else ""


def pager(items, per_page: int, query: QueryDict, param: str) -> Pager:
    return Pager(Paginator(items, per_page).get_page(query.get(param)), param, query)


@dataclass(frozen=True)
class ProposalFilter:
    status: str = ""
    side: str = ""
    article: int | None = None
    text: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> ProposalFilter:
        status = query.get("status", "")
        side = query.get("side", "")
        article = query.get("article", "")
        return cls(
            status=status if status in dict(STATUSES) else "",
            side=side if side in dict(SIDES) else "",
            article=int(article) if article.isdigit() else None,
            text=" ".join(query.get("q", "").split())[:QUERY_LENGTH],
        )

    def __bool__(self) -> bool:
        return bool(self.status or self.side or self.article or self.text)

    def matches(self, proposal: Proposal) -> bool:
        if self.status and proposal.latest_status != self.status:
            return False
        if self.side and proposal.latest_side != self.side:
            return False
        if self.article and proposal.article_id != self.article:
            return False
        words = self.text.casefold().split()
        return all(word in str(proposal).casefold() for word in words)


@dataclass
class StatusSummary:
    """How many proposals stand at one status, and whose move it was last."""

    status: str
    label: str
    union: int = 0
    employer: int = 0
    total: int = 0


@dataclass
class ProposalGroup:
    status: str
    label: str
    count: int
    rows: list[Proposal] = field(default_factory=list)


def article_order(proposal: Proposal) -> tuple:
    """Articles in their natural order (8 before 12), then topics by name."""
    if proposal.article_id is None:
        return (1, 0, "", proposal.topic.lower())
    number = proposal.article.number
    digits = re.match(r"\d+", number)
    return (0, int(digits.group()) if digits else 0, number, "")


def proposals_with_latest(campaign: Campaign) -> list[Proposal]:
    """The campaign's proposals, each with its latest version's status, side and date and
    its number of versions, in one query."""
    versions = ProposalVersion.objects.filter(proposal=models.OuterRef("pk"))
    latest = versions.order_by("-number")
    # Counted per proposal through its index, not by joining and grouping: the join read
    # every campaign's versions, so the page slowed as other locals bargained.
    count = versions.order_by().values("proposal").annotate(n=models.Count("pk")).values("n")
    return list(
        Proposal.objects.filter(campaign=campaign)
        .select_related("article")
        .annotate(
            latest_status=models.Subquery(latest.values("status")[:1]),
            latest_side=models.Subquery(latest.values("side")[:1]),
            latest_passed_on=models.Subquery(latest.values("passed_on")[:1]),
            version_count=Coalesce(
                models.Subquery(count, output_field=models.IntegerField()), models.Value(0)
            ),
        )
    )


def overview(campaign: Campaign, query: QueryDict) -> dict:
    """What the overview shows, in a constant number of queries whatever the campaign's size."""
    proposals = proposals_with_latest(campaign)
    labels = dict(STATUSES)
    for proposal in proposals:
        proposal.latest_status = proposal.latest_status or NOT_TABLED
        proposal.latest_status_label = labels[proposal.latest_status]
        proposal.latest_side_label = dict(SIDES).get(proposal.latest_side, "")
    order = {status: n for n, (status, _label) in enumerate(STATUSES)}
    proposals.sort(key=lambda p: (order[p.latest_status], article_order(p)))

    summary = {status: StatusSummary(status, label) for status, label in STATUSES}
    for proposal in proposals:
        row = summary[proposal.latest_status]
        row.total += 1
        if proposal.latest_side == ProposalVersion.Side.UNION:
            row.union += 1
        elif proposal.latest_side == ProposalVersion.Side.EMPLOYER:
            row.employer += 1

    proposal_filter = ProposalFilter.from_query(query)
    shown = [p for p in proposals if proposal_filter.matches(p)]
    proposal_pager = pager(shown, PROPOSALS_PAGE, query, "proposals_page")
    groups: list[ProposalGroup] = []
    for proposal in proposal_pager.page.object_list:
        if not groups or groups[-1].status != proposal.latest_status:
            count = sum(1 for p in shown if p.latest_status == proposal.latest_status)
            groups.append(
                ProposalGroup(proposal.latest_status, labels[proposal.latest_status], count)
            )
        groups[-1].rows.append(proposal)

    agreements = TentativeAgreement.objects.filter(campaign=campaign).order_by("-signed_on", "-pk")
    with_agreement = set(agreements.values_list("proposal_id", flat=True))
    # Marked agreed at the table, but the signed agreement is not recorded yet.
    agreed_unrecorded = [
        proposal
        for proposal in proposals
        if proposal.latest_status == ProposalVersion.Status.TENTATIVELY_AGREED
        and proposal.pk not in with_agreement
    ]
    return {
        "summary": [row for row in summary.values() if row.total],
        "proposal_total": len(proposals),
        "proposal_filter": proposal_filter,
        "matching": len(shown),
        "proposals": proposal_pager,
        "groups": groups,
        "statuses": STATUSES,
        "sides": SIDES,
        "articles": ContractArticle.objects.filter(campaign=campaign),
        "sessions": pager(
            Session.objects.filter(campaign=campaign).order_by("-starts_at"),
            SESSIONS_PAGE,
            query,
            "page",
        ),
        "agreements": pager(agreements, RECORDS_PAGE, query, "agreements_page"),
        "agreed_unrecorded": agreed_unrecorded[:RECORDS_PAGE],
        "agreed_unrecorded_count": len(agreed_unrecorded),
        "events": pager(
            CampaignEvent.objects.filter(campaign=campaign).order_by("-occurred_on", "-pk"),
            RECORDS_PAGE,
            query,
            "events_page",
        ),
    }
