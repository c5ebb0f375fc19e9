"""A scale campaign's open bargaining, for benchmarks: in the large local 60 sessions and 600
proposal versions, all published, linked to the campaign's demands (published here if the demands
seed made any), on at most 60 contract articles (so the article tracker shows 60 articles and
600 versions), a declined date, a tentative agreement on every fifth article, and the public page
and its article tracker on."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bargaining.models import (
    ContractArticle,
    Proposal,
    ProposalVersion,
    PublicPage,
    Session,
    TentativeAgreement,
)
from demands.models import Demand
from seeds.scale import LARGE

TEXT = (
    "Article {article}, section {section}: the district shall {verb} no fewer than {n} "
    "positions and review the caps every semester with the union and the parents' council."
)
TOPICS = ["Staffing", "Class size", "Salaries", "Caseloads", "Safety", "Planning time"]
VERBS = ["fund", "staff", "maintain", "restore", "create", "protect"]
# The article tracker's page of the bench: threads share the articles beyond this many.
ARTICLES = 60


def seed(context: dict) -> None:
    campaign, leader = context["campaign"], context["leader"]
    size = context.get("size", LARGE)
    held = size.sessions - 4
    now = timezone.now()
    PublicPage.objects.update_or_create(
        campaign=campaign,
        defaults={
            "is_on": True,
            "story": "A large campaign, bargaining in the open.",
            "story_es": "Una campaña grande que negocia a la vista de todos.",
            "tracker_on": True,
        },
    )
    Demand.objects.filter(campaign=campaign, published_at__isnull=True).update(
        published_at=now, published_by=leader
    )
    demands = list(Demand.objects.filter(campaign=campaign).order_by("pk"))
    start = now - timedelta(days=7 * held)
    Session.objects.bulk_create(
        Session(
            campaign=campaign,
            starts_at=start + timedelta(days=7 * n),
            ends_at=start + timedelta(days=7 * n, hours=3),
            place="District board room",
            format=Session.Format.OPEN if n % 3 else Session.Format.CLOSED,
            status=(
                Session.Status.HELD
                if n < held
                else Session.Status.DECLINED_EMPLOYER
                if n == held
                else Session.Status.SCHEDULED
            ),
            member_observers=40 + n,
            community_observers=10 + n % 7,
            notes=f"Internal notes {n}",
            public_summary=f"Session {n + 1}: both sides passed proposals on staffing and pay.",
            public_summary_es=f"Sesión {n + 1}: ambas partes presentaron propuestas.",
            published_at=now,
            published_by=leader,
            created_by=leader,
        )
        for n in range(size.sessions)
    )
    sessions = list(Session.objects.filter(campaign=campaign).order_by("starts_at"))
    ContractArticle.objects.bulk_create(
        ContractArticle(campaign=campaign, number=f"{n + 1:03d}", title=TOPICS[n % len(TOPICS)])
        for n in range(min(size.threads, ARTICLES))
    )
    articles = list(ContractArticle.objects.filter(campaign=campaign).order_by("number"))
    Proposal.objects.bulk_create(
        Proposal(campaign=campaign, article=articles[n % len(articles)])
        for n in range(size.threads)
    )
    proposals = list(Proposal.objects.filter(campaign=campaign).order_by("pk"))
    if demands:
        through = Proposal.demands.through
        through.objects.bulk_create(
            through(proposal_id=p.pk, demand_id=demands[i % len(demands)].pk)
            for i, p in enumerate(proposals)
        )
    versions = []
    for i, proposal in enumerate(proposals):
        for number in range(1, size.versions_per_thread + 1):
            session = sessions[(i * 3 + number * 9) % held]
            versions.append(
                ProposalVersion(
                    proposal=proposal,
                    session=session,
                    number=number,
                    side="union" if number % 2 else "employer",
                    passed_on=session.starts_at.date(),
                    status="agreed" if number == size.versions_per_thread and i % 2 else "open",
                    text=TEXT.format(
                        article=i + 1, section=number, verb=VERBS[number % 6], n=10 + number
                    ),
                    published_at=now,
                    published_by=leader,
                    created_by=leader,
                )
            )
    ProposalVersion.objects.bulk_create(versions, batch_size=500)
    TentativeAgreement.objects.bulk_create(
        TentativeAgreement(
            campaign=campaign,
            proposal=proposal,
            title=f"Tentative agreement {n + 1}",
            signed_on=now.date(),
            union_signatories="Union negotiators",
            employer_signatories="District negotiators",
            published_at=now,
            published_by=leader,
        )
        for n, proposal in enumerate(proposals[: len(articles)])
        if n % 5 == 0
    )
