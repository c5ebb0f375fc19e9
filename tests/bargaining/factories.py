"""Plain factory functions for bargaining test data."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from bargaining.models import (
    CampaignEvent,
    Commitment,
    ContractArticle,
    Proposal,
    ProposalVersion,
    PublicPage,
    Session,
    TentativeAgreement,
)
from demands.models import Demand

_numbers = itertools.count(1)
START = datetime(2026, 9, 10, 17, 0, tzinfo=UTC)


def make_public_page(campaign, **extra) -> PublicPage:
    values = {
        "is_on": True,
        "story": "We bargain in the open.",
        "story_es": "Negociamos en abierto.",
    }
    values.update(extra)
    page, _ = PublicPage.objects.update_or_create(campaign=campaign, defaults=values)
    return page


def make_demand(campaign, *, published: bool = True, **extra) -> Demand:
    n = next(_numbers)
    values = {
        "title": f"Demand {n}",
        "summary": f"Summary of demand {n}",
        "status": Demand.Status.PROPOSED,
        "published_at": timezone.now() if published else None,
    }
    values.update(extra)
    return Demand.objects.create(campaign=campaign, **values)


def make_article(campaign, **extra) -> ContractArticle:
    n = next(_numbers)
    values = {"number": str(n), "title": f"Article title {n}", "title_es": f"Artículo {n}"}
    values.update(extra)
    return ContractArticle.objects.create(campaign=campaign, **values)


def make_session(campaign, *, published: bool = True, offset_days: int = 0, **extra) -> Session:
    starts_at = START + timedelta(days=offset_days)
    values = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "place": "District board room",
        "format": Session.Format.OPEN,
        "status": Session.Status.HELD,
        "public_summary": "Public summary",
        "public_summary_es": "Resumen público",
        "published_at": timezone.now() if published else None,
    }
    values.update(extra)
    return Session.objects.create(campaign=campaign, **values)


def make_proposal(campaign, *, article=None, demands=(), **extra) -> Proposal:
    if article is None and "topic" not in extra:
        article = make_article(campaign)
    proposal = Proposal.objects.create(campaign=campaign, article=article, **extra)
    proposal.demands.set(demands)
    return proposal


def make_version(proposal, *, published: bool = True, by=None, **extra) -> ProposalVersion:
    values = {
        "side": ProposalVersion.Side.UNION,
        "passed_on": date(2026, 9, 10),
        "text": "Proposal text",
        "published_at": timezone.now() if published else None,
    }
    values.update(extra)
    return proposal.add_version(ProposalVersion(**values), by=by)


def make_agreement(campaign, *, published: bool = True, **extra) -> TentativeAgreement:
    values = {
        "title": "Class size",
        "title_es": "Tamaño de las clases",
        "signed_on": date(2026, 12, 10),
        "union_signatories": "Union negotiator",
        "employer_signatories": "District negotiator",
        "summary": "Agreed caps.",
        "published_at": timezone.now() if published else None,
    }
    values.update(extra)
    return TentativeAgreement.objects.create(campaign=campaign, **values)


def make_event(campaign, *, published: bool = True, **extra) -> CampaignEvent:
    values = {
        "kind": CampaignEvent.Kind.RATIFICATION,
        "occurred_on": date(2027, 1, 23),
        "title": "Members ratify",
        "title_es": "Los miembros ratifican",
        "votes_yes": 900,
        "votes_no": 100,
        "published_at": timezone.now() if published else None,
    }
    values.update(extra)
    return CampaignEvent.objects.create(campaign=campaign, **values)


def make_open_campaign(campaign, size: int, *, leader=None) -> None:
    """A public page with ``size`` of each kind of item, all published."""
    make_public_page(campaign)
    for n in range(size):
        demand = make_demand(campaign)
        session = make_session(campaign, offset_days=n * 7)
        proposal = make_proposal(campaign, demands=[demand])
        make_version(proposal, session=session, by=leader)
        make_version(proposal, session=session, side="employer", text="Counter text", by=leader)
        make_agreement(campaign, title=f"Agreement {n}")
        make_event(campaign, title=f"Event {n}", kind="impasse", votes_yes=None, votes_no=None)


def make_commitment(campaign, *, published: bool = True, **extra) -> Commitment:
    """A commitment carrying out a won demand (a published one, unless one is given)."""
    if "demand" not in extra and "agreement" not in extra:
        extra["demand"] = make_demand(campaign, status=Demand.Status.WON)
    values = {
        "title": "Hire twenty counselors",
        "title_es": "Contratar a veinte consejeros",
        "owner_kind": Commitment.OwnerKind.JOINT_COMMITTEE,
        "owner_name": "Joint counseling committee",
        "due_on": date(2027, 3, 1),
        "published_at": timezone.now() if published else None,
    }
    values.update(extra)
    commitment = Commitment(campaign=campaign, **values)
    commitment.save_edits()
    return commitment
