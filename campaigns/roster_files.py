"""Reading a roster file as districts send it: CSV in UTF-8 (with or without a BOM), UTF-16
(Excel's "Unicode text") or Windows-1252 when it fits, or an Excel workbook read streaming;
a title row above the headers, blank lines, several sheets. The result is each table's header
and rows, each row with its line as a spreadsheet shows it."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as clock

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# A title (often merged cells) and a blank line or two may sit above the header row.
HEADER_SCAN = 10

# Header spellings seen in district exports, normalised to lowercase letters and digits.
SYNONYMS = {
    "employee_id": {"employeeid", "empid", "employeenumber", "employeeno", "id", "staffid"},
    "first_name": {"firstname", "first", "givenname", "fname"},
    "last_name": {"lastname", "last", "surname", "familyname", "lname"},
    "work_email": {"workemail", "email", "districtemail", "emailaddress", "email1"},
    "personal_email": {"personalemail", "homeemail", "email2", "otheremail"},
    "phone": {"phone", "cell", "mobile", "phonenumber", "cellphone", "mobilephone"},
    "building": {"building", "site", "school", "worksite", "location", "sitename", "schoolname"},
    "job_class": {"jobclass", "job", "position", "jobtitle", "title", "assignment"},
    "preferred_language": {
        "language",
        "preferredlanguage",
        "homelanguage",
        "languagepreference",
        "idioma",
        "idiomapreferido",
        "lengua",
    },
}
KNOWN_HEADERS = set().union(*SYNONYMS.values())


class RosterError(Exception):
    """The file cannot be used at all; the message says why, for the person who uploaded it."""


@dataclass
class Sheet:
    """One table of the file: its header and its rows, each with its line as a spreadsheet
    shows it (the file's first line is 1, blank lines count)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    header_line: int = 1
    error: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "headers": self.headers,
            "header_line": self.header_line,
            "rows": self.rows,
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: dict) -> Sheet:
        return cls(
            name=data["name"],
            headers=data["headers"],
            rows=[(line, cells) for line, cells in data["rows"]],
            header_line=data["header_line"],
            error=data.get("error", ""),
        )

    def summary(self) -> dict:
        """What the steps before the preview need, kept on the import row."""
        return {
            "name": self.name,
            "headers": self.headers,
            "header_line": self.header_line,
            "rows": len(self.rows),
            "sample": [cells for _line, cells in self.rows[:3]],
            "error": self.error,
        }


def _too_many_rows() -> RosterError:
    return RosterError(
        _("The file has more than %(rows)d rows. Split the roster and import it in parts.")
        % {"rows": MAX_ROWS}
    )


def _line_of(content: bytes, position: int) -> int:
    return content.count(b"\n", 0, position) + 1


# Characters a Western roster saved as Windows-1252 plausibly holds beyond ASCII. Text in another
# encoding (Shift-JIS, GBK...) decoded as Windows-1252 shows symbols such as ‚ ƒ ‰ ¾ ˜ instead.
_CP1252_PUNCTUATION = set("’‘“”–—…€•·°§¿¡«»´\xa0")


def _plausible_cp1252(line: str) -> bool:
    for char in line:
        if char.isascii() or char in _CP1252_PUNCTUATION:
            continue
        if unicodedata.category(char).startswith("L") and char not in "ƒªºµ":
            continue
        return False
    return True


def _unreadable(line: int) -> RosterError:
    return RosterError(
        _(
            "Line %(line)d is not in a text encoding we can read. Save the roster as "
            "“CSV UTF-8” (or as an Excel file) and upload it again."
        )
        % {"line": line}
    )


