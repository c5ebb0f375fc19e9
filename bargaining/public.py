"""The public open-bargaining page: what it shows, how it is cached, and what happens when a
leader publishes or unpublishes something.

The page, the Atom feed, the calendar and the PDF report are all built from
``public_content(campaign)``, which reads only published items, so nothing internal can reach
any of them. Every publish, unpublish or edit of something public moves the campaign's
``public_version`` in its own transaction (``Campaign.public_changed()``); the cached page is
keyed on the campaign, the language and that version, so a change shows at once, and a
stored report older than the version is never served.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from campaigns.content import CONTENT_LANGUAGES, DEFAULT_LANGUAGE, Text, language_name
from campaigns.models import Campaign
from demands.models import Demand, DemandTransition

from .models import (
    CampaignEvent,
    Proposal,
    ProposalVersion,
    PublicPage,
    PublishedReport,
    Session,
    TentativeAgreement,
)

# Cached pages also expire, because the next session and the next actions move with time.
PAGE_TTL = 300
OFF = 0


def language_choice(requested: str | None, fallback: str) -> str:
    """The reader's language: one asked for by ``?lang=`` that content can be written in
    (a bounded set, since each one is a cached copy), else the interface language."""
    if requested in CONTENT_LANGUAGES:
        return requested
    codes = {code for code, _name in settings.LANGUAGES}
    fallback = (fallback or settings.LANGUAGE_CODE).split("-")[0]
    return fallback if fallback in codes else settings.LANGUAGE_CODE


@dataclass(frozen=True)
class PageLinks:
    """A public page's addresses for search engines and link previews, absolute under
    ``SITE_URL``: its own (canonical) in the language shown, one per language, and the
    address without a language (``x-default``) that answers in the reader's own."""

    canonical: str
    alternates: list[tuple[str, str]]
    x_default: str


def page_links(path: str, language: str, languages: list[str]) -> PageLinks:
    """The page's own address in ``language`` and its alternates in each of ``languages``
    (the local's public languages), absolute, as search engines read them."""
    base = settings.SITE_URL + path
    alternates = [(code, f"{base}?lang={code}") for code in languages]
    return PageLinks(canonical=f"{base}?lang={language}", alternates=alternates, x_default=base)


def page_cache_key(slug: str, language: str, version: int, page: int = 1, part: str = "") -> str:
    """The key of one rendered public page; ``part`` tells apart the pages of one campaign
    that are not the main page (the demands filtered by status or text)."""
    return f"bargaining:open:page:{slug}:{language}:{version}:{page}{part}"


def current_version(slug: str) -> int:
    """The campaign's public version (``OFF`` for no such campaign), read on every request;
    see ``Campaign.objects.public_version_of``."""
    return Campaign.objects.public_version_of(slug) or OFF


BEFORE_THE_TABLE = {Demand.Status.DRAFT, Demand.Status.REVIEW, Demand.Status.ADOPTED}


@dataclass
class TrackerRow:
    """One demand on the public tracker: its status, and what the published bargaining
    record says about it. The two never contradict each other: where no proposal on the
    demand is published, the row says so instead of "not yet at the table"."""

    demand: Demand
    positions: list[ProposalVersion] = field(default_factory=list)
    agreements: list[TentativeAgreement] = field(default_factory=list)
    # Whether any proposal, published or not, carries the demand.
    carried: bool = False

    @property
    def at_the_table(self) -> bool:
        return bool(self.positions)

    @property
    def status(self) -> str:
        """The demand's status, or further along when the published record says so: a demand
        recorded before statuses followed the table must not read "adopted" beside a signed
        agreement. An outcome the leaders recorded (won, lost, withdrawn) always stands."""
        status = self.demand.status
        if self.agreements and status in BEFORE_THE_TABLE | {Demand.Status.PROPOSED}:
            return Demand.Status.TENTATIVE
        if self.positions and status in BEFORE_THE_TABLE:
            return Demand.Status.PROPOSED
        return status

    @property
    def status_label(self) -> str:
        return str(Demand.Status(self.status).label)

    @property
    def nothing_published_text(self) -> str:
        if self.status in BEFORE_THE_TABLE:
            return str(_("Not yet at the table"))
        if self.demand.status == Demand.Status.WITHDRAWN or not self.carried:
            # No proposal carries it: a demand won or lost outside the contract, say.
            return str(_("Not at the table"))
        return str(_("The proposals on this demand are not published yet"))

    @property
    def reason_set_by_hand(self) -> str:
        """The leaders' reason, when they set a status the table speaks of by hand."""
        if self.status != self.demand.status or self.status in BEFORE_THE_TABLE:
            return ""
        if getattr(self.demand, "last_cause", "") != DemandTransition.Cause.HAND:
            return ""
        return self.demand.last_why or ""


