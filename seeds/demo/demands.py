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


def assessment(problems, causes, history, solutions, strategies, leadership, groups, data):
    return {
        "reia_problems": problems,
        "reia_causes": causes,
        "reia_history": history,
        "reia_solutions": solutions,
        "reia_strategies": strategies,
        "reia_leadership": leadership,
        "groups_affected": groups,
        "data_sources": data,
    }


NURSES = assessment(
    "Schools in Del Paso Heights and North Highlands, where most students are Black, Latino "
    "and Hmong, share one nurse between three sites; schools in whiter, wealthier attendance "
    "areas have a nurse four days a week. Students with asthma and diabetes are hurt most; "
    "the district's reserve benefits.",
    "Nurses are funded from the general fund after administration; the district counts "
    "office staff handing out medicine as coverage.",
    "Nurse positions were cut in 2009 and never restored, while administrator positions "
    "grew by 40 per cent. It is getting worse as enrolment with health plans rises.",
    "A full-time nurse and a counselor at every school, high-need schools first. Black, "
    "Latino and Hmong students gain the most; no group loses services.",
    "Open bargaining sessions with parents; a petition to the board; testimony from "
    "students with chronic illness.",
    "Parents from the Oak Grove listening session named the problem and sit on the "
    "bargaining team; students from Rio Linda Students for Change will testify.",
    "Black, Latino and Hmong students; students with chronic illness; families without a "
    "family doctor.",
    "District staffing reports 2009-2025; Oak Grove listening session; student survey "
    "January 2026.",
)
CLASS_SIZE = assessment(
    "TK-3 classes of 30+ are concentrated in schools serving low-income Latino and Black "
    "families; those students get less reading time one-on-one.",
    "Class-size waivers are granted to fill budget gaps at the schools with most vacancies.",
    "Class sizes rose after 2012 and again after the pandemic when vacancies went unfilled.",
    "A hard cap of 24 in TK-3 with aides above 20; the schools with the largest classes "
    "benefit first.",
    "Red-for-Ed Thursdays, a class-size count published by building, parents at the board.",
    "Parents for Public Schools co-wrote the demand and lead the class-size count.",
    "Latino and Black students in TK-3; English learners; their teachers.",
    "Class-size counts by building, fall 2025; Oak Grove parents' night.",
)
HOUSING = assessment(
    "More than 1,000 Twin Rivers students are unhoused; most are Black and Latino. Landlords "
    "and motel owners profit; students lose weeks of school with each move.",
    "Evictions peak in the school year; McKinney-Vento transport is slow to arrange.",
    "Unhoused student counts doubled since 2019 as rents rose in North Sacramento.",
    "A housing liaison at each high-need school, transport within 48 hours, and district "
    "land offered for family housing. Unhoused families of every group benefit.",
    "Tenants' union and faith partners press the city council on land; bargaining for the "
    "liaisons; a public vigil at the board.",
    "Tenant families from the Rio Linda Boulevard meeting co-lead and will speak at the table.",
    "Unhoused and doubled-up students; Black and Latino families; families in motels.",
    "McKinney-Vento counts 2019-2025; tenant meeting November 2025; county eviction data.",
)
RESTORATIVE = assessment(
    "Black students are suspended for willful defiance at several times the rate of their "
    "classmates; they lose instruction and are pushed toward the justice system.",
    "Discretionary suspension policies and no staff trained in restorative practices.",
    "Suspension gaps have stayed wide for a decade despite state limits on defiance "
    "suspensions in the lower grades.",
    "Restorative justice coordinators at every middle and high school; no suspensions for "
    "willful defiance. Black students benefit most; all students gain calmer schools.",
    "Listening circles, data published by the Black Parallel School Board, board testimony.",
    "Black parents and former students named the issue and lead the restorative pilot design.",
    "Black students; students with disabilities; foster youth.",
    "California dashboard suspension data; Del Paso Heights listening circle December 2025.",
)
PAY = assessment(
    "Vacancies fall hardest on schools serving Black, Latino and Hmong students, who are "
    "taught by a rotating cast of substitutes.",
    "Salaries below neighbouring districts; the district's reserves grow instead.",
    "The district spent years disinvesting in educator pay while reserves rose.",
    "Salaries that match neighbouring districts, with retention pay at hard-to-staff sites; "
    "students at those schools benefit most.",
    "Open bargaining, 800-strong rallies, a strike authorisation vote if needed.",
    "Educators of colour on the bargaining team; parents speak to what vacancies cost.",
    "Students at hard-to-staff schools; educators of colour; early-career teachers.",
    "Salary schedules of neighbouring districts; vacancy counts by building.",
)
ETHNIC = assessment(
    "Hmong, Black and Latino students rarely see their histories in the curriculum; "
    "students who do take ethnic studies attend more and graduate more.",
    "No trained staff and no course sections at most high schools.",
    "A state requirement is coming but the district has no plan or training.",
    "Ethnic studies taught by trained educators in every high school, designed with "
    "community partners.",
    "Student walk-out teach-in, community curriculum nights, testimony at the board.",
    "Hmong Youth and Parents United and Rio Linda Students for Change co-author the design.",
    "Hmong, Black, Latino and Native students; all students.",
    "Course catalogue 2025; student survey January 2026; Stanford ethnic-studies study.",
)
ICE = assessment(
    "Undocumented and mixed-status families, most of them Latino, keep children home when "
    "rumours of immigration raids spread.",
    "No district policy on immigration agents at schools.",
    "Attendance dropped after each raid rumour since 2017.",
    "No cooperation with ICE on school grounds without a judicial warrant; know-your-rights "
    "training for staff. Immigrant families benefit; nobody loses.",
    "Faith partners host know-your-rights nights; board resolution; contract language.",
    "Immigrant parents in the interfaith alliance named it and lead the training.",
    "Undocumented and mixed-status families; Latino and Southeast Asian students.",
    "Attendance data around raid rumours; interfaith listening sessions.",
)
CASELOADS = assessment(
    "Special education caseloads are highest at schools serving Black and Latino students "
    "with disabilities, who wait longest for services.",
    "No contractual caseload caps; vacancies covered by increasing caseloads.",
    "Caseloads have grown every year since 2018.",
    "Caseload caps by programme with relief when exceeded; students with IEPs at high-need "
    "schools benefit first.",
    "IEP parents at the board; caseload counts published by building.",
    "Parents of students with disabilities co-wrote the caps.",
    "Students with disabilities; Black and Latino students over-identified for special education.",
    "Caseload reports 2018-2025; parent survey.",
)
PARTIAL = {
    "reia_problems": "Students and families who speak Hmong, Spanish and Russian are left out "
    "of parent conferences and IEP meetings.",
    "reia_causes": "Interpreters are booked centrally and rarely available.",
    "groups_affected": "Hmong, Latino and Slavic immigrant families.",
}

