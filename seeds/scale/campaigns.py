"""A local of the scale seed: the large one is the size of UTLA (36,000 members in 1,000
buildings), the others are shaped like it."""

from __future__ import annotations

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Q
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
from seeds.factories import (
    build_building,
    build_campaign,
    build_local,
    build_member,
    build_user,
    verified_address,
)
from seeds.scale import LARGE, Size

PASSWORD = "commongood"
BATCH = 5_000


def clear() -> None:
    """Remove an earlier scale seed, of one local or of a whole state."""
    Local.objects.filter(Q(slug="scale") | Q(slug__startswith="scale-")).delete()
    User.objects.filter(email__endswith="scale.example").delete()


def seed(size: Size = LARGE, password_hash: str | None = None) -> dict:
    """One local of the scale seed: buildings, members, a leader, two stewards to a building
    and the organizing history. The caller clears an earlier seed first."""
    number = size.number
    if number == 0:
        name, employer, campaign_name = "Large Local", "Large District", "Large Campaign"
    else:
        name, employer = f"State Local {number:02d}", f"District {number:02d}"
        campaign_name = f"Campaign of local {number:02d}"
    local = build_local(number, name=name, slug=size.slug, employer=employer)
    local.save()
    campaign = build_campaign(
        local,
        number,
        name=campaign_name,
        slug=size.campaign_slug,
        bargaining_target_date=local.today() + timedelta(days=200),
        summary="A campaign the size of the largest locals, for benchmarks.",
    )
    campaign.save()
    Building.objects.bulk_create(
        build_building(local, n, name=f"School {n:04d}", kind=Building.Kind.ELEMENTARY)
        for n in range(size.buildings)
    )
    buildings = list(Building.objects.filter(local=local).order_by("pk"))
    rng = random.Random(36_000 + number)  # noqa: S311  (benchmark data)
    now = timezone.now()
    levels = [1, 2, 3, 4, 5, None]
    Member.objects.bulk_create(
        (
            build_member(
                buildings[n % size.buildings],
                n,
                prefix="S",
                support_level=rng.choice(levels),
                last_contacted_at=now - timedelta(days=rng.randint(0, 90)) if n % 3 else None,
            )
            for n in range(size.members)
        ),
        batch_size=BATCH,
    )
    password = password_hash or make_password(PASSWORD)
    leader = build_user(size.leader_email, password, first_name="Lead")
    leader.save()
    User.objects.bulk_create(
        (
            build_user(size.steward_email(n), password, first_name=f"Steward{n}")
            for n in range(size.stewards)
        ),
        batch_size=BATCH,
    )
    users = {u.email: u for u in User.objects.filter(email__endswith=f"@{size.domain}")}
    EmailAddress.objects.bulk_create(
        (verified_address(u) for u in users.values()), batch_size=BATCH
    )
    Membership.objects.create(user=leader, local=local, role=Role.LEADER)
    Membership.objects.bulk_create(
        (
            Membership(user=users[size.steward_email(n)], local=local, role=Role.STEWARD)
            for n in range(size.stewards)
        ),
        batch_size=BATCH,
    )
    memberships = list(Membership.objects.filter(local=local, role=Role.STEWARD).order_by("pk"))
    through = Membership.buildings.through
    # Two stewards per building: about one steward for every eighteen members.
    through.objects.bulk_create(
        (
            through(membership_id=m.pk, building_id=buildings[i % size.buildings].pk)
            for i, m in enumerate(memberships)
        ),
        batch_size=BATCH,
    )
    seed_organizing(campaign, leader, rng, size)
    return {
        "size": size,
        "local": local,
        "campaign": campaign,
        "buildings": buildings,
        "leader": leader,
        "stewards": memberships,
    }


def seed_organizing(campaign: Campaign, leader: User, rng: random.Random, size: Size) -> None:
    """The timeline, two structure tests, a 1-on-1 for a third of members and 26 weeks of
    history, so the steward page and the dashboard carry a realistic load."""
    campaign.create_timeline_from_template()
    today = campaign.local.today()
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
        batch_size=BATCH,
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
        batch_size=BATCH,
    )
    this_week = today - timedelta(days=today.weekday())
    # The large local's history, in proportion for a smaller one.
    share = size.members / LARGE.members
    WeeklySnapshot.objects.bulk_create(
        WeeklySnapshot(
            campaign=campaign,
            week=this_week - timedelta(weeks=26 - n),
            members=size.members,
            buildings=size.buildings,
            supporters=round((4_000 + n * 300) * share),
            assessed=round((12_000 + n * 500) * share),
            active_buildings=min(size.buildings, round((300 + n * 20) * share)),
        )
        for n in range(26)
    )
