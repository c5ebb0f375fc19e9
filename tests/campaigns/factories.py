"""Test data for Campaign HQ: plain typed functions on top of tests/factories.py."""

from __future__ import annotations

from datetime import date

from campaigns.models import Campaign, Member, StructureTest

from .. import factories as f


def make_members(building, count: int, **extra) -> list[Member]:
    return [f.make_member(building, **extra) for _ in range(count)]


def make_test(campaign: Campaign, name: str = "Signed the petition", **extra) -> StructureTest:
    return StructureTest.objects.create(
        campaign=campaign, name=name, held_on=extra.pop("held_on", date(2026, 10, 1)), **extra
    )


def roster_csv(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or [
        "Employee ID",
        "First Name",
        "Last Name",
        "Email",
        "Site",
        "Job Title",
        "Cell",
    ]
    keys = ["employee_id", "first_name", "last_name", "work_email", "building", "job", "phone"]
    lines = [",".join(headers)]
    for row in rows:
        lines.append(",".join(str(row.get(k, "")) for k in keys[: len(headers)]))
    return ("\n".join(lines) + "\n").encode()
