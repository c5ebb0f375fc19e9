"""The demo local: Twin Rivers United Educators, modelled on the seed stories.

Everything here is deterministic and keyed on natural keys, so running ``seed_demo`` twice
changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Membership, Role, User
from campaigns.models import Assessment, Building, Campaign, Local, Member, Milestone, Phase
from partners.models import Organisation
from seeds.factories import build_user, verified_address

DEMO_PASSWORD = "commongood"
DEMO_LOGINS = {
    "leader": "leader@example.org",
    "steward": "steward@example.org",
    "partner": "partner@example.org",
}

# The demo's one story: the campaign is in its bargaining phase. Bargaining opened (the first
# session, on the bargaining target date) on a Wednesday ten weeks or a little more before the
# day of seeding; every other date (the timeline, demands, listening sessions, sessions,
# proposals, agreements, actions) is counted from that day or from today, so the story reads
# the same whenever the demo is loaded.
ZONE = ZoneInfo("America/Los_Angeles")
WEEKS_INTO_BARGAINING = 10
WEDNESDAY = 2
# The first tentative agreement was signed at the fifth session, nine weeks in.
FIRST_AGREEMENT_AFTER = timedelta(weeks=9)


def demo_today() -> date:
    """Today where the demo local is, not on the server's clock."""
    return timezone.localdate(timezone=ZONE)


def bargaining_began(today: date) -> date:
    start = today - timedelta(weeks=WEEKS_INTO_BARGAINING)
    return start - timedelta(days=(start.weekday() - WEDNESDAY) % 7)


PLACES = [
    "Oak Grove",
    "Rio Vista",
    "Del Paso",
    "North Highlands",
    "Foothill Farms",
    "Madison",
    "Elkhorn",
    "Arcade Creek",
    "Dry Creek",
    "Pioneer",
    "Hillsdale",
    "Sierra View",
    "Frontier",
    "Kohler",
    "Morey Avenue",
    "Orchard",
    "Regency Park",
    "Westside",
    "Woodlake",
    "Allison",
    "Castori",
    "Fairbanks",
    "Harmon Johnson",
    "Noralto",
    "Ridgepoint",
    "Village",
    "Smythe",
    "Hagginwood",
    "Las Palmas",
    "Bell Avenue",
    "Babcock",
    "Creekside",
    "Garden Valley",
    "Magnolia",
    "Raley",
    "Strauch",
    "Vineland",
    "Larchmont",
    "Sunrise",
    "Cottage",
    "Riverbend",
    "Grant",
    "Highlands",
    "Rio Linda",
    "Norwood",
    "Foothill Oaks",
    "Pacific Heights",
    "Robla",
]
KIND_FOR_INDEX = (
    [Building.Kind.ELEMENTARY] * 30
    + [Building.Kind.K8] * 5
    + [Building.Kind.MIDDLE] * 7
    + [Building.Kind.HIGH] * 5
    + [Building.Kind.ALTERNATIVE]
)
KIND_SUFFIX = {
    Building.Kind.ELEMENTARY: "Elementary",
    Building.Kind.K8: "K-8",
    Building.Kind.MIDDLE: "Middle School",
    Building.Kind.HIGH: "High School",
    Building.Kind.ALTERNATIVE: "Community Day School",
    Building.Kind.OFFICE: "",
}
FIRST_NAMES = [
    "Maria",
    "James",
    "Guadalupe",
    "Linda",
    "Tou",
    "Keisha",
    "Jose",
    "Patricia",
    "Hmong",
    "Darnell",
    "Mai",
    "Robert",
    "Yesenia",
    "Michael",
    "Nhia",
    "Angela",
    "Luis",
    "Jennifer",
    "Pa",
    "David",
    "Rosa",
    "Andre",
    "Kalia",
    "Sarah",
    "Miguel",
    "Tamika",
    "Chue",
    "Laura",
    "Carlos",
    "Denise",
    "Vang",
    "Erin",
    "Juan",
    "Monique",
    "Xee",
    "Karen",
    "Ana",
    "Terrence",
    "Lor",
    "Rachel",
    "Francisco",
    "Crystal",
    "Amir",
    "Heather",
    "Olga",
    "Marcus",
    "Ivan",
    "Nadia",
]
LAST_NAMES = [
    "Garcia",
    "Johnson",
    "Xiong",
    "Hernandez",
    "Williams",
    "Vang",
    "Lopez",
    "Brown",
    "Lee",
    "Martinez",
    "Thao",
    "Davis",
    "Moua",
    "Rodriguez",
    "Jones",
    "Yang",
    "Gonzalez",
    "Miller",
    "Her",
    "Perez",
    "Wilson",
    "Lor",
    "Sanchez",
    "Anderson",
    "Khan",
    "Ramirez",
    "Thomas",
    "Cha",
    "Torres",
    "Jackson",
    "Nguyen",
    "Flores",
    "White",
    "Kovalenko",
    "Rivera",
    "Harris",
    "Singh",
    "Gomez",
    "Clark",
    "Petrov",
    "Diaz",
    "Lewis",
    "Chang",
    "Reyes",
    "Walker",
    "Ali",
]
JOB_CLASSES = [
    "Classroom teacher",
    "Classroom teacher",
    "Classroom teacher",
    "Classroom teacher",
    "Special education teacher",
    "Counselor",
    "School nurse",
    "Librarian",
    "Speech therapist",
    "Psychologist",
    "Teacher on special assignment",
    "Adult education teacher",
]
# Language codes, as the roster import stores them; "Mixteco" is how one school's roster
# wrote a language the app does not know, kept for a leader to see.
LANGUAGES = ["en"] * 6 + ["es", "es", "hmn", "ru", "vi", "Mixteco"]