# (title, category, priority, status, co-author indexes, endorser indexes, shared indexes,
#  published, finding index, summary, problem, solution, assessment)
DEMANDS = [
    (
        "A nurse and a counselor in every school",
        C.HEALTH,
        1,
        S.ADOPTED,
        [0, 3],
        [],
        [5],
        False,
        0,
        "Every Twin Rivers school gets a full-time nurse and a counselor.",
        "Our schools share nurses and counselors; students go without care.",
        "Fund a full-time nurse and counselor at every school, high-need schools first.",
        NURSES,
    ),
    (
        "Class sizes no larger than 24 in TK-3",
        C.CONDITIONS,
        1,
        S.ADOPTED,
        [0],
        [],
        [],
        True,
        1,
        "Smaller classes in the early grades, so every child learns to read.",
        "Kindergarten classes of 31 with no aide.",
        "Cap TK-3 classes at 24 with an aide above 20.",
        CLASS_SIZE,
    ),
    (
        "Housing support for students without a home",
        C.HOUSING,
        1,
        S.ADOPTED,
        [1, 2],
        [0],
        [],
        True,
        3,
        "Housing liaisons, quick transport and district land for family housing.",
        "Over a thousand students are unhoused and lose school with each move.",
        "A housing liaison at each high-need school; transport in 48 hours; land for housing.",
        HOUSING,
    ),
    (
        "Restorative justice in place of suspensions",
        C.DISCIPLINE,
        1,
        S.ADOPTED,
        [3, 1],
        [0],
        [],
        True,
        6,
        "Restorative justice coordinators, and no suspensions for willful defiance.",
        "Black students are suspended at several times the rate of their classmates.",
        "Coordinators in every middle and high school; end defiance suspensions.",
        RESTORATIVE,
    ),
    (
        "Pay that keeps good teachers in Twin Rivers",
        C.WAGES,
        1,
        S.ADOPTED,
        [],
        [7, 0],
        [],
        True,
        None,
        "Salaries that match our neighbours, so teachers stay.",
        "Vacancies leave students with a rotating cast of substitutes.",
        "Match neighbouring districts' salary schedules; retention pay at hard-to-staff sites.",
        PAY,
    ),
    (
        "Ethnic studies taught by trained educators",
        C.CURRICULUM,
        2,
        S.REVIEW,
        [4, 5, 0],
        [],
        [],
        False,
        None,
        "Ethnic studies in every high school, designed with the community.",
        "Students rarely see their histories in what they learn.",
        "Trained educators and sections in every high school.",
        ETHNIC,
    ),
    (
        "Interpreters and family liaisons at every site",
        C.STAFFING,
        2,
        S.REVIEW,
        [4],
        [],
        [0],
        False,
        9,
        "Families take part in their children's schooling in their own language.",
        "Children interpret for their own parents at conferences.",
        "Trained interpreters and a family liaison at every site.",
        PARTIAL,
    ),
    (
        "No cooperation with ICE on school grounds",
        C.IMMIGRATION,
        2,
        S.WON,
        [1],
        [0, 3],
        [],
        True,
        None,
        "Schools are safe places for immigrant families.",
        "Families keep children home when raid rumours spread.",
        "No cooperation without a judicial warrant; know-your-rights training.",
        ICE,
    ),
    (
        "Safe routes to school around Del Paso Heights",
        C.SAFETY,
        3,
        S.DRAFT,
        [],
        [],
        [6, 0],
        False,
        None,
        "",
        "Students walk along boulevards with no crossings.",
        "",
        {},
    ),
    (
        "Mental health days and student-led wellness rooms",
        C.HEALTH,
        2,
        S.DRAFT,
        [5],
        [],
        [],
        False,
        8,
        "",
        "Most students have never met their counselor.",
        "",
        {},
    ),
    (
        "Special education caseload caps",
        C.CONDITIONS,
        2,
        S.ADOPTED,
        [],
        [0],
        [],
        False,
        None,
        "Caseload caps so students with IEPs get the services they are owed.",
        "Caseloads grow every year; students wait for services.",
        "Caps by programme, with relief when exceeded.",
        CASELOADS,
    ),
    (
        "Stop new charter approvals that drain neighbourhood schools",
        C.OTHER,
        3,
        S.WITHDRAWN,
        [0],
        [],
        [],
        False,
        None,
        "",
        "Two new charter campuses are planned in Del Paso Heights.",
        "",
        {},
    ),
]

COMMENTS = [
    (
        "partner",
        "Parents at Oak Grove want the nurse language to say 'every day the school is open'.",
    ),
    ("leader", "Agreed. The research team is pricing it at 48 sites."),
    ("leader", "Stewards at Rio Vista say staff will wear red on Thursday for this one."),
]


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