def decode_text(content: bytes) -> str:
    """UTF-8 with or without a BOM, UTF-16 (Excel's "Unicode text"), or Windows-1252 when every
    line of it reads as such; otherwise the error names the first line we cannot read."""
    not_text = RosterError(
        _("The file is not text. Export the roster as CSV (UTF-8) or Excel and try again.")
    )
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif content.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        head = content[:4096]
        even, odd = head[0::2].count(0), head[1::2].count(0)
        pairs = max(len(head) // 2, 1)
        if odd > pairs * 0.3 and even < pairs * 0.05:
            encoding = "utf-16-le"
        elif even > pairs * 0.3 and odd < pairs * 0.05:
            encoding = "utf-16-be"
        elif 0 in head:
            raise not_text
        else:
            encoding = "utf-8"
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise _unreadable(_line_of(content, error.start)) from error
        text = None
    if text is None:
        lines = content.split(b"\n")
        decoded = []
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("cp1252")
            except UnicodeDecodeError as error:
                raise _unreadable(number) from error
            if not _plausible_cp1252(line):
                raise _unreadable(number)
            decoded.append(line)
        text = "\n".join(decoded)
    if "\x00" in text:
        raise not_text
    return text


def _cell(value) -> str:
    """A spreadsheet cell as text: dates as dates (not serial numbers or midnight times), whole
    numbers without a decimal point (employee ids typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == clock(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normal_header(header: str) -> str:
    """A header as lowercase letters and digits, the way SYNONYMS spells them."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _table(name: str, lines: list[tuple[int, list[str]]]) -> Sheet:
    """Find the header row (the first of the top lines that names two roster fields, else the
    first with two values: a title row above it has one) and the members below it."""
    candidates = [(line, cells) for line, cells in lines[:HEADER_SCAN] if sum(map(bool, cells)) > 1]
    if not candidates:
        return Sheet(name, [], [], error=_("The file is empty or has no header row."))
    header_line, header_cells = next(
        (
            (line, cells)
            for line, cells in candidates
            if sum(normal_header(c) in KNOWN_HEADERS for c in cells) >= 2
        ),
        candidates[0],
    )
    rows = [(line, cells) for line, cells in lines if line > header_line and any(cells)]
    width = max(
        [i + 1 for i, c in enumerate(header_cells) if c]
        + [i + 1 for _line, cells in rows for i, c in enumerate(cells) if c]
    )
    headers = []
    for index in range(width):
        header = header_cells[index] if index < len(header_cells) else ""
        # A column with values but no header still gets a name the leader can choose.
        headers.append(header or _("Column %(letter)s") % {"letter": _column_letter(index)})
    sheet = Sheet(name, headers, [], header_line=header_line)
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = header.casefold()
        if key in seen:
            sheet.error = _(
                "Columns %(first)s and %(second)s (line %(line)d) are both headed “%(header)s”. "
                "Rename one of them so each column has its own name."
            ) % {
                "first": _column_letter(seen[key]),
                "second": _column_letter(index),
                "line": header_line,
                "header": header,
            }
            return sheet
        seen[key] = index
    if not rows:
        sheet.error = _("The file has a header row but no members.")
        return sheet
    sheet.rows = rows
    return sheet


def _csv_lines(content: bytes) -> list[tuple[int, list[str]]]:
    text = decode_text(content)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        # Each record is one line as a spreadsheet shows it; a blank line is an empty record.
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + HEADER_SCAN:
                raise _too_many_rows()
            lines.append((number, [c.strip() for c in cells]))
    except csv.Error as error:
        raise RosterError(
            _("Line %(line)d could not be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return lines


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
MAX_UNPACKED = 400 * 1024 * 1024


def _check_xlsx_size(content: bytes) -> None:
    """Count the rows in the workbook's sheets straight from the compressed XML, stopping at
    the limit: a small file that unpacks to a million rows is refused before it is parsed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise RosterError(_("This is not a readable Excel file.")) from error
    try:
        with archive:
            _count_rows(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise RosterError(_("This is not a readable Excel file.")) from error


def _count_rows(archive: zipfile.ZipFile) -> None:
    rows = unpacked = 0
    for info in archive.infolist():
        # openpyxl holds the shared strings in memory: they count towards the size too.
        is_sheet = info.filename.startswith("xl/worksheets/")
        if not is_sheet and info.filename != "xl/sharedStrings.xml":
            continue
        with archive.open(info) as sheet:
            tail = b""
            while chunk := sheet.read(1024 * 1024):
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED:
                    raise RosterError(
                        _("The workbook is too large once unpacked. Save it as CSV instead.")
                    )
                if not is_sheet:
                    continue
                text = tail + chunk
                rows += len(_ROW_TAG.findall(text))
                # Keep the end of this chunk in case a tag is cut in two; count it once.
                tail = chunk[-16:]
                rows -= len(_ROW_TAG.findall(tail))
                if rows > MAX_ROWS + HEADER_SCAN:
                    raise _too_many_rows()


def _xlsx_sheets(content: bytes) -> list[Sheet]:
    import openpyxl

    _check_xlsx_size(content)

    try:
        # Read-only mode streams the rows instead of building the whole workbook in memory.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001  (openpyxl raises many kinds)
        raise RosterError(_("This is not a readable Excel file.")) from error
    sheets = []
    read = 0
    try:
        for worksheet in workbook.worksheets:
            declared = worksheet.max_row or 0
            if declared > MAX_ROWS + HEADER_SCAN:
                raise _too_many_rows()
            lines = []
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                # The declared size can lie: count the rows as they come.
                read += 1
                if read > MAX_ROWS + HEADER_SCAN:
                    raise _too_many_rows()
                lines.append((number, [_cell(v) for v in values]))
            while lines and not any(lines[-1][1]):
                lines.pop()
            if lines:
                sheets.append(_table(worksheet.title, lines))
    finally:
        workbook.close()
    return sheets


def parse_roster(content: bytes, filename: str = "roster.csv") -> list[Sheet]:
    """Every table in the file. Raises ``RosterError`` when none can be imported."""
    if len(content) > MAX_BYTES:
        raise RosterError(
            _("The file is larger than %(mb)d MB. Split the roster or remove unused columns.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if filename.lower().endswith((".xlsx", ".xlsm")) or content.startswith(b"PK\x03\x04"):
        sheets = _xlsx_sheets(content)
    else:
        sheets = [_table("", _csv_lines(content))]
    usable = [sheet for sheet in sheets if not sheet.error]
    if not usable:
        raise RosterError(
            sheets[0].error if sheets else _("The file is empty or has no header row.")
        )
    return sheets


def read_roster(content: bytes, filename: str = "roster.csv") -> Sheet:
    """The file's one table (the first usable sheet of a workbook)."""
    return next(sheet for sheet in parse_roster(content, filename) if not sheet.error)
