"""Exporting members in the columns the import reads, so an export can be edited and imported
back; cells that a spreadsheet would run as a formula are made plain text."""

from __future__ import annotations

import codecs
import csv
import io

from django.utils import timezone
from django.utils.translation import gettext_lazy

from .preview import FIELDS

# A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and CR,
# shifts it so that what follows does); a leading apostrophe makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_headers() -> list[str]:
    return [str(label) for _name, label in FIELDS] + [
        str(gettext_lazy("Support level")),
        str(gettext_lazy("Last contacted")),
        str(gettext_lazy("Left")),
    ]


def export_rows(members):
    """The same columns the import reads, so an export can be edited and imported back."""
    for m in members.select_related("building").iterator(chunk_size=2_000):
        row = [
            m.employee_id,
            m.first_name,
            m.last_name,
            m.work_email,
            m.personal_email,
            m.phone,
            m.building.name if m.building else "",
            m.job_class,
            m.preferred_language,
            m.support_level or "",
            timezone.localdate(m.last_contacted_at).isoformat() if m.last_contacted_at else "",
            timezone.localdate(m.left_at).isoformat() if m.left_at else "",
        ]
        yield [_safe_cell(value) for value in row]


def export_csv(members) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it with accents intact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(export_headers())
    writer.writerows(export_rows(members))
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def export_xlsx(members) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(str(gettext_lazy("Members")))
    sheet.append(export_headers())
    for row in export_rows(members):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
