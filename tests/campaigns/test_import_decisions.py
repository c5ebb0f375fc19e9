"""The roster import's preview decisions (marking as left, unknown sites, skipped rows), its
undo, and the guarantees that two imports never duplicate a member."""

from __future__ import annotations

import csv
import io
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import roster
from campaigns.models import Building, Conversation, ImportBatch, ImportChange, Member
from tests import factories as f

from .factories import roster_csv
from .test_import import row

pytestmark = pytest.mark.django_db


def upload_and_map(client, content: bytes, mark_missing=False, name="roster.csv") -> ImportBatch:
    response = client.post(
        reverse("campaigns:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 302, response.content
    batch = ImportBatch.objects.latest("pk")
    page = client.get(reverse("campaigns:import_mapping", args=[batch.pk]))
    form = page.context["form"]
    data = {name: form.initial.get(name, "") for name, _label in roster.FIELDS}
    if mark_missing is None:
        mark_missing = form["mark_missing_as_left"].value()  # as the form proposes
    if mark_missing:
        data["mark_missing_as_left"] = "on"
    response = client.post(reverse("campaigns:import_mapping", args=[batch.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return batch


def members_of(cast):
    return Member.objects.filter(local=cast.local)


# Marking members as left --------------------------------------------------------------------


def test_mark_missing_as_left_is_never_preselected(cast, media):
    client = cast.client_for("leader")
    response = client.post(
        reverse("campaigns:import_upload"),
        {"file": SimpleUploadedFile("roster.csv", roster_csv([row(1)]))},
    )
    page = client.get(response["Location"])
    assert page.context["form"]["mark_missing_as_left"].value() is False
    assert 'name="mark_missing_as_left" checked' not in page.content.decode()


def test_nine_rows_against_a_big_local_mark_nobody_as_left_by_default(cast, media):
    for n in range(20):
        f.make_member(cast.building_a)
    client = cast.client_for("leader")
    batch = upload_and_map(client, roster_csv([row(n) for n in range(9)]), mark_missing=None)
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert response.status_code == 302
    assert not members_of(cast).filter(left_at__isnull=False).exists()
    assert members_of(cast).count() == 29


def test_marking_more_than_a_tenth_as_left_needs_the_number_typed(cast, media):
    people = [f.make_member(cast.building_a, employee_id=f"T{n:04d}") for n in range(10)]
    client = cast.client_for("leader")
    batch = upload_and_map(client, roster_csv([row(n) for n in range(8)]), mark_missing=True)
    preview = client.get(reverse("campaigns:import_preview", args=[batch.pk]))
    text = preview.content.decode()
    assert "would mark 2 of the local" in text and "(20%)" in text
    # Listed by name, with the count.
    assert people[8].name in text and people[9].name in text
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]), {"confirm": "3"})
    assert response["Location"] == reverse("campaigns:import_preview", args=[batch.pk])
    assert not members_of(cast).filter(left_at__isnull=False).exists()
    page = client.get(response["Location"])
    assert "Type 2 to confirm" in page.content.decode()
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]), {"confirm": "2"})
    assert response["Location"] == reverse("campaigns:import_detail", args=[batch.pk])
    left = set(members_of(cast).filter(left_at__isnull=False).values_list("pk", flat=True))
    assert left == {people[8].pk, people[9].pk}


def test_a_small_departure_needs_no_typing(cast, media):
    for n in range(20):
        f.make_member(cast.building_a, employee_id=f"T{n:04d}")
    client = cast.client_for("leader")
    batch = upload_and_map(client, roster_csv([row(n) for n in range(19)]), mark_missing=True)
    client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert members_of(cast).filter(left_at__isnull=False).count() == 1


