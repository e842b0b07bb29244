"""Export of a (filtered) list of networks as CSV or XLSX.

The first columns are exactly the import template's, in the same format, so an exported file can be edited
and imported again (it then updates the same networks, matched by their code); the columns after them
(names of the municipality and zone, province, region, charter state, dates) are for reading and are
ignored by the import. Headers are in the reader's language. There is no personal data in it: no partner,
coordinator or member appears, only the network's own public contact.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from geography.models import Municipality

from .. import spreadsheets
from ..choices import CharterStatus, NetworkKind, NetworkSector, NetworkStatus, StreetParity
from ..models import AreaStreet, Network
from .importer import COLUMNS, PARITY_WRITTEN, column_headers

EXTRA_COLUMNS: tuple[tuple[str, Any, int], ...] = (
    ("municipality_name", _("Main municipality (name)"), 24),
    ("zone_name", _("Police zone (name)"), 24),
    ("province", _("Province"), 18),
    ("region", _("Region"), 16),
    ("charter_state", _("Charter"), 16),
    ("created_at", _("Registered on"), 14),
    ("updated_at", _("Last changed on"), 14),
)
CONTENT_TYPES = {
    spreadsheets.CSV: "text/csv; charset=utf-8",
    spreadsheets.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_CHUNK = 2000


def export_headers() -> list[str]:
    return column_headers() + [str(label) for _key, label, _width in EXTRA_COLUMNS]


def _export_queryset(queryset: QuerySet[Network]) -> QuerySet[Network]:
    return queryset.select_related("municipality__province", "municipality__region", "zone").prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.only("pk", "refnis")),
        Prefetch(
            "streets",
            queryset=AreaStreet.objects.only(
                "network_id", "postal_code", "street", "number_from", "number_to", "parity"
            ).order_by("postal_code", "street_normalised", "number_from", "pk"),
        ),
    )


def _street_cell(streets, parity_words: dict) -> str:
    items = []
    for street in streets:
        parts = [street.street, street.postal_code]
        if street.number_from is not None or street.number_to is not None or street.parity != StreetParity.ALL:
            parts += [str(street.number_from or ""), str(street.number_to or "")]
        if street.parity != StreetParity.ALL:
            parts.append(parity_words[street.parity])
        items.append(";".join(parts))
    return " | ".join(items)


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def export_rows(queryset: QuerySet[Network]) -> Iterator[list[Any]]:
    """One row per network, in the order of `export_headers()`, values in the active language."""
    language = (translation.get_language() or "nl")[:2]
    parity_words = PARITY_WRITTEN.get(language, PARITY_WRITTEN["en"])
    for network in _export_queryset(queryset).iterator(chunk_size=_CHUNK):
        municipality, zone = network.municipality, network.zone
        others = sorted(m.refnis for m in network.municipalities.all() if m.pk != network.municipality_id)
        charter_state = getattr(network, "charter_state", None)
        values = {
            "code": network.code,
            "name": network.name,
            "kind": _label(NetworkKind, network.kind),
            "sector": _label(NetworkSector, network.sector) if network.sector else "",
            "local_label": network.local_label,
            "status": _label(NetworkStatus, network.status),
            "municipality": municipality.refnis,
            "municipalities": "; ".join(others),
            "zone": str(zone.code) if zone.code else zone.name,
            "founded_on": network.founded_on,
            "public_description": network.public_description,
            "public_email": network.public_email,
            "public_phone": network.public_phone,
            "streets": _street_cell(network.streets.all(), parity_words),
            "municipality_name": municipality.name,
            "zone_name": zone.name,
            "province": municipality.province.name if municipality.province_id else "",
            "region": municipality.region.name,
            "charter_state": _label(CharterStatus, charter_state) if charter_state else str(_("no charter yet")),
            "created_at": timezone.localtime(network.created_at).date(),
            "updated_at": timezone.localtime(network.updated_at).date(),
        }
        yield [values[column.key] for column in COLUMNS] + [values[key] for key, _label_, _w in EXTRA_COLUMNS]


def network_export(*, queryset: QuerySet[Network], file_format: str) -> tuple[bytes, str, str]:
    """The networks of `queryset` (already scoped with `for_user` and filtered) as a file: (content, file name,
    content type)."""
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown export format {file_format!r}")
    name = f"binplp-networks-{timezone.localdate().isoformat()}.{file_format}"
    header = export_headers()
    rows = export_rows(queryset)
    if file_format == spreadsheets.XLSX:
        widths = [column.width for column in COLUMNS] + [width for _key, _label_, width in EXTRA_COLUMNS]
        content = spreadsheets.write_xlsx(header, rows, sheet_name=str(_("Networks")), widths=widths)
        return content, name, CONTENT_TYPES[file_format]
    stream = io.StringIO()
    spreadsheets.write_csv(stream, header, rows)
    return stream.getvalue().encode("utf-8"), name, CONTENT_TYPES[file_format]
