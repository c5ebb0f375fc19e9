"""The large local for benchmarks: the size of UTLA (36,000 members in 1,000 buildings)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Membership, Role, User
from campaigns.models import (
    Building,
    Campaign,
    Conversation,
    Local,
    Member,
    StructureTest,
    StructureTestParticipation,
    WeeklySnapshot,
)

SLUG = "scale"
BUILDINGS = 1_000
MEMBERS = 36_000
STEWARDS = 2_000
PASSWORD = "commongood"
LEADER_EMAIL = "leader@scale.example"


def steward_email(number: int) -> str:
    return f"steward{number}@scale.example"


def seed() -> dict:
    Local.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__endswith="@scale.example").delete()
    local = Local.objects.create(name="Large Local", slug=SLUG, employer="Large District")
    campaign = Campaign.objects.create(
        local=local,
        name="Large Campaign",
        slug="scale-campaign",
        bargaining_target_date=date.today() + timedelta(days=200),
        summary="A campaign the size of the largest locals, for benchmarks.",
    )
    Building.objects.bulk_create(
        Building(local=local, name=f"School {n:04d}", kind=Building.Kind.ELEMENTARY)
        for n in range(BUILDINGS)
    )
    buildings = list(Building.objects.filter(local=local).order_by("pk"))
    rng = random.Random(36_000)  # noqa: S311  (benchmark data)
    now = timezone.now()
    levels = [1, 2, 3, 4, 5, None]
    Member.objects.bulk_create(
        (
            Member(
                local=local,
                building=buildings[n % BUILDINGS],
                first_name=f"First{n}",
                last_name=f"Last{n}",
                employee_id=f"S{n:06d}",
                work_email=f"m{n}@district.example",
                support_level=rng.choice(levels),
                last_contacted_at=now - timedelta(days=rng.randint(0, 90)) if n % 3 else None,
            )
            for n in range(MEMBERS)
        ),
        batch_size=2_000,
    )
    password = make_password(PASSWORD)
    leader = User.objects.create(email=LEADER_EMAIL, password=password, first_name="Lead")
    User.objects.bulk_create(
        User(email=steward_email(n), password=password, first_name=f"Steward{n}")
        for n in range(STEWARDS)
    )
    users = {u.email: u for u in User.objects.filter(email__endswith="@scale.example")}
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users.values()
    )
    Membership.objects.create(user=leader, local=local, role=Role.LEADER)
    Membership.objects.bulk_create(
        Membership(user=users[steward_email(n)], local=local, role=Role.STEWARD)
        for n in range(STEWARDS)
    )
    memberships = list(Membership.objects.filter(local=local, role=Role.STEWARD).order_by("pk"))
    through = Membership.buildings.through
    # Two stewards per building: about one steward for every eighteen members.
    through.objects.bulk_create(
        through(membership_id=m.pk, building_id=buildings[i % BUILDINGS].pk)
        for i, m in enumerate(memberships)
    )
    seed_organizing(campaign, leader, rng)
    return {
        "local": local,
        "campaign": campaign,
        "buildings": buildings,
        "leader": leader,
        "stewards": memberships,
    }


def seed_organizing(campaign: Campaign, leader: User, rng: random.Random) -> None:
    """The timeline, two structure tests, a 1-on-1 for a third of members and 26 weeks of
    history, so the steward page and the dashboard carry a realistic load."""
    campaign.create_timeline_from_template()
    today = timezone.localdate()
    petition = StructureTest.objects.create(
        campaign=campaign, name="Signed the petition", held_on=today - timedelta(days=30)
    )
    red = StructureTest.objects.create(
        campaign=campaign, name="Wore red on Thursday", held_on=today - timedelta(days=5)
    )
    member_buildings = dict(
        Member.objects.filter(local=campaign.local).order_by("pk").values_list("pk", "building_id")
    )
    member_ids = list(member_buildings)
    StructureTestParticipation.objects.bulk_create(
        (
            StructureTestParticipation(test=test, member_id=pk, recorded_by=leader)
            for test, share in ((petition, 0.6), (red, 0.35))
            for pk in member_ids
            if rng.random() < share
        ),
        batch_size=5_000,
    )
    Conversation.objects.bulk_create(
        (
            Conversation(
                member_id=pk,
                building_id=member_buildings[pk],
                steward=leader,
                held_on=today - timedelta(days=rng.randint(0, 60)),
                outcome=Conversation.Outcome.COMMITTED,
                support_level=2,
            )
            for pk in member_ids[::3]
        ),
        batch_size=5_000,
    )
    this_week = today - timedelta(days=today.weekday())
    WeeklySnapshot.objects.bulk_create(
        WeeklySnapshot(
            campaign=campaign,
            week=this_week - timedelta(weeks=26 - n),
            members=MEMBERS,
            buildings=BUILDINGS,
            supporters=4_000 + n * 300,
            assessed=12_000 + n * 500,
            active_buildings=300 + n * 20,
        )
        for n in range(26)
    )
