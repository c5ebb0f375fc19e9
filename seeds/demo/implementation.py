"""The demo's open-bargaining tracker and implementation plans: the public page links to
both sides' positions article by article, and the safe-haven win and the first tentative
agreement carry commitments, one of them overdue (the district has not yet trained its
front-office staff)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bargaining.models import Commitment, PublicPage, TentativeAgreement
from bargaining.report import store_public_reports
from demands.models import Demand

# (title, Spanish, owner kind, owner, days from today, status, evidence link)
WIN_PLAN = [
    (
        "Adopt the safe-haven policy in board policy BP 5145.13",
        "Incorporar la política de refugio seguro a la norma BP 5145.13 del consejo",
        Commitment.OwnerKind.DISTRICT,
        "Superintendent's office",
        -30,
        Commitment.Status.DONE,
        "https://www.twinriversusd.org/board/policies",
    ),
    (
        "Train every school's front-office staff on the safe-haven protocol",
        "Formar al personal de secretaría de cada escuela en el protocolo de refugio seguro",
        Commitment.OwnerKind.DISTRICT,
        "Human resources",
        -10,
        Commitment.Status.UNDER_WAY,
        "",
    ),
    (
        "Report to the joint committee on requests from immigration enforcement",
        "Informar al comité conjunto sobre las solicitudes de las autoridades de inmigración",
        Commitment.OwnerKind.JOINT_COMMITTEE,
        "Safe-haven joint committee (union, district, parents)",
        45,
        Commitment.Status.NOT_STARTED,
        "",
    ),
]
AGREEMENT_PLAN = [
    (
        "Publish each school's class sizes on the first day of every quarter",
        "Publicar el tamaño de las clases de cada escuela el primer día de cada trimestre",
        Commitment.OwnerKind.JOINT_COMMITTEE,
        "Joint class-size committee",
        20,
        Commitment.Status.UNDER_WAY,
        "",
    ),
]


def _seed_plan(campaign, leader, today, plan, **of) -> None:
    for title, title_es, kind, owner, days, status, link in plan:
        commitment = Commitment.objects.filter(campaign=campaign, title=title).first()
        commitment = commitment or Commitment(campaign=campaign, title=title, created_by=leader)
        commitment.title_es = title_es
        commitment.owner_kind = kind
        commitment.owner_name = owner
        commitment.due_on = today + timedelta(days=days)
        commitment.status = status
        commitment.evidence_link = link
        commitment.published_at = commitment.published_at or timezone.now()
        commitment.published_by = leader
        for field, value in of.items():
            setattr(commitment, field, value)
        commitment.save_edits(by=leader, reminded=[leader])


def seed(context: dict) -> None:
    campaign, leader, today = context["campaign"], context["leader"], context["today"]
    page = PublicPage.objects.get(campaign=campaign)
    if not page.tracker_on:
        page.tracker_on = True
        page.save_settings()
    win = (
        Demand.objects.filter(campaign=campaign, status=Demand.Status.WON)
        .exclude(published_at=None)
        .order_by("pk")
        .first()
    )
    if win is not None:
        _seed_plan(campaign, leader, today, WIN_PLAN, demand=win)
    agreement = TentativeAgreement.objects.filter(campaign=campaign).order_by("signed_on").first()
    if agreement is not None:
        _seed_plan(campaign, leader, today, AGREEMENT_PLAN, agreement=agreement)
    campaign.refresh_from_db()
    store_public_reports(campaign)
