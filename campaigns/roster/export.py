"""Exporting members in the columns the import reads, so an export can be edited and imported
back; cells that a spreadsheet would run as a formula are made plain text."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..phones import display_phone
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


def _local_date(value, zone) -> str:
    return timezone.localdate(value, zone).isoformat() if value else ""


def export_rows(members, zone=None):
    """The same columns the import reads, so an export can be edited and imported back. Dates
    are in ``zone`` (the current zone unless given: a streamed export passes the request's,
    as its rows are written after the request's zone is gone)."""
    zone = zone or timezone.get_current_timezone()
    for m in members.select_related("building").iterator(chunk_size=2_000):
        row = [
            m.employee_id,
            m.first_name,
            m.last_name,
            m.work_email,
            m.personal_email,
            # As the local writes numbers: "(916) 555-1234" reads back through the import, where
            # the stored "+1916..." would have to be guarded as a formula.
            display_phone(m.phone),
            m.building.name if m.building else "",
            m.job_class,
            m.preferred_language,
            m.support_level or "",
            timezone.localdate(m.last_contacted_at, zone).isoformat()
            if m.last_contacted_at
            else "",
            timezone.localdate(m.left_at, zone).isoformat() if m.left_at else "",
        ]
        yield [_safe_cell(value) for value in row]


class _Echo:
    """A file that hands back what is written to it, so csv.writer makes one line at a time."""

    def write(self, value: str) -> str:
        return value


def export_csv_stream(members) -> Iterator[bytes]:
    """The export as CSV, one line after another (never the whole file in memory): UTF-8 with a
    byte-order mark, so Excel opens it with accents intact. The headings' language and the
    dates' zone are taken now, from the request, not when the lines are written."""
    headers = export_headers()
    zone = timezone.get_current_timezone()
    writer = csv.writer(_Echo())

    def lines() -> Iterator[bytes]:
        yield codecs.BOM_UTF8 + writer.writerow(headers).encode("utf-8")
        for row in export_rows(members, zone):
            yield writer.writerow(row).encode("utf-8")

    return lines()


def export_csv(members) -> bytes:
    return b"".join(export_csv_stream(members))


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