# The main page shows this many demands of each status; the rest are one click away, on the
# demands page, which shows this many a page.
TRACKER_PREVIEW = 5
TRACKER_PAGE = 25
QUERY_LENGTH = 100
STATUS_ORDER = list(Demand.Status.values)


@dataclass
class TrackerGroup:
    """The demands of one status: how many there are and the rows shown of them."""

    status: str
    count: int
    rows: list[TrackerRow]

    @property
    def label(self) -> str:
        return str(Demand.Status(self.status).label)


def tracker_groups(
    rows: list[TrackerRow], limit: int | None = None, counted: list[TrackerRow] | None = None
) -> list[TrackerGroup]:
    """The rows grouped by the status the public reads, in the order of the campaign's
    statuses, each group keeping at most ``limit`` rows but counting them all, or counting
    those of ``counted`` (the whole list, when ``rows`` is one page of it)."""
    by_status: dict[str, list[TrackerRow]] = defaultdict(list)
    for row in rows:
        by_status[row.status].append(row)
    counts: dict[str, int] = defaultdict(int)
    for row in rows if counted is None else counted:
        counts[row.status] += 1
    return [
        TrackerGroup(status, counts[status], by_status[status][:limit])
        for status in STATUS_ORDER
        if by_status[status]
    ]


@dataclass(frozen=True)
class TrackerFilter:
    """What a visitor asked the demands page for: one status, words of the demand's public
    title or summary, or both. Read from the query string, so it works without JavaScript
    and every filtered page has an address of its own."""

    status: str = ""
    text: str = ""

    @classmethod
    def from_query(cls, query) -> TrackerFilter:
        status = query.get("status", "")
        text = " ".join(query.get("q", "").split())[:QUERY_LENGTH]
        return cls(status if status in STATUS_ORDER else "", text)

    def __bool__(self) -> bool:
        return bool(self.status or self.text)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return Demand.Status.choices

    def matches(self, row: TrackerRow) -> bool:
        if self.status and row.status != self.status:
            return False
        words = self.text.casefold().split()
        haystack = f"{row.demand.public_title} {row.demand.public_summary}".casefold()
        return all(word in haystack for word in words)

    def cache_part(self) -> str:
        """A short, fixed-length part of the cache key: the text is the visitor's, of any
        characters, so it is hashed rather than put in the key as it is."""
        digest = hashlib.sha256(self.text.casefold().encode()).hexdigest()[:16]
        return f":demands:{self.status}:{digest}"

    def params(self, language: str) -> QueryDict:
        params = QueryDict(mutable=True)
        params["lang"] = language
        if self.status:
            params["status"] = self.status
        if self.text:
            params["q"] = self.text
        return params


@dataclass
class TimelineEntry:
    when: date
    session: Session | None = None
    event: CampaignEvent | None = None
    versions: list[ProposalVersion] = field(default_factory=list)


@dataclass
class ChartBar:
    label: str
    count: int
    fill: str
    width: float = 0.0
    y: int = 0

    @property
    def count_x(self) -> float:
        return self.width + 188


@dataclass
class PublicContent:
    campaign: Campaign
    page: PublicPage
    demands: list[Demand]
    tracker: list[TrackerRow]
    timeline: list[TimelineEntry]
    other_versions: list[ProposalVersion]
    agreements: list[TentativeAgreement]
    next_session: Session | None
    next_actions: list[Action]
    chart: list[ChartBar]
    sessions_held: int
    versions_count: int
    reports: dict[str, PublishedReport]
    generated_at: datetime
    petitions: list = field(default_factory=list)

    @property
    def story(self) -> str:
        from .models import localized

        return localized(self.page, "story") or self.campaign.summary

    def text_in(self, name: str, language: str) -> Text:
        """The story in ``language``; the campaign's summary when there is no story."""
        assert name == "story"
        text = self.page.text_in("story", language)
        return text if text.text else Text(self.campaign.summary, DEFAULT_LANGUAGE, language)

    @property
    def languages(self) -> list[tuple[str, str]]:
        """The local's content languages with their own names, for the language menu."""
        return [(code, language_name(code)) for code in self.campaign.local.public_language_codes]


CHART_ROW = 34
CHART_HEIGHT = CHART_ROW * 5
DEMAND_STAGES = [
    (_("Not yet at the table"), "#b9b1a9", ("draft", "review", "adopted")),
    (_("At the table"), "#c98a00", ("proposed",)),
    (_("Tentative agreement"), "#0b5e58", ("tentative",)),
    (_("Won or partly won"), "#1e6b34", ("won", "partly_won")),
    (_("Lost or withdrawn"), "#b3261e", ("lost", "withdrawn")),
]