PLAN = {
    "vision": (
        "Every Twin Rivers school has a nurse, a counselor and a librarian; classes small "
        "enough to teach; no student sleeping in a car; discipline that keeps students in "
        "school; and educators who stay because they can afford to live here."
    ),
    "strategy": (
        "Build a steward for every ten members and talk to every member one-on-one before "
        "we open bargaining. Write the demands with parents, students and faith partners, "
        "bargain in the open, and escalate together, from petitions and red Thursdays to "
        "packed board meetings, until the board settles."
    ),
    "theory_of_target": (
        "The school board decides; three trustees face re-election in November and listen "
        "to parents in their areas. The superintendent moves when the board does. The "
        "district's bond underwriters and the charter lobby fund the board's majority; "
        "exposing who profits from cuts moves the swing trustees."
    ),
    "winning": (
        "A contract with nurse and counselor ratios written in, class-size caps, a housing "
        "fund for unhoused families, restorative justice coordinators at every secondary "
        "school and a raise that matches rent; and a coalition that stays together to "
        "enforce it."
    ),
}


def seed_local() -> Local:
    local, _ = Local.objects.update_or_create(
        slug="true",
        defaults={
            "name": "Twin Rivers United Educators",
            "employer": "Twin Rivers Unified School District",
            "timezone": ZONE.key,
        },
    )
    return local


def seed_buildings(local: Local) -> list[Building]:
    buildings = []
    for index, place in enumerate(PLACES):
        kind = KIND_FOR_INDEX[index]
        building, _ = Building.objects.get_or_create(
            local=local,
            name=f"{place} {KIND_SUFFIX[kind]}".strip(),
            defaults={"kind": kind, "address": f"{1000 + index * 37} {place} Road, Sacramento, CA"},
        )
        buildings.append(building)
    office, _ = Building.objects.get_or_create(
        local=local,
        name="District Office",
        defaults={"kind": Building.Kind.OFFICE, "address": "5115 Dudley Boulevard, McClellan, CA"},
    )
    buildings.append(office)
    return buildings


