"""Reading and writing spreadsheets (CSV and XLSX) safely.

Uploaded files are checked by their content, not their name: an XLSX file must be a zip archive with
`[Content_Types].xml` and an `xl/` folder; before anything unpacks it, the declared sizes and the
compression ratio of its entries are checked so that a "zip bomb" (a few kilobytes that unpack to
gigabytes) is refused. XLSX is read with python-calamine (fast, no formulas evaluated), CSV with the
standard library (UTF-8 with or without BOM, or Windows-1252 as Excel writes it in Belgium; comma,
semicolon or tab separated). Written CSV is UTF-8 with BOM and semicolons, which Excel opens as is.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CSV, XLSX = "csv", "xlsx"
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Limits on the unpacked XLSX: a 10 MB file of real data unpacks to well under this.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ZIP_ENTRIES = 2_000

Cell = str | datetime.date
Table = list[tuple[int, list[Cell]]]  # (row number in the file, 1 = header; cells)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and other OLE2 files
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"BZh", b"7z\xbc\xaf", b"Rar!", b"MZ")
# A value that a spreadsheet would run as a formula; exports neutralise it (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValidationError):
    """The file cannot be read as a spreadsheet: wrong type, too big, a zip bomb, too many rows."""


def _error(message, code: str, **params) -> SpreadsheetError:
    return SpreadsheetError(message, code=code, params=params or None)


# ---- reading -------------------------------------------------------------------------------------------------------


def detect_format(data: bytes) -> str:
    """CSV or XLSX, decided by the content; anything else is refused with a message saying what it is."""
    if data.startswith(b"PK\x03\x04"):
        return XLSX
    if data.startswith(_OLE2):
        raise _error(
            _("This is an old Excel file (.xls). Save it as an Excel workbook (.xlsx) or as CSV and upload it again."),
            "xls",
        )
    if data.startswith(b"PK") or any(data.startswith(magic) for magic in _BINARY_MAGIC) or b"\x00" in data[:65536]:
        raise _error(_("This file is not a CSV or XLSX spreadsheet."), "not_spreadsheet")
    # A web page, SVG or XML file renamed .csv/.xlsx is text too: no header row of ours starts with "<".
    if data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise _error(_("This file is not a CSV or XLSX spreadsheet."), "not_spreadsheet")
    return CSV


def check_xlsx_archive(data: bytes) -> None:
    """Refuse archives that are not XLSX workbooks, or that unpack to too much (zip bombs)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _error(_("This file is damaged: it cannot be opened as an XLSX workbook."), "bad_zip") from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise _error(
            _("This file is a zip archive but not an Excel workbook (.xlsx). Upload an XLSX or CSV file."),
            "not_xlsx",
        )
    if len(entries) > MAX_ZIP_ENTRIES:
        raise _error(_("This workbook holds too many parts to be read safely."), "zip_bomb")
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise _error(_("This workbook is protected by a password. Remove the password and upload it again."), "enc")
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise _error(
                _("This workbook unpacks to far more data than it holds (a “zip bomb”) and was refused."), "zip_bomb"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _error(
            _("This workbook unpacks to far more data than it holds (a “zip bomb”) and was refused."), "zip_bomb"
        )
    # The sizes above are declared by the file itself: unpack each part with a hard cap to be sure they are true.
    budget = MAX_UNCOMPRESSED_BYTES
    try:
        for entry in entries:
            with archive.open(entry) as stream:
                while chunk := stream.read(1024 * 1024):
                    budget -= len(chunk)
                    if budget < 0:
                        raise _error(
                            _("This workbook unpacks to far more data than it holds (a “zip bomb”) and was refused."),
                            "zip_bomb",
                        )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _error(_("This file is damaged: it cannot be opened as an XLSX workbook."), "bad_zip") from None


def plain_cell(value: Any) -> Cell:
    """One cell as text (stripped) or a date: whole numbers lose their ".0" (REFNIS 11002.0 → "11002")."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.time | datetime.timedelta):
        return str(value)
    text = str(value).strip()
    # Our own exports put an apostrophe before values a spreadsheet would take for a formula.
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        text = text[1:]
    return text


def _too_many_rows() -> SpreadsheetError:
    return _error(
        _("The file has more than %(max)s rows. Split it into smaller files."), "too_many_rows", max=f"{MAX_ROWS:,}"
    )


def _table(rows: Iterable[Sequence[Any]]) -> Table:
    """Rows with their numbers in the file, empty rows left out, at most MAX_ROWS below the header."""
    table: Table = []
    for number, row in enumerate(rows, start=1):
        cells = [plain_cell(value) for value in row]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        table.append((number, cells))
        if len(table) > MAX_ROWS + 1:
            raise _too_many_rows()
    return table


def read_xlsx(data: bytes) -> Table:
    """The first sheet of a (checked) XLSX workbook."""
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        return _table(sheet.iter_rows())
    except SpreadsheetError:
        raise
    except Exception:  # calamine raises its own error types for every kind of damage
        raise _error(_("This file is damaged: it cannot be opened as an XLSX workbook."), "bad_xlsx") from None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise _error(_("This CSV file cannot be read: check its quotes and separators."), "bad_csv") from None


def read_spreadsheet(upload: IO[bytes], *, size: int | None = None) -> tuple[str, Table]:
    """Check and read an uploaded CSV or XLSX file: its format and its non-empty rows (the first is the header)."""
    if size is not None and size > MAX_FILE_BYTES:
        raise _error(_("The file is larger than %(max)s MB."), "too_big", max=MAX_FILE_BYTES // (1024 * 1024))
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _error(_("The file is larger than %(max)s MB."), "too_big", max=MAX_FILE_BYTES // (1024 * 1024))
    if not data.strip():
        raise _error(_("The file is empty."), "empty")
    file_format = detect_format(data)
    if file_format == XLSX:
        check_xlsx_archive(data)
        table = read_xlsx(data)
    else:
        table = read_csv(data)
    if not table:
        raise _error(_("The file is empty."), "empty")
    return file_format, table


# ---- writing -------------------------------------------------------------------------------------------------------


def _csv_safe(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_csv(stream: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """CSV for Excel: UTF-8 with BOM, semicolons, dates as YYYY-MM-DD, formula-like values neutralised."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(value) for value in header])
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])


def write_xlsx(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str,
    widths: Sequence[int] | None = None,
    notes: Sequence[tuple[str, str]] = (),
    notes_title: str = "",
) -> bytes:
    """An XLSX workbook: one sheet with a bold, frozen header row (every value written as text or date, never as
    a formula), and optionally a second sheet of notes (column name, explanation)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(sheet_name[:31])
    for column, title in enumerate(header):
        sheet.write_string(0, column, str(title), bold)
        sheet.set_column(column, column, (widths[column] if widths else None) or max(12, min(len(str(title)) + 4, 40)))
    sheet.freeze_panes(1, 0)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, datetime.date):
                sheet.write_datetime(index, column, datetime.datetime.combine(value, datetime.time()), date_format)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(index, column, value)
            else:
                sheet.write_string(index, column, str(value))
    if notes:
        help_sheet = workbook.add_worksheet(str(notes_title)[:31] or "?")
        help_sheet.set_column(0, 0, 32)
        help_sheet.set_column(1, 1, 100)
        for index, (name, text) in enumerate(notes):
            help_sheet.write_string(index, 0, str(name), bold if index == 0 else None)
            help_sheet.write_string(index, 1, str(text), bold if index == 0 else wrap)
    workbook.close()
    return buffer.getvalue()