def test_preview_lists_added_updated_and_leaving_by_name_and_downloads_them_all(cast, media):
    f.make_member(cast.building_a, employee_id="T0001", first_name="Ana", last_name="Old")
    f.make_member(cast.building_a, employee_id="T0099", first_name="Leo", last_name="Gone")
    rows = [row(1, first_name="Ana", last_name="Lopez")]
    rows += [row(n, first_name=f"Nueva{n}", last_name="Núñez") for n in range(100, 160)]
    client = cast.client_for("leader")
    batch = upload_and_map(client, roster_csv(rows), mark_missing=True)
    text = client.get(reverse("campaigns:import_preview", args=[batch.pk])).content.decode()
    assert "60 new members" in text
    assert "Nueva100 Núñez" in text and "Nueva149 Núñez" in text
    assert "Nueva150 Núñez" not in text  # the first 50 on the page
    assert "Ana Old" in text and "Last name" in text  # who, and which fields
    assert "Leo Gone" in text
    download = client.get(reverse("campaigns:import_changes", args=[batch.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    kinds = [line[0] for line in lines[1:]]
    assert kinds.count("added") == 60 and kinds.count("updated") == 1
    assert ["marked as left", "T0099", "Leo Gone", ""] in lines
    assert ["updated", "T0001", "Ana Old", "Last name, Phone, Job class"] in lines or any(
        line[:3] == ["updated", "T0001", "Ana Old"] and "Last name" in line[3] for line in lines
    )


# Unknown sites, problem rows and line numbers ----------------------------------------------


def spreadsheet_csv() -> bytes:
    """As a spreadsheet shows it: line 1 the header, a blank line 3, an unknown site."""
    return (
        "Employee ID,First Name,Last Name,Email,Site\n"
        "T0001,Ana,López,t1@district.example,Building A Elementary\n"
        "\n"
        "T0002,Bo,Chen,not-an-email,Building A Elementary\n"
        "T0003,Cy,Diaz,t3@district.example,Lincoln Annex\n"
        "T0004,Di,Evans,t4@district.example,Lincoln Annex\n"
        "T0005,Ed,Fox,t5@district.example,Roosevelt Middle\n"
    ).encode()


def test_line_numbers_count_the_header_and_blank_lines(cast, media):
    client = cast.client_for("leader")
    batch = upload_and_map(client, spreadsheet_csv())
    preview = client.get(reverse("campaigns:import_preview", args=[batch.pk])).context["preview"]
    errors = {e.line: e.reason for e in preview.errors}
    assert "not an email address" in errors[4]
    assert "Unknown building “Lincoln Annex”" in errors[5]
    assert set(errors) == {4, 5, 6, 7}


def test_unknown_sites_are_mapped_created_or_skipped_and_rows_skipped_one_by_one(cast, media):
    client = cast.client_for("leader")
    batch = upload_and_map(client, spreadsheet_csv())
    preview_url = reverse("campaigns:import_preview", args=[batch.pk])
    page = client.get(preview_url)
    form = page.context["form"]
    sites = {site: name for name, site in form.sites}
    assert set(sites) == {"Lincoln Annex", "Roosevelt Middle"}
    # The first click only updates the preview; nothing is imported yet.
    response = client.post(
        preview_url,
        {
            sites["Lincoln Annex"]: f"building:{cast.building_b.pk}",
            sites["Roosevelt Middle"]: "create",
            "skip": ["4"],
        },
    )
    assert response["Location"] == preview_url
    assert not members_of(cast).exists()
    preview = client.get(preview_url).context["preview"]
    assert preview.is_valid and [row.line for row in preview.skipped] == [4]
    assert len(preview.to_add) == 4
    report = client.get(reverse("campaigns:import_skipped", args=[batch.pk]))
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[1][0] == "4" and "not an email address" in lines[1][2]
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]), {"skip": ["4"]})
    assert response["Location"] == reverse("campaigns:import_detail", args=[batch.pk])
    assert set(members_of(cast).values_list("employee_id", "building__name")) == {
        ("T0001", "Building A Elementary"),
        ("T0003", "Building B High"),
        ("T0004", "Building B High"),
        ("T0005", "Roosevelt Middle"),
    }
    # After the import the report still lists the skipped row.
    batch.refresh_from_db()
    assert batch.skipped[0]["line"] == 4
    report = client.get(reverse("campaigns:import_skipped", args=[batch.pk]))
    assert "Bo Chen" in report.content.decode("utf-8-sig")


def test_skipping_a_sites_rows_and_the_import_refuses_while_problems_remain(cast, media):
    client = cast.client_for("leader")
    batch = upload_and_map(client, spreadsheet_csv())
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert response["Location"] == reverse("campaigns:import_preview", args=[batch.pk])
    assert not members_of(cast).exists()
    page = client.get(response["Location"])
    assert "still have problems" in page.content.decode()
    sites = {site: name for name, site in page.context["form"].sites}
    client.post(
        reverse("campaigns:import_run", args=[batch.pk]),
        {sites["Lincoln Annex"]: "skip", sites["Roosevelt Middle"]: "skip", "skip_all": "on"},
    )
    assert list(members_of(cast).values_list("employee_id", flat=True)) == ["T0001"]
    assert not Building.objects.filter(name="Roosevelt Middle").exists()


