"""Campaign HQ benchmarks: the steward's phone page, the leader's dashboard, the member list
and a full-name search at 36,000 members, one building's export, and importing a 36,000-row
roster through the same functions the import view calls, then undoing it; and a steward's
phone sending a queue of 50 changes in one sync."""

from __future__ import annotations

import csv
import io
import time


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    return {
        "steward_buildings": ("/campaigns/my-buildings/", "steward0@scale.example"),
        "leader_dashboard": ("/campaigns/scale-campaign/dashboard/", "leader@scale.example"),
        # The first page of the member list of a 36,000-member local, in name order.
        "member_list": ("/campaigns/members/", "leader@scale.example"),
        # A full-name search in the same local, through the folded-name trigram index.
        "member_search": ("/campaigns/members/?q=First1234+Last1234", "leader@scale.example"),
    }


def scale_roster() -> bytes:
    """Next month's roster for the large local, as a district would export it: everyone on
    it, one in a hundred with a new phone number, 360 new hires, 180 who left."""
    from campaigns.models import Local, Member

    local = Local.objects.get(slug="scale")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Employee ID", "First Name", "Last Name", "Email", "Site", "Cell"])
    members = (
        Member.objects.filter(local=local, employee_id__startswith="S")
        .values_list("employee_id", "first_name", "last_name", "work_email", "building__name")
        .order_by("employee_id")
    )
    for employee_id, first, last, email, building in members:
        number = int(employee_id[1:])
        if number % 200 == 199:
            continue  # left the district
        phone = f"(213) 555-{number % 10_000:04d}" if number % 100 == 0 else ""
        writer.writerow([employee_id, first, last, email, building, phone])
    for n in range(360):
        writer.writerow(
            [f"N{n:05d}", f"New{n}", "Hire", f"new{n}@district.example", f"School {n:04d}", ""]
        )
    return out.getvalue().encode()


def export_filtered(ctx) -> dict[str, float]:
    """Downloading one building's members as CSV from the filtered list, as a leader clicks
    it: the median of five downloads, each checked to hold exactly that building's members."""
    from campaigns.models import Building, Member

    building = Building.objects.get(local__slug="scale", name="School 0012")
    expected = set(
        Member.objects.filter(building=building, left_at__isnull=True).values_list(
            "employee_id", flat=True
        )
    )
    client = ctx.client("leader@scale.example")
    path = f"/campaigns/members/export/?building={building.pk}"
    timings = []
    for _ in range(6):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == expected, "the export is not exactly the building"
    list_page = client.get("/campaigns/members/")
    return {
        "member_export_filtered": round(sorted(timings[1:])[2], 1),
        "member_list_html_kb": round(len(list_page.content) / 1024, 1),
    }


def sync_batch(ctx) -> dict[str, float]:
    """A steward's phone back in signal sending 50 queued changes in one sync (40 1-on-1s
    with a support level, 10 structure test ticks) through the view, as the phone posts
    them: the median of ten syncs after a warm-up, each checked to have saved all 50."""
    import json
    import uuid

    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from campaigns.models import Local, Member, StructureTest
    from campaigns.zones import zone_of

    steward = User.objects.get(email="steward0@scale.example")
    client = Client(HTTP_HOST="localhost")
    client.force_login(steward)
    members = list(
        Member.objects.filter(building__stewardships__user=steward, left_at__isnull=True)
        .values_list("pk", "building_id")
        .order_by("pk")[:40]
    )
    test = StructureTest.objects.filter(campaign__local__slug="scale").first()
    zone = zone_of(Local.objects.get(slug="scale"))
    timings = []
    for _ in range(11):
        now = timezone.now()
        changes = []
        for n in range(50):
            member, building = members[n % len(members)]
            change = {
                "key": str(uuid.uuid4()),
                "building": building,
                "member": member,
                "recorded_at": now.isoformat(),
            }
            if n < 40 or test is None:
                change["kind"] = "conversation"
                change["data"] = {
                    # The local's own day: in Los Angeles at night UTC is already tomorrow.
                    "held_on": timezone.localdate(now, zone).isoformat(),
                    "outcome": "committed",
                    "support_level": str(1 + n % 5),
                }
            else:
                change.update(kind="participation", test=test.pk, took_part=n % 2 == 0)
            changes.append(change)
        started = time.perf_counter()
        response = client.post("/campaigns/field/sync/", {"changes": json.dumps(changes)})
        timings.append((time.perf_counter() - started) * 1000)
        results = response.json()["results"]
        assert [r["status"] for r in results] == ["saved"] * 50, results[:3]
    return {"sync_batch_ms": round(sorted(timings[1:])[5], 1)}


def measure(ctx) -> dict[str, float]:
    """The import as the view runs it (parse once at upload, store the rows privately, then
    preview and apply under the local's lock, recording each change), and its undo."""
    from campaigns.models import ImportBatch, Local
    from campaigns.roster import guess_mapping, parse_roster, store_sheets

    local = Local.objects.get(slug="scale")
    content = scale_roster()
    started = time.perf_counter()
    sheets = parse_roster(content, "roster.csv")
    batch = ImportBatch(
        local=local,
        original_name="bench-roster.csv",
        mapping=guess_mapping(sheets[0].headers),
        mark_missing_as_left=True,
    )
    store_sheets(batch, sheets)
    counts = batch.run(by=None)
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    summary = batch.undo(by=None)
    undo_s = time.perf_counter() - started
    assert counts["added"] == 360 and summary["removed"] == 360, (counts, summary)
    return {
        **export_filtered(ctx),
        **sync_batch(ctx),
        "import_s": round(import_s, 2),
        "import_undo_s": round(undo_s, 2),
    }
