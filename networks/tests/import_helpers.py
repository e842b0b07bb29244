"""Building import files for the import and export tests."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import SimpleUploadedFile

from networks import spreadsheets
from networks.services.importer import COLUMN_KEYS, column_headers

HEADER_KEYS = list(COLUMN_KEYS)


def row(**values) -> list:
    """A row of the full template, cells by column key."""
    unknown = set(values) - set(HEADER_KEYS)
    assert not unknown, unknown
    return [values.get(key, "") for key in HEADER_KEYS]


def csv_bytes(rows: Iterable[Sequence], header: Sequence[str] | None = None) -> bytes:
    stream = io.StringIO()
    spreadsheets.write_csv(stream, header or column_headers(), rows)
    return stream.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence], header: Sequence[str] | None = None) -> bytes:
    return spreadsheets.write_xlsx(header or column_headers(), rows, sheet_name="Networks")


def table(rows: Iterable[Sequence], header: Sequence[str] | None = None):
    """The read form of a CSV file holding these rows, as the importer gets it."""
    return spreadsheets.read_csv(csv_bytes(rows, header))


def upload(content: bytes, name: str = "networks.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