def test_a_skipped_member_is_not_marked_as_left(cast, media):
    kept = f.make_member(cast.building_a, employee_id="T0002")
    client = cast.client_for("leader")
    batch = upload_and_map(client, spreadsheet_csv(), mark_missing=True)
    page = client.get(reverse("campaigns:import_preview", args=[batch.pk]))
    sites = {site: name for name, site in page.context["form"].sites}
    client.post(
        reverse("campaigns:import_run", args=[batch.pk]),
        {sites["Lincoln Annex"]: "skip", sites["Roosevelt Middle"]: "skip", "skip_all": "on"},
    )
    kept.refresh_from_db()
    assert kept.left_at is None


# Undo ---------------------------------------------------------------------------------------


def do_import(client, content: bytes, mark_missing=False, **post) -> ImportBatch:
    batch = upload_and_map(client, content, mark_missing=mark_missing)
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]), post)
    assert response["Location"] == reverse("campaigns:import_detail", args=[batch.pk])
    batch.refresh_from_db()
    return batch


def test_undo_puts_back_what_the_import_changed(cast, media):
    stays = f.make_member(cast.building_a, employee_id="T0001", phone="555-1111")
    leaves = f.make_member(cast.building_a, employee_id="T0050")
    client = cast.client_for("leader")
    rows = [row(1, phone="555-2222", building="Building B High"), row(2), row(3)]
    batch = do_import(client, roster_csv(rows), mark_missing=True, confirm="1")
    assert batch.changes.count() == 4
    assert batch.sheets[0]["sample"] == []  # members' data is not kept on the import row
    changed = batch.changes.get(kind=ImportChange.Kind.UPDATED)
    assert changed.before["phone"] == "555-1111"
    assert changed.before["building_id"] == cast.building_a.pk
    talked_to = Member.objects.get(employee_id="T0002")
    Conversation.objects.create(
        member=talked_to, building=cast.building_a, steward=cast.steward_a, held_on="2026-11-30"
    )
    history = client.get(reverse("campaigns:import_history"))
    assert reverse("campaigns:import_undo", args=[batch.pk]) in history.content.decode()
    confirm = client.get(reverse("campaigns:import_undo", args=[batch.pk]))
    assert confirm.status_code == 200 and b"Undo the import?" in confirm.content
    response = client.post(reverse("campaigns:import_undo", args=[batch.pk]), follow=True)
    text = response.content.decode()
    assert "refer to them: 1." in text
    assert talked_to.name in text
    stays.refresh_from_db()
    leaves.refresh_from_db()
    assert stays.phone == "555-1111" and stays.building == cast.building_a
    assert leaves.left_at is None
    assert not Member.objects.filter(employee_id="T0003").exists()
    assert Member.objects.filter(employee_id="T0002").exists()
    batch.refresh_from_db()
    assert batch.undone_at is not None and not batch.can_undo
    assert client.post(reverse("campaigns:import_undo", args=[batch.pk])).status_code == 302
    assert Member.objects.filter(employee_id="T0002").exists()


def test_undo_keeps_a_change_someone_made_since(cast, media):
    member = f.make_member(cast.building_a, employee_id="T0001", phone="555-1111")
    client = cast.client_for("leader")
    batch = do_import(client, roster_csv([row(1, phone="555-2222")]))
    Member.objects.filter(pk=member.pk).update(phone="555-3333")
    batch.undo(by=cast.leader)
    member.refresh_from_db()
    assert member.phone == "555-3333"
    assert batch.undo_summary["kept_fields"] == 1


def test_undo_removes_buildings_the_import_created(cast, media):
    client = cast.client_for("leader")
    batch = upload_and_map(client, roster_csv([row(1, building="Roosevelt Middle")]))
    page = client.get(reverse("campaigns:import_preview", args=[batch.pk]))
    (name, _site), *_ = page.context["form"].sites
    client.post(reverse("campaigns:import_run", args=[batch.pk]), {name: "create"})
    assert Building.objects.filter(name="Roosevelt Middle").exists()
    batch.refresh_from_db()
    batch.undo(by=cast.leader)
    assert not Building.objects.filter(name="Roosevelt Middle").exists()
    assert not members_of(cast).exists()


