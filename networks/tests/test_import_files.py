"""Reading uploaded spreadsheets: type by content, size, zip bombs, rows; CSV and XLSX read alike."""

import datetime
import io
import zipfile

import pytest

from networks import spreadsheets
from networks.spreadsheets import SpreadsheetError, read_spreadsheet
from networks.tests.import_helpers import csv_bytes, row, xlsx_bytes


def _read(data: bytes):
    return read_spreadsheet(io.BytesIO(data), size=len(data))


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _code(data: bytes) -> str:
    with pytest.raises(SpreadsheetError) as raised:
        _read(data)
    return raised.value.code


def test_xlsx_and_csv_read_to_the_same_rows():
    rows = [row(name="BIN Één", municipality="11002", founded_on=datetime.date(2020, 1, 31), zone=5345)]
    xlsx_format, xlsx_table = _read(xlsx_bytes(rows))
    csv_format, csv_table = _read(csv_bytes(rows))
    assert (xlsx_format, csv_format) == ("xlsx", "csv")
    # Numbers lose their ".0", dates stay dates in XLSX and are ISO text in CSV.
    assert xlsx_table[1][1][8] == "5345" and csv_table[1][1][8] == "5345"
    assert xlsx_table[1][1][9] == datetime.date(2020, 1, 31) and csv_table[1][1][9] == "2020-01-31"
    assert xlsx_table[1][1][1] == csv_table[1][1][1] == "BIN Één"


def test_csv_from_excel_in_windows_1252_with_commas_is_read():
    data = "Name,Main municipality\r\nBIN Wezembeek-Oppem,Wezembeek-Oppem\r\nPLP Liège,62063\r\n".encode("cp1252")
    data = data.replace(b"Li\xe8ge", "Liège".encode("cp1252"))
    file_format, table = _read(data)
    assert file_format == "csv"
    assert table[2][1] == ["PLP Liège", "62063"]


def test_empty_rows_are_skipped_but_row_numbers_are_the_file_s():
    _format, table = _read(b"Name;Main municipality\n\n;\nBIN A;11002\n")
    assert table[1] == (4, ["BIN A", "11002"])


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = _zip(
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/worksheets/sheet1.xml": b"\0" * (20 << 20)}
    )
    assert len(bomb) < 100_000
    assert _code(bomb) == "zip_bomb"


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    data = xlsx_bytes([row(name="BIN A", municipality="11002")])
    monkeypatch.setattr(spreadsheets, "MAX_UNCOMPRESSED_BYTES", 2000)
    assert _code(data) == "zip_bomb"


def test_too_many_parts_are_refused(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ZIP_ENTRIES", 3)
    assert _code(xlsx_bytes([])) == "zip_bomb"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj", "not_spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "not_spreadsheet"),
        (b"Name;Municipality\n\0\0\0binary", "not_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "xls"),
        (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "not_xlsx"),
        (_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "not_xlsx"),
        (b"PK\x03\x04 this is not really a zip archive", "bad_zip"),
        (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"not xml at all"}), "bad_xlsx"),
        (b"   \n", "empty"),
        (b"\xef\xbb\xbf\n<!DOCTYPE html><html><script>alert(1)</script></html>", "not_spreadsheet"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not_spreadsheet"),
    ],
    ids=["pdf", "png", "nul-bytes", "old-xls", "ods", "docx", "broken-zip", "broken-xlsx", "empty", "html", "svg"],
)
def test_disguised_and_broken_files_are_refused_with_a_clear_message(data, code):
    with pytest.raises(SpreadsheetError) as raised:
        _read(data)
    assert raised.value.code == code
    assert str(raised.value.messages[0])


def test_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_FILE_BYTES", 100)
    assert _code(b"Name;Main municipality\n" + b"BIN A;11002\n" * 20) == "too_big"
    monkeypatch.setattr(spreadsheets, "MAX_FILE_BYTES", 10 << 20)
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 5)
    assert _code(b"Name;Main municipality\n" + b"BIN A;11002\n" * 6) == "too_many_rows"
    assert _read(b"Name;Main municipality\n" + b"BIN A;11002\n" * 5)[1][-1][0] == 6
    rows = [row(name=f"BIN {i}", municipality="11002") for i in range(6)]
    assert _code(xlsx_bytes(rows)) == "too_many_rows"


def test_exports_neutralise_formulas_and_imports_restore_them():
    data = csv_bytes([['=HYPERLINK("http://x")', "+32 3 123 45 67", "-", "@home"]], header=["a", "b", "c", "d"])
    assert b"'=HYPERLINK" in data and b"'+32" in data
    _format, table = _read(data)
    assert table[1][1] == ['=HYPERLINK("http://x")', "+32 3 123 45 67", "-", "@home"]
