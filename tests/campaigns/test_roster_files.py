"""Roster files as districts send them (encodings, Excel workbooks, a compressed bomb), kept
private, parsed once; and the export that spreadsheets open safely."""

from __future__ import annotations

import codecs
import csv
import io
import time
import zipfile
from datetime import datetime

import openpyxl
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import roster, roster_files
from campaigns.models import ImportBatch, Member
from config.storages import PrivateStorage
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = ["Employee ID", "First Name", "Last Name", "Email", "Site"]
PEOPLE = [
    ["T1", "José", "Núñez", "t1@district.example", "Building A Elementary"],
    ["T2", "Zoë", "O’Brien", "t2@district.example", "Building A Elementary"],
]


def text_roster(delimiter=",") -> str:
    return "\r\n".join(delimiter.join(cells) for cells in [HEADER, *PEOPLE]) + "\r\n"


def upload(client, content: bytes, name="roster.csv"):
    return client.post(
        reverse("campaigns:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


def import_all(client, content: bytes, name="roster.csv"):
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[-3000:]
    batch = ImportBatch.objects.latest("pk")
    if response["Location"].endswith("/sheet/"):
        client.post(response["Location"], {"sheet": "0"})
    page = client.get(reverse("campaigns:import_mapping", args=[batch.pk]))
    form = page.context["form"]
    data = {field: form.initial.get(field, "") for field, _label in roster.FIELDS}
    client.post(reverse("campaigns:import_mapping", args=[batch.pk]), data)
    response = client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert response["Location"] == reverse("campaigns:import_detail", args=[batch.pk])
    return batch


def names(cast) -> set[str]:
    return {m.name for m in Member.objects.filter(local=cast.local)}


# Encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        text_roster().encode("utf-8"),
        codecs.BOM_UTF8 + text_roster().encode("utf-8"),
        # Excel's "Unicode text": UTF-16 little-endian with a BOM, tab-separated.
        codecs.BOM_UTF16_LE + text_roster("\t").encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text_roster("\t").encode("utf-16-be"),
        text_roster(";").encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "cp1252"],
)
def test_rosters_in_every_encoding_districts_use_import_with_their_accents(cast, media, content):
    import_all(cast.client_for("leader"), content, "roster.txt")
    assert names(cast) == {"José Núñez", "Zoë O’Brien"}


def test_a_shift_jis_roster_is_refused_naming_the_line(cast, media):
    lines = [
        ",".join(HEADER),
        "T1,Ana,Ruiz,t1@district.example,Building A Elementary",
        "T3,山田,太郎,t3@district.example,Building A Elementary",
    ]
    content = "\n".join(lines).encode("shift_jis")
    response = upload(cast.client_for("leader"), content)
    assert response.status_code == 200
    assert "Line 3 is not in a text encoding we can read" in response.content.decode()
    assert not ImportBatch.objects.exists()


# Spreadsheets as districts send them ---------------------------------------------------------


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def district_workbook(title=True) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Certificated"
    if title:
        sheet.append(["Twin Rivers USD certificated staff, November 2026"])
        sheet.merge_cells("A1:F1")
    sheet.append([*HEADER, "Hire date"])
    sheet.append(
        [
            1001,
            "José",
            "Núñez",
            "t1@district.example",
            "Building A Elementary",
            datetime(2019, 8, 15),
        ]
    )
    sheet.append([])
    sheet.append(
        [1002.0, "Zoë", "O’Brien", "bad-email", "Building A Elementary", datetime(2021, 1, 4)]
    )
    return workbook


def test_a_title_row_above_the_headers_is_recognised_and_excel_dates_are_dates(cast, media):
    client = cast.client_for("leader")
    response = upload(client, workbook_bytes(district_workbook()), "staff.xlsx")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"])
    assert page.context["form"].initial["employee_id"] == "Employee ID"
    text = page.content.decode()
    assert "The headers are on line 2" in text
    assert "2019-08-15" in text and "00:00" not in text
    assert ">1001<" in text
    data = {field: page.context["form"].initial.get(field, "") for field, _l in roster.FIELDS}
    client.post(reverse("campaigns:import_mapping", args=[batch.pk]), data)
    preview = client.get(reverse("campaigns:import_preview", args=[batch.pk])).context["preview"]
    # Line numbers as Excel shows them: title 1, header 2, José 3, blank 4, Zoë 5.
    assert [(e.line, e.name) for e in preview.errors] == [(5, "Zoë O’Brien")]
    assert preview.to_add[0]["employee_id"] == "1001"


def test_a_workbook_with_several_sheets_asks_which_one(cast, media):
    workbook = district_workbook(title=False)
    classified = workbook.create_sheet("Classified")
    classified.append(["Staff ID", "Given name", "Surname", "Work email", "School"])
    classified.append(["C9", "Ana", "Ruiz", "c9@district.example", "Building B High"])
    workbook.create_sheet("Notes")  # empty: not offered
    client = cast.client_for("leader")
    response = upload(client, workbook_bytes(workbook), "staff.xlsx")
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("campaigns:import_sheet", args=[batch.pk])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Certificated (2)" in text and "Classified (1)" in text and "Notes" not in text
    response = client.post(response["Location"], {"sheet": "1"})
    page = client.get(response["Location"])
    assert page.context["form"].initial["first_name"] == "Given name"
    data = {field: page.context["form"].initial.get(field, "") for field, _l in roster.FIELDS}
    client.post(reverse("campaigns:import_mapping", args=[batch.pk]), data)
    client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert names(cast) == {"Ana Ruiz"}


