"""Demo demands for Twin Rivers: a dozen demands written with partners, their racial equity
impact assessments, status changes, revisions, comments, endorsements and the power map.

Idempotent: a demand that already exists (by campaign and title) is left as it is, so
running ``seed_demo`` twice changes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from demands.models import (
    Demand,
    DemandComment,
    DemandEndorsement,
    DemandRevision,
    DemandTransition,
    Target,
)
from seeds.demo.campaigns import FIRST_AGREEMENT_AFTER, ZONE
from seeds.demo.demand_texts import COMMENTS, DEMANDS

S = Demand.Status
C = Demand.Category

# Each demand's way through the workflow, from draft, by a leader's hand. Nothing here puts a
# demand at the table or in agreement: the bargaining record does that (seeds/demo/bargaining.py
# tables the proposals and signs the agreements, and ``Proposal.demands_follow`` moves the
# demands they carry). Only an outcome the record does not imply is set by hand, with its
# reason, as a leader would.
PATHS = {
    S.DRAFT: [],
    S.REVIEW: [S.REVIEW],
    S.ADOPTED: [S.REVIEW, S.ADOPTED],
    S.WITHDRAWN: [S.WITHDRAWN],
}
WHY = {
    S.REVIEW: "Draft shared with the coalition table for review.",
    S.ADOPTED: "Adopted by the coalition at the monthly table, no objections.",
    S.WITHDRAWN: "Folded into a broader demand after the listening sessions.",
}
# A win outside the contract: the board of trustees passed the demand as a resolution. The
# table never carried it, so each step is the leaders' own, with its reason.
BOARD_WIN = [
    (
        S.PROPOSED,
        "Put to the board of trustees as a safe-haven resolution, outside the contract.",
    ),
    (
        S.TENTATIVE,
        "The superintendent agreed the resolution's wording ahead of the board vote.",
    ),
    (
        S.WON,
        "The board of trustees passed the safe-haven resolution 5-0: a win outside the "
        "contract, so no tentative agreement covers it.",
    ),
]
HAND_PATHS = {S.WON: [(S.REVIEW, WHY[S.REVIEW]), (S.ADOPTED, WHY[S.ADOPTED]), *BOARD_WIN]}


TARGETS = [
    (
        "Twin Rivers USD Board of Trustees",
        Target.Kind.DECISION_MAKER,
        5,
        0,
        "Re-election in November; test scores; the reserve; not looking bad in the Bee.",
        "Board minutes and budget adoption votes, June 2025; trustee campaign filings.",
    ),
    (
        "Superintendent",
        Target.Kind.DECISION_MAKER,
        5,
        -1,
        "Her contract renewal, the district's LCAP goals, a calm press.",
        "LCAP 2025-26; superintendent's message to staff, September 2025.",
    ),
    (
        "Sacramento City Council",
        Target.Kind.DECISION_MAKER,
        3,
        1,
        "Homelessness numbers, park safety, relations with labour.",
        "Council housing element; members' statements at the CLC breakfast.",
    ),
    (
        "River City Bank",
        Target.Kind.BAD_ACTOR,
        3,
        -2,
        "Fees on the district's certificates of participation; its reputation in North Sacramento.",
        "District debt-service schedule 2024; bank's community-investment report.",
    ),
    (
        "Golden State Charter Network",
        Target.Kind.BAD_ACTOR,
        3,
        -2,
        "Approvals for two new campuses in Del Paso Heights; per-pupil funding.",
        "Charter petitions filed with the county office of education, 2025.",
    ),
    (
        "Sacramento County Board of Education",
        Target.Kind.DECISION_MAKER,
        3,
        0,
        "Charter appeals; its own budget.",
        "County board agendas, charter appeal hearings.",
    ),
    (
        "The Sacramento Observer",
        Target.Kind.INFLUENCER,
        2,
        1,
        "Stories about Black families and schools in North Sacramento.",
        "Coverage of the suspension listening circle, December 2025.",
    ),
    (
        "North Sacramento Chamber of Commerce",
        Target.Kind.INFLUENCER,
        2,
        -1,
        "Taxes, business climate, a trained workforce.",
        "Chamber newsletter; board member overlap with the trustees.",
    ),
    (
        "Assemblymember for District 6",
        Target.Kind.ALLY,
        4,
        2,
        "State funding formula, labour endorsements.",
        "Statement of support at the October rally.",
    ),
]
# (who, whom): who has sway over whom.
INFLUENCES = [
    ("River City Bank", "Twin Rivers USD Board of Trustees"),
    ("North Sacramento Chamber of Commerce", "Twin Rivers USD Board of Trustees"),
    ("Golden State Charter Network", "Sacramento County Board of Education"),
    ("Twin Rivers USD Board of Trustees", "Superintendent"),
    ("The Sacramento Observer", "Twin Rivers USD Board of Trustees"),
    ("Assemblymember for District 6", "Sacramento City Council"),
]
# Which partner organisations (by index) know each target.
TARGET_PARTNERS = {
    "Twin Rivers USD Board of Trustees": [0, 3],
    "Sacramento City Council": [2, 6, 7],
    "River City Bank": [1],
    "The Sacramento Observer": [3],
    "Assemblymember for District 6": [7],
}


def seed_targets(context: dict) -> list[Target]:
    campaign, organisations = context["campaign"], context["organisations"]
    targets = {}
    for name, kind, power, alignment, cares, sources in TARGETS:
        target, _ = Target.objects.update_or_create(
            campaign=campaign,
            name=name,
            defaults={
                "kind": kind,
                "power": power,
                "alignment": alignment,
                "cares_about": cares,
                "sources": sources,
            },
        )
        targets[name] = target
    for who, whom in INFLUENCES:
        targets[who].influences.add(targets[whom])
    for name, indexes in TARGET_PARTNERS.items():
        targets[name].organisations.add(*(organisations[i] for i in indexes))
    return list(targets.values())


def seed(context: dict) -> None:
    campaign, organisations = context["campaign"], context["organisations"]
    leader, partner, steward = context["leader"], context["partner"], context["steward"]
    findings = context.get("findings", [])
    targets = seed_targets(context)
    board, superintendent = targets[0], targets[1]
    people = {"leader": leader, "partner": partner, "steward": steward}
    demands = []
    for position, row in enumerate(DEMANDS):
        (
            title,
            category,
            priority,
            status,
            coauthors,
            endorsers,
            shared,
            published,
            finding,
            summary,
            problem,
            solution,
            reia,
        ) = row
        demand = Demand.objects.filter(campaign=campaign, title=title).first()
        if demand is None:
            demand = Demand.start(
                campaign=campaign,
                title=title,
                by=leader,
                coauthors=[organisations[i] for i in coauthors],
                category=category,
                priority=priority,
                problem=problem,
                source_finding=findings[finding]
                if finding is not None and finding < len(findings)
                else None,
            )
            # A few saves by different hands, so the history has something to compare.
            author = partner if 0 in coauthors else leader
            demand.edit(
                changes={"summary": summary, "solution": solution},
                by=author,
                expected_version=demand.version,
            )
            if reia:
                demand.edit(changes=reia, by=leader, expected_version=demand.version)
            if reia.get("reia_strategies"):
                demand.edit(
                    changes={
                        "reia_strategies": reia["reia_strategies"]
                        + " Door-knocking with partners in the neighbourhoods most affected."
                    },
                    by=author,
                    expected_version=demand.version,
                )
            demand.shared_with.add(*(organisations[i] for i in shared))
            for index in endorsers:
                DemandEndorsement.objects.get_or_create(
                    demand=demand, organisation=organisations[index], defaults={"by": leader}
                )
            demand.decision_makers.add(board, superintendent)
            steps = HAND_PATHS.get(status) or [(step, WHY[step]) for step in PATHS[status]]
            for step, why in steps:
                demand.move_to(step, by=leader, why=why)
            if published:
                demand.publish(by=leader)
        # Every run, so that the history keeps its place when the timeline moves.
        backdate(demand, campaign.bargaining_target_date, position)
        demands.append(demand)
    first = demands[0]
    for who, body in COMMENTS:
        DemandComment.objects.get_or_create(
            demand=first, body=body, defaults={"author": people[who]}
        )
    context["demands"] = demands
    context["targets"] = targets


def backdate_all(campaign) -> None:
    """Date every demo demand's history again, once the bargaining record has moved the ones
    it carries: those moves are dated at the session or agreement that made them."""
    positions = {row[0]: position for position, row in enumerate(DEMANDS)}
    for demand in Demand.objects.filter(campaign=campaign, title__in=positions):
        backdate(demand, campaign.bargaining_target_date, positions[demand.title])


def backdate(demand: Demand, opened: date, position: int) -> None:
    """Spread a demo demand's history over the campaign's timeline: drafted with partners in
    the shared-vision phase, reviewed and adopted before bargaining, proposed at the first
    session (``opened``, the bargaining target date), agreed at the first tentative agreement,
    and a win outside the contract the day after."""
    start = datetime.combine(opened - timedelta(days=330 - 5 * position), time(17, 30), tzinfo=ZONE)
    for number, revision in enumerate(demand.revisions.order_by("number")):
        DemandRevision.objects.filter(pk=revision.pk).update(
            at=start + timedelta(days=2 * number, hours=number)
        )
    session = datetime.combine(opened, time(18, 0), tzinfo=ZONE)
    when = {
        S.REVIEW: start + timedelta(days=10),
        S.ADOPTED: datetime.combine(opened - timedelta(days=250 - position), time(19), tzinfo=ZONE),
        S.PROPOSED: session,
        S.TENTATIVE: session + FIRST_AGREEMENT_AFTER,
        S.WON: session + FIRST_AGREEMENT_AFTER + timedelta(days=1),
        S.WITHDRAWN: start + timedelta(days=24),
    }
    last = start + timedelta(days=10)
    for move in demand.transitions.order_by("pk"):
        last = when.get(move.to_status, last)
        DemandTransition.objects.filter(pk=move.pk).update(at=last)
    if demand.published_at:
        Demand.objects.filter(pk=demand.pk).update(published_at=last + timedelta(days=2))
    Demand.objects.filter(pk=demand.pk).update(created_at=start)
