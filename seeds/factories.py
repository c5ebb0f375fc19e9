"""Plain, typed factory functions: the tests' data and the seeds' defaults.

Each ``make_*`` saves one row; the ``build_*`` functions beside them return the same row
unsaved, so the scale seed can ``bulk_create`` thousands with the very defaults the tests use.
"""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress

from accounts.models import Membership, Role, User
from campaigns.models import Building, Campaign, Local, Member
from partners.models import Organisation

PASSWORD = "a-long-test-password"
_numbers = itertools.count(1)


def _n() -> int:
    return next(_numbers)


def build_local(n: int, **extra) -> Local:
    """A local in California unless told otherwise: tests never run a local in UTC."""
    values = {
        "name": f"Local {n}",
        "slug": f"local-{n}",
        "employer": f"District {n}",
        "timezone": "America/Los_Angeles",
    }
    values.update(extra)
    return Local(**values)


def make_local(name: str | None = None, timezone: str = "America/Los_Angeles") -> Local:
    local = build_local(_n(), timezone=timezone)
    if name:
        local.name = name
    local.save()
    return local


def build_building(local: Local, n: int, **extra) -> Building:
    return Building(local=local, **{"name": f"School {n}", **extra})


def make_building(local: Local, name: str | None = None, **extra) -> Building:
    building = build_building(local, _n(), **extra)
    if name:
        building.name = name
    building.save()
    Local.organizing_changed(building.local_id)
    return building


def build_member(building: Building, n: int, prefix: str = "E", **extra) -> Member:
    """Member ``n`` of the building's local; ``prefix`` starts the employee id."""
    values = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "employee_id": f"{prefix}{n:06d}",
        "work_email": f"member{n}@district.example",
    }
    values.update(extra)
    if "local" not in values:
        # The id, not ``building.local``: a seed that builds thousands of members from a list
        # of buildings must not load each building's local again.
        values["local_id"] = building.local_id
    return Member(building=building, **values)


def make_member(building: Building, **extra) -> Member:
    member = build_member(building, _n(), **extra)
    member.save()
    Local.organizing_changed(member.local_id)
    return member


def build_campaign(local: Local, n: int, **extra) -> Campaign:
    values = {
        "name": f"Campaign {n}",
        "slug": f"campaign-{n}",
        "bargaining_target_date": "2027-07-01",
    }
    values.update(extra)
    return Campaign(local=local, **values)


def make_campaign(local: Local, **extra) -> Campaign:
    campaign = build_campaign(local, _n(), **extra)
    campaign.save()
    return campaign


def build_organisation(local: Local, n: int, **extra) -> Organisation:
    return Organisation(local=local, **{"name": f"Partner {n}", **extra})


def make_organisation(local: Local, name: str | None = None, **extra) -> Organisation:
    organisation = build_organisation(local, _n(), **extra)
    if name:
        organisation.name = name
    organisation.save()
    return organisation


def build_user(email: str, password_hash: str, **extra) -> User:
    """An unsaved user whose password is already hashed: hashing once for thousands of
    users is what makes a bulk insert of them quick."""
    return User(email=email, password=password_hash, **extra)


def verified_address(user: User) -> EmailAddress:
    """The unsaved primary, verified address allauth needs before the user can sign in."""
    return EmailAddress(user=user, email=user.email, verified=True, primary=True)


def make_user(email: str | None = None, **extra) -> User:
    email = email or f"person{_n()}@example.org"
    user = User.objects.create_user(email, PASSWORD, **extra)
    verified_address(user).save()
    return user


def make_leader(local: Local, **extra) -> User:
    user = make_user(**extra)
    Membership.objects.create(user=user, local=local, role=Role.LEADER)
    return user


def make_steward(local: Local, *buildings: Building, **extra) -> User:
    user = make_user(**extra)
    membership = Membership.objects.create(user=user, local=local, role=Role.STEWARD)
    membership.buildings.set(buildings)
    Local.organizing_changed(local.pk)
    return user


def make_partner(local: Local, organisation: Organisation, **extra) -> User:
    user = make_user(**extra)
    Membership.objects.create(user=user, local=local, role=Role.PARTNER, organisation=organisation)
    return user