def seed_members(local: Local, buildings: list[Building], count: int = 1500) -> None:
    """About 1,500 members spread over the buildings, with a believable mix of support levels."""
    rng = random.Random(1500)  # noqa: S311  (demo data, not security)
    existing = set(Member.objects.filter(local=local).values_list("employee_id", flat=True))
    now = timezone.now()
    # Early in the campaign: most members not yet assessed, about one in ten a supporter.
    weights = {1: 1, 2: 3, 3: 12, 4: 4, 5: 2, None: 78}
    levels = list(weights)
    new = []
    for number in range(1, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        building = buildings[number % len(buildings)]
        level = rng.choices(levels, weights=list(weights.values()))[0]
        contacted = now - timedelta(days=rng.randint(0, 60)) if level is not None else None
        employee_id = f"TR{number:05d}"
        if employee_id in existing:
            continue
        slug = f"{first}.{last}{number}".lower()
        new.append(
            Member(
                local=local,
                building=building,
                first_name=first,
                last_name=last,
                employee_id=employee_id,
                work_email=f"{slug}@twinriversusd.example",
                personal_email=f"{slug}@mail.example" if rng.random() < 0.6 else "",
                phone=f"+1916555{number % 10000:04d}" if rng.random() < 0.7 else "",
                job_class=rng.choice(JOB_CLASSES),
                preferred_language=rng.choice(LANGUAGES),
                support_level=level,
                last_contacted_at=contacted,
            )
        )
    Member.objects.bulk_create(new, batch_size=500)


def seed_campaign(local: Local, today: date) -> Campaign:
    target = bargaining_began(today)
    before = Campaign.objects.filter(slug="true-2027").values_list(
        "bargaining_target_date", flat=True
    )
    earlier_target = before.first()
    campaign, _ = Campaign.objects.update_or_create(
        slug="true-2027",
        defaults={
            "local": local,
            "name": "Schools Our Students Deserve",
            "bargaining_target_date": target,
            "summary": (
                "Educators, parents and neighbours of Twin Rivers are bargaining together for "
                "the schools our students deserve: a nurse and a counselor in every school, "
                "smaller classes, housing support for students without a home, restorative "
                "justice in place of suspensions, and pay that keeps good teachers in Twin Rivers."
            ),
            **PLAN,
            # The vision and the wins are the coalition's; strategy and targets stay internal.
            "vision_shared": True,
            "winning_shared": True,
        },
    )
    if earlier_target is not None and earlier_target != target:
        _move_timeline(campaign, target - earlier_target)
    return campaign


def _move_timeline(campaign: Campaign, shift: timedelta) -> None:
    """Loaded again on a later day, the demo moves its timeline with its target date, so the
    campaign stays in the same phase instead of growing a second timeline."""
    phases = list(Phase.objects.filter(campaign=campaign))
    for phase in phases:
        phase.starts_on += shift
        phase.ends_on += shift
    Phase.objects.bulk_update(phases, ["starts_on", "ends_on"])
    milestones = list(Milestone.objects.filter(campaign=campaign))
    for milestone in milestones:
        milestone.due_on += shift
        if milestone.done_at is not None:
            milestone.done_at += shift
    Milestone.objects.bulk_update(milestones, ["due_on", "done_at"])
    assessments = list(Assessment.objects.filter(campaign=campaign))
    for assessment in assessments:
        assessment.taken_on += shift
    Assessment.objects.bulk_update(assessments, ["taken_on"])


def seed_organisations(local: Local) -> list[Organisation]:
    rows = [
        (
            "Twin Rivers Parents for Public Schools",
            Organisation.Kind.PARENT,
            Organisation.Stage.CO_LEADING,
            "Class size, school nurses, safe routes to school.",
        ),
        (
            "North Sacramento Interfaith Alliance",
            Organisation.Kind.FAITH,
            Organisation.Stage.COALITION,
            "Housing for unhoused families; restorative justice.",
        ),
        (
            "Del Paso Heights Tenants Union",
            Organisation.Kind.TENANTS,
            Organisation.Stage.LISTENING,
            "Rent, evictions in the school year, students in motels.",
        ),
        (
            "Black Parallel School Board",
            Organisation.Kind.COMMUNITY,
            Organisation.Stage.COALITION,
            "Ending suspensions that fall hardest on Black students.",
        ),
        (
            "Hmong Youth and Parents United",
            Organisation.Kind.COMMUNITY,
            Organisation.Stage.FIRST_ONE_ON_ONE,
            "Interpreters, ethnic studies, family liaisons.",
        ),
        (
            "Rio Linda Students for Change",
            Organisation.Kind.STUDENT,
            Organisation.Stage.LISTENING,
            "Counselors, mental health days, ethnic studies.",
        ),
        (
            "North Highlands Neighbourhood Council",
            Organisation.Kind.NEIGHBOURHOOD,
            Organisation.Stage.IDENTIFIED,
            "Safe parks and streets around schools.",
        ),
        (
            "Sacramento Central Labor Council",
            Organisation.Kind.LABOUR,
            Organisation.Stage.COALITION,
            "Good jobs, solidarity at actions.",
        ),
    ]
    organisations = []
    for name, kind, stage, cares in rows:
        organisation, _ = Organisation.objects.update_or_create(
            local=local, name=name, defaults={"kind": kind, "stage": stage, "cares_about": cares}
        )
        organisations.append(organisation)
    return organisations


def demo_user(email: str, first: str, last: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = build_user(email, make_password(DEMO_PASSWORD), first_name=first, last_name=last)
        user.save()
    if not EmailAddress.objects.filter(user=user, email=email).exists():
        verified_address(user).save()
    return user


def seed_people(local: Local, buildings: list[Building], organisations: list[Organisation]):
    leader = demo_user(DEMO_LOGINS["leader"], "Alicia", "Reyes")
    steward = demo_user(DEMO_LOGINS["steward"], "Marcus", "Thao")
    partner = demo_user(DEMO_LOGINS["partner"], "Denise", "Walker")
    Membership.objects.get_or_create(user=leader, local=local, defaults={"role": Role.LEADER})
    stewardship, _ = Membership.objects.get_or_create(
        user=steward, local=local, defaults={"role": Role.STEWARD}
    )
    stewardship.buildings.set(buildings[:2])
    Membership.objects.get_or_create(
        user=partner,
        local=local,
        defaults={"role": Role.PARTNER, "organisation": organisations[0]},
    )
    return leader, steward, partner


def seed() -> dict:
    today = demo_today()
    local = seed_local()
    buildings = seed_buildings(local)
    seed_members(local, buildings)
    campaign = seed_campaign(local, today)
    organisations = seed_organisations(local)
    leader, steward, partner = seed_people(local, buildings, organisations)
    from seeds.demo.cat import seed_cat

    cat = seed_cat(local, campaign, buildings, leader, steward)
    return {
        "today": today,
        "local": local,
        "campaign": campaign,
        "buildings": buildings,
        "organisations": organisations,
        "leader": leader,
        "steward": steward,
        "partner": partner,
        **cat,
    }