def test_an_import_can_be_undone_for_thirty_days_only(cast, media):
    client = cast.client_for("leader")
    batch = do_import(client, roster_csv([row(1)]))
    ImportBatch.objects.filter(pk=batch.pk).update(
        imported_at=timezone.now() - timedelta(days=30, minutes=1)
    )
    history = client.get(reverse("campaigns:import_history")).content.decode()
    assert "More than 30 days ago" in history
    response = client.post(reverse("campaigns:import_undo", args=[batch.pk]))
    assert response.status_code == 302
    assert Member.objects.filter(employee_id="T0001").exists()


def test_import_history_and_undo_are_for_the_locals_leaders_only(cast, media):
    batch = do_import(cast.client_for("leader"), roster_csv([row(1)]))
    for who in ("steward_a", "partner_x"):
        assert cast.client_for(who).get(reverse("campaigns:import_history")).status_code == 403
    other = cast.client_for("other_leader")
    assert other.get(reverse("campaigns:import_undo", args=[batch.pk])).status_code == 404
    assert other.post(reverse("campaigns:import_undo", args=[batch.pk])).status_code == 404
    assert (
        batch.original_name not in other.get(reverse("campaigns:import_history")).content.decode()
    )


# Never a duplicate --------------------------------------------------------------------------


def test_the_database_refuses_a_second_member_with_the_same_key(cast):
    f.make_member(cast.building_a, employee_id="E1", work_email="ana@district.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_member(cast.building_b, employee_id="E1", work_email="")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.make_member(cast.building_b, employee_id="", work_email="Ana@District.example")
    # Blank keys are not keys; another local may have the same ones.
    f.make_member(cast.building_a, employee_id="", work_email="")
    f.make_member(cast.building_a, employee_id="", work_email="")
    other = f.make_building(cast.other_local)
    f.make_member(other, employee_id="E1", work_email="ana@district.example")


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_never_duplicate_a_member(cast, settings, tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database cannot be shared by two threads.")
    settings.VAR_DIR = tmp_path
    content = roster_csv([row(n) for n in range(40)])
    batches = [upload_and_map(cast.client_for("leader"), content) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def run(batch):
        try:
            client = Client()
            client.force_login(cast.leader)
            barrier.wait()
            response = client.post(reverse("campaigns:import_run", args=[batch.pk]))
            results.append(response["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(
        reverse("campaigns:import_detail", args=[b.pk]) for b in batches
    )
    assert members_of(cast).count() == 40
    counts = sorted(ImportBatch.objects.values_list("added", "unchanged"))
    assert counts == [(0, 40), (40, 0)]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_oldest_of_duplicates(cast):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("campaigns.migrations.0007_roster_import_undo_and_unique_members")
    constraint = next(c for c in Member._meta.constraints if c.name == "unique_member_employee_id")
    oldest = f.make_member(cast.building_a, employee_id="D1")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Member, constraint)
    try:
        newer = f.make_member(cast.building_b, employee_id="D1", notes="Met at the rally.")
        with connection.schema_editor() as editor:
            migration.keep_the_oldest_of_duplicates(apps, editor)
    finally:
        with connection.schema_editor() as editor:
            editor.add_constraint(Member, constraint)
    oldest.refresh_from_db()
    newer.refresh_from_db()
    assert oldest.employee_id == "D1" and newer.employee_id == ""
    assert "Met at the rally." in newer.notes and f"#{oldest.pk}" in newer.notes


def test_the_preview_speaks_spanish(cast, media):
    client = cast.client_for("leader")
    batch = upload_and_map(client, spreadsheet_csv(), mark_missing=True)
    page = client.get(
        reverse("campaigns:import_preview", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    text = page.content.decode()
    assert "Lugares de trabajo que no conocemos" in text
    assert "Edificio desconocido «Lincoln Annex»." in text
    assert "Omitir sus filas" in text


def test_the_member_form_says_when_a_key_is_taken_instead_of_failing(cast):
    f.make_member(cast.building_a, employee_id="E1", work_email="ana@district.example")
    other = f.make_member(cast.building_a)
    client = cast.client_for("steward_a")
    page = client.get(reverse("campaigns:member_edit", args=[other.pk]))
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and name != "id"
    }
    data.update(employee_id="E1", work_email="ANA@district.example", building=cast.building_a.pk)
    response = client.post(reverse("campaigns:member_edit", args=[other.pk]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Another member of this local has this employee id." in text
    assert "Another member of this local has this work email." in text
