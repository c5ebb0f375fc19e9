"""Plain, typed factory functions for test data."""

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


def make_local(name: str | None = None, timezone: str = "America/Los_Angeles") -> Local:
    """A local in California unless told otherwise: tests never run a local in UTC."""
    n = _n()
    return Local.objects.create(
        name=name or f"Local {n}", slug=f"local-{n}", employer=f"District {n}", timezone=timezone
    )


def make_building(local: Local, name: str | None = None, **extra) -> Building:
    return Building.objects.create(local=local, name=name or f"School {_n()}", **extra)


def make_member(building: Building, **extra) -> Member:
    n = _n()
    values = {
        "first_name": f"First{n}",
        "last_name": f"Last{n}",
        "employee_id": f"E{n:06d}",
        "work_email": f"member{n}@district.example",
    }
    values.update(extra)
    return Member.objects.create(local=building.local, building=building, **values)


def make_campaign(local: Local, **extra) -> Campaign:
    n = _n()
    values = {
        "name": f"Campaign {n}",
        "slug": f"campaign-{n}",
        "bargaining_target_date": "2027-07-01",
    }
    values.update(extra)
    return Campaign.objects.create(local=local, **values)


def make_organisation(local: Local, name: str | None = None, **extra) -> Organisation:
    return Organisation.objects.create(local=local, name=name or f"Partner {_n()}", **extra)


def make_user(email: str | None = None, **extra) -> User:
    email = email or f"person{_n()}@example.org"
    user = User.objects.create_user(email, PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_leader(local: Local, **extra) -> User:
    user = make_user(**extra)
    Membership.objects.create(user=user, local=local, role=Role.LEADER)
    return user


def make_steward(local: Local, *buildings: Building, **extra) -> User:
    user = make_user(**extra)
    membership = Membership.objects.create(user=user, local=local, role=Role.STEWARD)
    membership.buildings.set(buildings)
    return user


def make_partner(local: Local, organisation: Organisation, **extra) -> User:
    user = make_user(**extra)
    Membership.objects.create(user=user, local=local, role=Role.PARTNER, organisation=organisation)
    return user
