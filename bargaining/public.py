"""The public open-bargaining page: what it shows, how it is cached, and what happens when a
leader publishes or unpublishes something.

The page, the Atom feed, the calendar and the PDF report are all built from
``public_content(campaign)``, which reads only published items, so nothing internal can reach
any of them. The cached page is keyed on the campaign, the language and the page's version;
``published_content_changed()`` bumps that version (so every cached copy is dropped at once)
and asks Celery, after the transaction commits, to render the report again.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import Action
from campaigns.models import Campaign
from demands.models import Demand

from .models import (
    CampaignEvent,
    Proposal,
    ProposalVersion,
    PublicPage,
    PublishedReport,
    Session,
    TentativeAgreement,
)

# How long a process trusts the version it read. Bumps write the new version to the cache at
# once, so with a shared cache (Redis) pages change immediately; with a per-process cache
# (development) another process sees the change within this many seconds.
VERSION_TTL = 5
# Cached pages also expire, because the next session and the next actions move with time.
PAGE_TTL = 300
OFF = 0


def language_choice(requested: str | None, fallback: str) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    if requested in codes:
        return requested
    fallback = (fallback or settings.LANGUAGE_CODE).split("-")[0]
    return fallback if fallback in codes else settings.LANGUAGE_CODE


def _version_key(slug: str) -> str:
    return f"bargaining:open:version:{slug}"


def page_cache_key(slug: str, language: str, version: int, page: int = 1) -> str:
    return f"bargaining:open:page:{slug}:{language}:{version}:{page}"


# Each process also keeps the version it read for a second, so that a busy page costs no
# network round trip at all; a publish in this process forgets it at once.
PROCESS_VERSION_TTL = 1.0
PROCESS_VERSIONS_MAX = 256
_process_versions: dict[str, tuple[float, int]] = {}


def current_version(slug: str) -> int:
    """The public page's version, or ``OFF`` when the campaign has no public page."""
    remembered = _process_versions.get(slug)
    now = time.monotonic()
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    version = cache.get(_version_key(slug))
    if version is None:
        version = (
            PublicPage.objects.filter(campaign__slug=slug, is_on=True)
            .values_list("version", flat=True)
            .first()
        ) or OFF
        cache.set(_version_key(slug), version, VERSION_TTL)
    if len(_process_versions) >= PROCESS_VERSIONS_MAX:
        _process_versions.clear()  # made-up slugs must not grow this without end
    _process_versions[slug] = (now + PROCESS_VERSION_TTL, version)
    return version


def published_content_changed(campaign: Campaign) -> None:
    """Call after publishing, unpublishing or editing a published item, or the page settings."""
    page, _created = PublicPage.objects.get_or_create(campaign=campaign)
    PublicPage.objects.filter(pk=page.pk).update(
        version=models.F("version") + 1, updated_at=timezone.now()
    )
    page.refresh_from_db(fields=["version", "is_on"])
    # Forget the cached version now and again once the change is committed: a request in
    # between may have cached the old one. The next request reads the version from the
    # database, so a rolled-back change never leaves a version that does not exist.
    _forget_version(campaign.slug)
    transaction.on_commit(lambda: _forget_version(campaign.slug))
    if page.is_on:
        from config.enqueue import enqueue

        from .tasks import render_public_reports

        enqueue(
            render_public_reports,
            campaign.pk,
            waiting=_("Saved. The PDF report will be updated when the background service is back."),
        )


def _forget_version(slug: str) -> None:
    _process_versions.pop(slug, None)
    cache.delete(_version_key(slug))


@dataclass
class TrackerRow:
    demand: Demand
    positions: list[ProposalVersion] = field(default_factory=list)

    @property
    def at_the_table(self) -> bool:
        return bool(self.positions)


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

    @property
    def story(self) -> str:
        from .models import localized

        return localized(self.page, "story") or self.campaign.summary


CHART_ROW = 34
CHART_HEIGHT = CHART_ROW * 5
DEMAND_STAGES = [
    (_("Not yet at the table"), "#b9b1a9", ("draft", "review", "adopted")),
    (_("At the table"), "#c98a00", ("proposed",)),
    (_("Tentative agreement"), "#0b5e58", ("tentative",)),
    (_("Won or partly won"), "#1e6b34", ("won", "partly_won")),
    (_("Lost or withdrawn"), "#b3261e", ("lost", "withdrawn")),
]


def progress_chart(demands: list[Demand]) -> list[ChartBar]:
    """Bars for how many published demands stand at each stage, scaled to the largest."""
    counts = defaultdict(int)
    for demand in demands:
        counts[demand.status] += 1
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
    demands = list(
        Demand.objects.published().filter(campaign=campaign).order_by("priority", "title")
    )
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

    latest_by_proposal: dict[int, ProposalVersion] = {}
    for version in versions:
        latest_by_proposal[version.proposal_id] = version
    proposals_of_demand = defaultdict(list)
    for demand_id, proposal_id in links:
        if proposal_id in latest_by_proposal:
            proposals_of_demand[demand_id].append(latest_by_proposal[proposal_id])
    tracker = [TrackerRow(demand, proposals_of_demand.get(demand.pk, [])) for demand in demands]

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
        chart=progress_chart(demands),
        sessions_held=sum(1 for s in sessions if s.status == Session.Status.HELD),
        versions_count=len(versions),
        reports=reports,
        generated_at=timezone.now(),
    )
