"""The open data as files: a JSON document (metadata with licence and attribution, then the rows) and CSV (one row
per place and year, the columns of `opendata_selectors.columns`). Used by the download pages and the API."""

from __future__ import annotations

import io
import json

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks import spreadsheets

from . import opendata_selectors as opendata

LEVEL_LABELS = {
    "municipality": _("municipalities"),
    "zone": _("police zones"),
    "province": _("provinces"),
    "country": _("the country"),
}


def level_title(level: str) -> str:
    return str(_("BIN / PLP figures by %(level)s") % {"level": LEVEL_LABELS[level]})


def metadata(level: str, year: int | None, data: opendata.OpenData) -> dict:
    years = data.years
    return {
        "title": level_title(level),
        "level": level,
        "year": year,
        "years": years,
        "columns": opendata.columns(level),
        "licence": opendata.LICENCE,
        "licence_url": opendata.LICENCE_URL,
        "attribution": opendata.attribution(),
        "suppression": {
            "min_count": opendata.min_count(),
            "rule": str(
                _(
                    "Member counts from 1 to %(limit)s are withheld (members empty, members_suppressed true), and so "
                    "are other counts where needed so that none can be found back by subtraction from a total."
                )
                % {"limit": opendata.min_count() - 1}
            ),
        },
        "generated_at": timezone.localtime(data.computed_at).isoformat(timespec="seconds"),
    }


def json_document(level: str, year: int | None, data: opendata.OpenData | None = None) -> dict:
    data = data or opendata.open_data()
    names = opendata.columns(level)
    rows = [{name: row.get(name) for name in names} for row in opendata.level_rows(level, year, data)]
    return {"metadata": metadata(level, year, data), "rows": rows}


def json_bytes(level: str, year: int | None, data: opendata.OpenData | None = None) -> bytes:
    return json.dumps(json_document(level, year, data), ensure_ascii=False, indent=1).encode()


def _cell(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_rows(rows: list[dict], names: list[str]) -> str:
    stream = io.StringIO()
    spreadsheets.write_csv(stream, names, ([_cell(row.get(name)) for name in names] for row in rows))
    return stream.getvalue()


def csv_text(level: str, year: int | None, data: opendata.OpenData | None = None) -> str:
    return csv_rows(opendata.level_rows(level, year, data), opendata.columns(level))


def file_name(level: str, year: int | None, extension: str) -> str:
    return f"binplp-open-data-{level}-{year or 'all'}.{extension}"
