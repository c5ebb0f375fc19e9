"""The roster import: upload → column mapping → preview → an atomic, idempotent import."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import roster, roster_files
from campaigns.models import ImportBatch, Member
from tests import factories as f

from .factories import roster_csv

pytestmark = pytest.mark.django_db


def row(n, building="Building A Elementary", **extra):
    values = {
        "employee_id": f"T{n:04d}",
        "first_name": f"Given{n}",
        "last_name": f"Family{n}",
        "work_email": f"t{n}@district.example",
        "building": building,
        "job": "Classroom teacher",
        "phone": f"555-{n:04d}",
    }
    values.update(extra)
    return values


def upload(client, content: bytes, name="roster.csv"):
    return client.post(
        reverse("campaigns:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def run_import(cast, content: bytes, mark_missing=True, confirm=True, decisions=None):
    """Walk through the three steps as the leader would, accepting the guessed mapping (and,
    with ``confirm``, typing the number of members marked as left when asked to)."""
    client = cast.client_for("leader")
    response = upload(client, content)
    assert response.status_code == 302, response.content
    batch = ImportBatch.objects.latest("pk")
    mapping_page = client.get(response["Location"])
    form = mapping_page.context["form"]
    data = {name: form.initial.get(name, "") for name, _label in roster.FIELDS}
    if mark_missing:
        data["mark_missing_as_left"] = "on"
    response = client.post(reverse("campaigns:import_mapping", args=[batch.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(response["Location"])
    data = dict(decisions or {})
    if confirm and preview.context["preview"].needs_confirmation:
        data["confirm"] = len(preview.context["preview"].leaving)
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]), data)
    return batch, preview, response


def test_the_file_is_stashed_server_side_and_the_mapping_is_guessed(cast, media):
    client = cast.client_for("leader")
    response = upload(client, roster_csv([row(1)]))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("campaigns:import_mapping", args=[batch.pk])
    assert "Given1" not in response["Location"]
    assert batch.file and batch.local == cast.local
    page = client.get(response["Location"])
    assert page.context["form"].initial["building"] == "Site"
    assert page.context["form"].initial["work_email"] == "Email"
    assert page.context["form"].initial["phone"] == "Cell"


def test_import_adds_members_and_deletes_the_stashed_file(
    cast, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch, preview, response = run_import(cast, roster_csv([row(1), row(2)]))
    assert preview.context["preview"].is_valid
    assert response.status_code == 302
    assert Member.objects.filter(local=cast.local).count() == 2
    member = Member.objects.get(employee_id="T0001")
    assert member.building == cast.building_a and member.phone == "555-0001"
    batch.refresh_from_db()
    assert batch.added == 2 and batch.imported_at is not None
    assert not batch.file
    assert not list((media.parent / "private" / "rosters").rglob("*"))


def test_reimport_updates_adds_flags_leavers_and_never_duplicates(cast, media):
    run_import(cast, roster_csv([row(1), row(2), row(3)]))
    kept = Member.objects.get(employee_id="T0001")
    kept.support_level = 2  # organising data the roster does not carry must survive
    kept.save()
    next_month = [
        row(1, building="Building B High"),  # moved school
        row(3),
        row(4),
        # No employee id this time: matched on the work email instead.
        row(5, employee_id="", work_email="t2@district.example"),
    ]
    batch, preview, _ = run_import(cast, roster_csv(next_month))
    batch.refresh_from_db()
    assert (batch.added, batch.updated, batch.unchanged, batch.left) == (1, 2, 1, 0)
    assert Member.objects.filter(local=cast.local).count() == 4
    kept.refresh_from_db()
    assert kept.building == cast.building_b and kept.support_level == 2
    run_import(cast, roster_csv([row(1), row(3)]))
    left = set(Member.objects.filter(left_at__isnull=False).values_list("employee_id", flat=True))
    assert left == {"T0002", "T0004"}
    # Back on the roster: no longer marked as having left.
    run_import(cast, roster_csv([row(1), row(3), row(4)]))
    assert not Member.objects.filter(employee_id="T0004", left_at__isnull=False).exists()
    assert Member.objects.filter(local=cast.local).count() == 4


def test_members_of_another_local_are_never_touched(cast, media):
    other = f.make_building(cast.other_local, "Building A Elementary")
    stranger = f.make_member(other, employee_id="T0001")
    run_import(cast, roster_csv([row(1)]))
    stranger.refresh_from_db()
    assert stranger.local == cast.other_local and stranger.left_at is None
    assert Member.objects.filter(employee_id="T0001").count() == 2


def test_preview_lists_each_bad_row_and_nothing_is_saved(cast, media):
    f.make_member(cast.building_a, employee_id="T0009")
    rows = [
        row(1),
        row(2, work_email="not-an-email"),
        row(3, building="Atlantis Middle"),
        row(4, employee_id="T0001", work_email="t4@district.example"),
        row(5, first_name=""),
    ]
    batch, preview, response = run_import(cast, roster_csv(rows))
    errors = {e.line: " ".join(e.messages) for e in preview.context["preview"].errors}
    assert "not an email address" in errors[3]
    assert "Unknown building “Atlantis Middle”" in errors[4]
    assert "also on line 2" in errors[5]
    assert "First name is missing" in errors[6]
    assert 2 not in errors
    assert b'<button type="submit">Import the roster' not in preview.content
    assert response.status_code == 302
    assert Member.objects.filter(local=cast.local).count() == 1  # only the one made above
    assert Member.objects.get(employee_id="T0009").left_at is None
    batch.refresh_from_db()
    assert batch.imported_at is None


def test_apply_is_all_or_nothing(cast, monkeypatch):
    dataset = roster.read_roster(roster_csv([row(1), row(2)]))
    preview = roster.build_preview(cast.local, dataset, roster.guess_mapping(dataset.headers))

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Member.objects, "bulk_update", boom)
    preview.to_update.append((f.make_member(cast.building_a).pk, {"phone": "1"}))
    with pytest.raises(RuntimeError):
        roster.apply_preview(cast.local, preview)
    assert not Member.objects.filter(employee_id__in=["T0001", "T0002"]).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "is empty"),
        (b"\n\n", "blank.csv", "The file is empty"),
        (b"Employee ID,First Name\n", "header.csv", "no members"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "picture.csv", "not text"),
        (b"a,A\n1,2\n", "twice.csv", "Columns A and B (line 1) are both headed"),
        (b"a,b\n1,2\n", "roster.pdf", "Upload a .csv or .xlsx file"),
    ],
)
def test_malformed_files_get_a_clear_message_and_nothing_is_stashed(
    cast, media, content, name, message
):
    response = upload(cast.client_for("leader"), content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_huge_file_is_refused(cast, media, monkeypatch):
    monkeypatch.setattr(roster_files, "MAX_BYTES", 100)
    monkeypatch.setattr("campaigns.forms.roster.MAX_BYTES", 100)
    response = upload(cast.client_for("leader"), roster_csv([row(n) for n in range(10)]))
    assert "larger than" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_mapping_needs_names_and_a_key(cast, media):
    client = cast.client_for("leader")
    upload(client, roster_csv([row(1)]))
    batch = ImportBatch.objects.get()
    response = client.post(
        reverse("campaigns:import_mapping", args=[batch.pk]),
        {"first_name": "First Name", "last_name": "First Name"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "employee id or the work email" in text
    assert "Each column can hold only one field" in text
    batch.refresh_from_db()
    assert batch.mapping == {}


def test_export_writes_the_columns_the_import_reads(cast, media):
    f.make_member(cast.building_a, first_name="Ana", last_name="Lopez", employee_id="X1")
    response = cast.client_for("leader").get(reverse("campaigns:member_export"))
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    dataset = roster.read_roster(content)
    mapping = roster.guess_mapping(dataset.headers)
    assert {"employee_id", "first_name", "last_name", "work_email", "building"} <= set(mapping)
    assert re.search(r"X1,Ana,Lopez", content.decode())


def test_large_roster_is_previewed_with_a_constant_number_of_queries(
    cast, django_assert_num_queries
):
    for size in (3, 60):
        dataset = roster.read_roster(roster_csv([row(n) for n in range(size)]))
        with django_assert_num_queries(2):
            roster.build_preview(cast.local, dataset, roster.guess_mapping(dataset.headers))


def test_a_second_click_does_not_import_twice(cast, media):
    batch, _preview, _response = run_import(cast, roster_csv([row(1)]))
    response = cast.client_for("leader").post(reverse("campaigns:import_run", args=[batch.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:import_detail", args=[batch.pk])
    assert Member.objects.filter(employee_id="T0001").count() == 1


def test_export_defuses_spreadsheet_formulas(cast):
    f.make_member(cast.building_a, first_name="=HYPERLINK(1)", last_name="Lopez")
    response = cast.client_for("leader").get(reverse("campaigns:member_export"))
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode()


def test_abandoned_uploads_are_purged_with_their_file(cast, media):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from campaigns.tasks import purge_abandoned_imports

    old = ImportBatch(local=cast.local, original_name="old.csv")
    old.file.save("old.csv", ContentFile(b"a,b\n1,2\n"))
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = ImportBatch(local=cast.local, original_name="new.csv")
    fresh.file.save("new.csv", ContentFile(b"a,b\n1,2\n"))
    path = old.file.path
    assert purge_abandoned_imports() == 1
    assert list(ImportBatch.objects.all()) == [fresh]
    import os

    assert not os.path.exists(path)