def test_two_columns_with_the_same_header_are_named(cast, media):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Employee ID", "First Name", "Last Name", "Email", "email"])
    workbook.active.append(["T1", "A", "B", "a@x.example", "b@x.example"])
    response = upload(cast.client_for("leader"), workbook_bytes(workbook), "r.xlsx")
    assert "Columns D and E (line 1) are both headed “email”" in response.content.decode()


def bomb(rows: int) -> bytes:
    """A small .xlsx whose sheet holds ``rows`` rows: compressed, it is a few hundred KB."""
    plain = io.BytesIO()
    openpyxl.Workbook().save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(item, source.read(item.filename))
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            for n in range(1, rows + 1):
                sheet.write(
                    b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>1</v></c></row>'
                    % (n, n, n, n)
                )
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_a_compressed_bomb_is_refused_in_seconds(cast, media):
    content = bomb(1_000_000)
    assert len(content) < roster.MAX_BYTES
    started = time.perf_counter()
    response = upload(cast.client_for("leader"), content, "roster.xlsx")
    elapsed = time.perf_counter() - started
    assert "more than 100000 rows" in response.content.decode()
    assert elapsed < 5
    assert not ImportBatch.objects.exists()


def test_a_workbook_too_large_once_unpacked_or_broken_is_refused(cast, media, monkeypatch):
    monkeypatch.setattr(roster_files, "MAX_UNPACKED", 10_000)
    client = cast.client_for("leader")
    response = upload(client, bomb(2_000), "roster.xlsx")
    assert "too large once unpacked" in response.content.decode()
    broken = bytearray(workbook_bytes(district_workbook()))
    broken[len(broken) // 2 : len(broken) // 2 + 200] = b"x" * 200
    response = upload(client, bytes(broken), "roster.xlsx")
    assert "not a readable Excel file" in response.content.decode()
    assert not ImportBatch.objects.exists()


# Private, unguessable, parsed once -----------------------------------------------------------


def test_rosters_are_private_unguessable_and_parsed_once(cast, media, monkeypatch, settings):
    calls = []
    real = roster_files._csv_lines
    monkeypatch.setattr(
        roster_files, "_csv_lines", lambda content: calls.append(1) or real(content)
    )
    client = cast.client_for("leader")
    response = upload(client, text_roster().encode(), "november-roster.csv")
    batch = ImportBatch.objects.get()
    assert isinstance(storages["private"], PrivateStorage)
    assert batch.file.storage.location == str(settings.VAR_DIR / "private")
    assert "november" not in batch.file.name and "2026" not in batch.file.name
    assert len(batch.file.name) > 30
    assert not list(media.rglob("*")) if media.exists() else True
    with pytest.raises(ValueError):
        batch.file.url  # noqa: B018
    page = client.get(response["Location"])
    data = {field: page.context["form"].initial.get(field, "") for field, _l in roster.FIELDS}
    client.post(reverse("campaigns:import_mapping", args=[batch.pk]), data)
    client.get(reverse("campaigns:import_preview", args=[batch.pk]))
    client.post(reverse("campaigns:import_run", args=[batch.pk]))
    assert calls == [1]


def test_abandoned_uploads_are_purged_every_hour(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-abandoned-roster-imports"]["schedule"]
    assert schedule.hour == set(range(24))


def test_media_is_not_served_even_in_debug(settings):
    import importlib

    import config.urls

    settings.DEBUG = True
    urls = importlib.reload(config.urls)
    assert not any("media" in str(pattern.pattern) for pattern in urls.urlpatterns)


# Export ---------------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def test_export_defuses_every_formula_start_and_keeps_accents_for_excel(cast):
    for index, value in enumerate(DANGEROUS):
        f.make_member(cast.building_a, first_name=value, last_name=f"Núñez{index}")
    response = cast.client_for("leader").get(reverse("campaigns:member_export"))
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    first_names = {r[1] for r in rows[1:]}
    assert first_names == {"'" + value for value in DANGEROUS}
    assert any(r[2] == "Núñez0" for r in rows)


def test_export_as_excel(cast):
    f.make_member(cast.building_a, first_name="=HYPERLINK(1)", last_name="Gómez", employee_id="X1")
    response = cast.client_for("leader").get(reverse("campaigns:member_export_xlsx"))
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Employee id", "First name", "Last name")
    assert rows[1][:3] == ("X1", "'=HYPERLINK(1)", "Gómez")
    assert sheet["B2"].data_type == "s"
    # The Excel export reads back through the import.
    assert roster.guess_mapping(roster.read_roster(response.content, "m.xlsx").headers)


def test_export_is_for_leaders_and_stewards_only(cast):
    response = cast.client_for("steward_a").get(reverse("campaigns:member_export_xlsx"))
    assert response.status_code == 200
    for role in ("partner_x", "partner_y"):
        response = cast.client_for(role).get(reverse("campaigns:member_export_xlsx"))
        assert response.status_code == 403


def test_a_private_folder_inside_the_public_media_folder_is_a_configuration_error(
    settings, tmp_path
):
    from campaigns.checks import private_files_stay_private

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    assert private_files_stay_private(None) == []
    settings.MEDIA_ROOT = tmp_path
    assert [error.id for error in private_files_stay_private(None)] == ["commongood.E010"]