def progress_chart(tracker: list[TrackerRow]) -> list[ChartBar]:
    """Bars for how many published demands stand at each stage, scaled to the largest."""
    counts = defaultdict(int)
    for row in tracker:
        counts[row.status] += 1
    bars = [
        ChartBar(label=str(label), count=sum(counts[s] for s in statuses), fill=fill)
        for label, fill, statuses in DEMAND_STAGES
    ]
    largest = max((bar.count for bar in bars), default=0) or 1
    for index, bar in enumerate(bars):
        bar.width = round(300 * bar.count / largest, 1)
        bar.y = index * CHART_ROW
    return bars


def public_content(campaign: Campaign) -> PublicContent:
    """Everything the public may see about a campaign, in a constant number of queries."""
    page = campaign.public_page
    last_change = DemandTransition.objects.filter(demand=models.OuterRef("pk")).order_by(
        "-at", "-pk"
    )
    demands = list(
        Demand.objects.published()
        .filter(campaign=campaign)
        .select_related("published_revision")
        .annotate(
            last_cause=models.Subquery(last_change.values("cause")[:1]),
            last_why=models.Subquery(last_change.values("why")[:1]),
        )
        .order_by("priority", "title")
    )
    # Ordered by the text the public reads, not by later, unpublished edits.
    demands.sort(key=lambda demand: (demand.priority, demand.public_title))
    versions = list(
        ProposalVersion.objects.published()
        .filter(proposal__campaign=campaign)
        .select_related("proposal__article")
        .order_by("passed_on", "proposal_id", "number")
    )
    links = Proposal.demands.through.objects.filter(
        proposal__campaign=campaign, demand__published_at__isnull=False
    ).values_list("demand_id", "proposal_id")
    sessions = list(Session.objects.published().filter(campaign=campaign).order_by("starts_at"))
    events = list(CampaignEvent.objects.published().filter(campaign=campaign))
    agreements = list(TentativeAgreement.objects.published().filter(campaign=campaign))
    next_actions = list(
        Action.objects.public().upcoming().filter(campaign=campaign).order_by("starts_at")[:3]
    )
    reports = {r.language: r for r in PublishedReport.objects.filter(campaign=campaign)}
    # Petitions are the reach app's, which comes after this one: read through the relation
    # it declares rather than imported.
    petitions = list(
        campaign.petitions.filter(published_at__isnull=False).order_by("-published_at", "-pk")
    )

    latest_by_proposal: dict[int, ProposalVersion] = {}
    for version in versions:
        latest_by_proposal[version.proposal_id] = version
    agreements_of_proposal = defaultdict(list)
    for agreement in agreements:
        agreements_of_proposal[agreement.proposal_id].append(agreement)
    proposals_of_demand = defaultdict(list)
    agreements_of_demand = defaultdict(list)
    carried = set()
    for demand_id, proposal_id in links:
        carried.add(demand_id)
        if proposal_id in latest_by_proposal:
            proposals_of_demand[demand_id].append(latest_by_proposal[proposal_id])
        agreements_of_demand[demand_id].extend(agreements_of_proposal.get(proposal_id, []))
    tracker = [
        TrackerRow(
            demand,
            proposals_of_demand.get(demand.pk, []),
            agreements_of_demand.get(demand.pk, []),
            carried=demand.pk in carried,
        )
        for demand in demands
    ]

    session_ids = {s.pk for s in sessions}
    by_session = defaultdict(list)
    other_versions = []
    for version in versions:
        if version.session_id in session_ids:
            by_session[version.session_id].append(version)
        else:
            other_versions.append(version)
    timeline = [
        TimelineEntry(
            when=timezone.localdate(s.starts_at), session=s, versions=by_session.get(s.pk, [])
        )
        for s in sessions
    ] + [TimelineEntry(when=e.occurred_on, event=e) for e in events]
    timeline.sort(key=lambda entry: (entry.when, entry.event is None))

    upcoming = [s for s in sessions if s.is_upcoming]
    return PublicContent(
        campaign=campaign,
        page=page,
        demands=demands,
        tracker=tracker,
        timeline=timeline,
        other_versions=other_versions,
        agreements=agreements,
        next_session=upcoming[0] if upcoming else None,
        next_actions=next_actions,
        chart=progress_chart(tracker),
        sessions_held=sum(1 for s in sessions if s.status == Session.Status.HELD),
        versions_count=len(versions),
        reports=reports,
        generated_at=timezone.now(),
        petitions=petitions,
    )
