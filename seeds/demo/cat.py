"""The demo's Contract Action Team: timeline, teams, stewards, 1-on-1s, structure tests, a
10-minute meeting, two self-assessments and the weekly history (from 67 supporters at 7 schools
to about 146 at 21, as the Alliance organisers reported). Deterministic and keyed on natural
keys, so running it twice changes nothing."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password

from accounts.models import Membership, Role, User
from campaigns.dashboard import building_stats, totals, week_start
from campaigns.models import (
    Assessment,
    Building,
    Campaign,
    Conversation,
    Local,
    Member,
    Milestone,
    StructureTest,
    StructureTestParticipation,
    Task,
    Team,
    TenMinuteMeeting,
    WeeklySnapshot,
)
from seeds.demo.campaigns import ZONE, demo_today
from seeds.factories import build_user, verified_address

ACTIVE_BUILDINGS = 21
HISTORY_WEEKS = 16

STEWARD_NAMES = [
    ("Rosa", "Hernandez"),
    ("Tou", "Xiong"),
    ("Keisha", "Williams"),
    ("Luis", "Ramirez"),
    ("Mai", "Vang"),
    ("Darnell", "Jackson"),
    ("Olga", "Petrov"),
    ("Nhia", "Moua"),
    ("Angela", "Reyes"),
    ("Francisco", "Torres"),
    ("Pa", "Lor"),
    ("Heather", "Clark"),
    ("Amir", "Khan"),
    ("Yesenia", "Flores"),
    ("Chue", "Her"),
    ("Monique", "Harris"),
    ("Ivan", "Kovalenko"),
    ("Kalia", "Cha"),
    ("Terrence", "Lewis"),
]

ISSUES = [
    "Class of 34; no aide since October.",
    "No nurse on Tuesdays and Thursdays; she gives the insulin shots herself.",
    "Three students in her class live in motels; wants the housing fund.",
    "Counselor shared with two schools; wait of three weeks.",
    "Rent went up again; thinking of leaving for Elk Grove.",
    "Suspensions for dress code; wants restorative justice.",
    "Worried a strike would hurt her students.",
    "Supports the demands but has no time for meetings.",
]
ASKS = [
    ("Sign the petition for nurses and counselors", "Signed on the spot"),
    ("Wear red on Thursday", "Yes, and will bring two colleagues"),
    ("Come to the school board meeting on the 12th", "Will try; has childcare that night"),
    ("Join the building's Contract Action Team", "Not yet; ask again after report cards"),
]

TEAM_DETAILS = {
    Team.Kind.LEADERSHIP: (
        "Officers and team leads: sets the plan and the escalation calendar.",
        [("Approve the escalation calendar for spring", 10), ("Budget for open bargaining", 24)],
    ),
    Team.Kind.ORGANIZING: (
        "Stewards and the Contract Action Team: 1-on-1s at every school, structure tests.",
        [
            ("Recruit stewards at the 28 schools without one", 21),
            ("Red Thursday: photos from every school", 3),
            ("1-on-1 training for new stewards", 14),
        ],
    ),
    Team.Kind.COMMUNICATIONS: (
        "Flyers for parents, social media, press, the open-bargaining page.",
        [("Parent flyer in English, Spanish and Hmong", 7)],
    ),
    Team.Kind.POLITICAL: (
        "School board, city council, neighbourhood councils.",
        [("Meet the two swing trustees with parents", 18)],
    ),
    Team.Kind.RESEARCH: (
        "District budget, reserves, bond underwriters, charter money; the power map.",
        [("Reserve and consultant spending since 2020", 12)],
    ),
    Team.Kind.BARGAINING: (
        "Writes the proposals with the coalition; sits at the table.",
        [("Draft the nurse and counselor ratio article", 30)],
    ),
}

ASSESSMENTS = {
    # Days before the bargaining target date, and the scores then.
    400: {
        "rj-reia": 1,
        "rj-affected-lead": 1,
        "rj-language": 2,
        "p-co-author": 1,
        "p-listening": 2,
        "p-table": 1,
        "s-common-good": 2,
        "s-members-back": 1,
        "s-public": 1,
        "b-research": 2,
        "b-power-map": 1,
        "b-exposed": 1,
        "i-stewards": 1,
        "i-one-on-ones": 1,
        "i-structure-tests": 1,
    },  # fmt: skip
    230: {
        "rj-reia": 3,
        "rj-affected-lead": 2,
        "rj-language": 3,
        "p-co-author": 3,
        "p-listening": 3,
        "p-table": 2,
        "s-common-good": 3,
        "s-members-back": 2,
        "s-public": 2,
        "b-research": 3,
        "b-power-map": 3,
        "b-exposed": 2,
        "i-stewards": 2,
        "i-one-on-ones": 3,
        "i-structure-tests": 2,
    },  # fmt: skip
}


def seed_stewards(local: Local, buildings: list[Building], steward: User) -> list[User]:
    """One steward (the demo steward) for the first two schools, one each for the next 19."""
    password = make_password("commongood")
    stewards = [steward]
    for index, (first, last) in enumerate(STEWARD_NAMES):
        email = f"{first}.{last}@example.org".lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = build_user(email, password, first_name=first, last_name=last)
            user.save()
            verified_address(user).save()
        membership, created = Membership.objects.get_or_create(
            user=user, local=local, defaults={"role": Role.STEWARD}
        )
        if created:
            membership.buildings.set([buildings[index + 2]])
        stewards.append(user)
    stewards.append(seed_spanish_steward(local, buildings[0], password))
    return stewards


SPANISH_STEWARD = "delegada@example.org"


def seed_spanish_steward(local: Local, building: Building, password: str) -> User:
    """A second steward at the demo steward's first school who reads the app in Spanish: her
    pages, reminders and weekly digest come in Spanish."""
    user = User.objects.filter(email=SPANISH_STEWARD).first()
    if user is None:
        user = build_user(
            SPANISH_STEWARD, password, first_name="Marisol", last_name="Delgado", language="es"
        )
        user.save()
        verified_address(user).save()
    membership, created = Membership.objects.get_or_create(
        user=user, local=local, defaults={"role": Role.STEWARD}
    )
    if created:
        membership.buildings.set([building])
    return user


def seed_timeline(campaign: Campaign, leader: User) -> None:
    campaign.create_timeline_from_template()
    # Ten weeks into bargaining, everything due before today was done, and what is left
    # (the packed board meeting, settlement, enforcement) is still ahead.
    for milestone in Milestone.objects.filter(
        campaign=campaign, done_at__isnull=True, due_on__lt=demo_today()
    ):
        milestone.check_off(by=leader)
        # Checked off on the day it was due, as the demo's history tells it.
        done_at = datetime.combine(milestone.due_on, time(17), tzinfo=ZONE)
        Milestone.objects.filter(pk=milestone.pk).update(done_at=done_at)


def seed_teams(campaign: Campaign, leader: User, stewards: list[User]) -> list[Team]:
    today = demo_today()
    leads = {Team.Kind.LEADERSHIP: leader, Team.Kind.ORGANIZING: stewards[0]}
    teams = []
    for kind, (purpose, tasks) in TEAM_DETAILS.items():
        team, created = Team.objects.get_or_create(campaign=campaign, kind=kind)
        if created or not team.purpose:
            team.purpose = purpose
            team.lead = leads.get(kind, leader)
            team.save()
        if kind == Team.Kind.ORGANIZING:
            team.members.add(*stewards[:6])
        else:
            team.members.add(leader)
        for title, due_in in tasks:
            Task.objects.get_or_create(
                team=team,
                title=title,
                defaults={
                    "due_on": today + timedelta(days=due_in),
                    "assigned_to": team.lead,
                },
            )
        teams.append(team)
    return teams


def seed_conversations(buildings: list[Building], stewards: list[User], rng: random.Random) -> None:
    today = demo_today()
    for index, building in enumerate(buildings[:ACTIVE_BUILDINGS]):
        steward = stewards[0] if index < 2 else stewards[index - 1]
        members = list(Member.objects.filter(building=building).order_by("employee_id")[:14])
        for number, member in enumerate(members[: 10 if index < 2 else 6]):
            held_on = today - timedelta(days=rng.randint(1, 25))
            if Conversation.objects.filter(member=member, steward=steward).exists():
                continue
            ask, answer = ASKS[number % len(ASKS)]
            member.log_conversation(
                by=steward,
                held_on=held_on,
                outcome=Conversation.Outcome.COMMITTED
                if number % 3
                else Conversation.Outcome.THINKING,
                issues=ISSUES[(index + number) % len(ISSUES)],
                ask=ask,
                answer=answer,
                support_level=2 if number % 3 else 3,
            )


def seed_structure_tests(campaign: Campaign, buildings: list[Building], steward: User):
    today = demo_today()
    petition, _ = StructureTest.objects.get_or_create(
        campaign=campaign,
        name="Signed the petition for nurses and counselors",
        defaults={
            "held_on": today - timedelta(days=24),
            "description": "Every member signs by the end of the month; stewards collect.",
        },
    )
    red, _ = StructureTest.objects.get_or_create(
        campaign=campaign,
        name="Wore red on Thursday",
        defaults={
            "held_on": today - timedelta(days=4),
            "description": "Red for Ed: wear red and send the building photo to the CAT chat.",
        },
    )
    members = Member.objects.filter(building__in=buildings[:ACTIVE_BUILDINGS]).order_by("pk")
    participations = []
    for member in members.only("pk", "support_level"):
        if member.support_level in (1, 2) or member.pk % 4 == 0:
            participations.append(
                StructureTestParticipation(test=petition, member=member, recorded_by=steward)
            )
        if member.support_level in (1, 2) and member.pk % 3:
            participations.append(
                StructureTestParticipation(test=red, member=member, recorded_by=steward)
            )
    StructureTestParticipation.objects.bulk_create(participations, ignore_conflicts=True)
    return [red, petition]


def seed_meeting(building: Building, steward: User) -> None:
    held_on = demo_today() - timedelta(days=6)
    meeting, created = TenMinuteMeeting.objects.get_or_create(
        building=building,
        agenda=(
            "1. What the district said at the last board meeting.\n"
            "2. Red on Thursday: who has shirts?\n"
            "3. The nurse petition: 9 signatures to go."
        ),
        defaults={
            "held_on": held_on,
            "led_by": steward,
            "questions": "Does the housing fund cover students in motels? (Marcus asks research)",
        },
    )
    if created:
        meeting.attendees.set(Member.objects.filter(building=building).order_by("pk")[:11])


def seed_assessments(campaign: Campaign, leader: User) -> None:
    for days_before, scores in ASSESSMENTS.items():
        Assessment.objects.get_or_create(
            campaign=campaign,
            taken_on=campaign.bargaining_target_date - timedelta(days=days_before),
            defaults={"scores": scores, "taken_by": leader},
        )


def seed_history(campaign: Campaign) -> None:
    """Sixteen weeks of growth ending just below this week's live numbers."""
    now = totals(building_stats(campaign, None))
    this_week = week_start(demo_today())
    start_supporters, start_active = 67, 7
    for step in range(HISTORY_WEEKS):
        share = step / HISTORY_WEEKS
        week = this_week - timedelta(weeks=HISTORY_WEEKS - step)
        WeeklySnapshot.objects.get_or_create(
            campaign=campaign,
            week=week,
            defaults={
                "members": now["members"],
                "buildings": now["buildings"],
                "supporters": round(
                    start_supporters + (now["supporters"] - start_supporters) * share
                ),
                "assessed": round(now["assessed"] * (0.45 + 0.55 * share)),
                "active_buildings": round(
                    start_active + (now["active_buildings"] - start_active) * share
                ),
            },
        )


def seed_field_mode(local: Local, building: Building, steward: User, petition) -> None:
    """The demo steward's phone in field mode: two 1-on-1s and a petition tick recorded in a
    portable without signal yesterday afternoon, sent when the signal came back. Keyed on fixed
    idempotency keys, so the sync applies them once however often the demo is seeded."""
    from accounts.access import forget_roles
    from campaigns.field_sync import apply_changes
    from campaigns.zones import local_time

    members = list(Member.objects.filter(building=building).order_by("employee_id")[10:13])
    if len(members) < 3:
        return
    yesterday = demo_today() - timedelta(days=1)
    afternoon = datetime.combine(yesterday, time(15, 40), tzinfo=ZONE)

    def key(n: int) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://commongood.example/demo/field/{n}"))

    # Each assessment keeps the member on the same side of "supporter" as the roster had them,
    # so the structure tests seeded before this pick the same members on every run.
    notes = [
        ("Portable 3 has no AC and the kids cannot focus after lunch.", members[0]),
        ("Worried about losing the reading specialist next year.", members[1]),
    ]
    changes = [
        {
            "key": key(n),
            "kind": "conversation",
            "building": building.pk,
            "member": member.pk,
            "recorded_at": (afternoon + timedelta(minutes=12 * n)).isoformat(),
            "data": {
                "held_on": yesterday.isoformat(),
                "outcome": "committed" if member.support_level in (1, 2) else "thinking",
                "issues": issues,
                "ask": "Sign the petition for nurses and counselors",
                "support_level": "2" if member.support_level in (1, 2) else "3",
            },
        }
        for n, (issues, member) in enumerate(notes)
    ]
    changes.append(
        {
            "key": key(2),
            "kind": "participation",
            "building": building.pk,
            "member": members[2].pk,
            "test": petition.pk,
            "took_part": True,
            "recorded_at": (afternoon + timedelta(minutes=30)).isoformat(),
        }
    )
    # The steward's buildings were given earlier in this run: read them afresh.
    forget_roles(steward)
    with local_time(local):
        results = apply_changes(steward, changes)
    assert all(r["status"] == "saved" for r in results), results


def seed_cat(local, campaign, buildings, leader, steward) -> dict:
    rng = random.Random(2027)  # noqa: S311  (demo data)
    stewards = seed_stewards(local, buildings, steward)
    seed_timeline(campaign, leader)
    teams = seed_teams(campaign, leader, stewards)
    seed_conversations(buildings, stewards, rng)
    tests = seed_structure_tests(campaign, buildings, steward)
    seed_meeting(buildings[0], steward)
    seed_field_mode(local, buildings[1], steward, tests[1])
    seed_assessments(campaign, leader)
    seed_history(campaign)
    return {"stewards": stewards, "teams": teams, "structure_tests": tests}
