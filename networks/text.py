"""Street names: one normalised form to find and dedupe them, and parsing of pasted street lists."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

_SPACES = re.compile(r"\s+")


def normalise_street(name: str) -> str:
    """Lower case, accents stripped, spaces collapsed: "Rue  de l'Église" → "rue de l'eglise"."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("’", "'").replace("`", "'")
    return _SPACES.sub(" ", stripped).strip().casefold()


def tidy_street(name: str) -> str:
    """The street as it will be shown: spaces collapsed, first letter capitalised."""
    name = _SPACES.sub(" ", (name or "").replace("’", "'")).strip()
    return name[:1].upper() + name[1:] if name else name


@dataclass(frozen=True)
class ParsedStreet:
    line: int
    street: str
    postal_code: str
    number_from: int | None = None
    number_to: int | None = None


@dataclass
class ParsedStreets:
    rows: list[ParsedStreet] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, translated message)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (line, earlier line with the same street)


_SEPARATOR = re.compile(r"[;\t]")


def _number(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(value)
    return int(value)


def parse_street_lines(text: str, *, default_postal_code: str = "") -> ParsedStreets:
    """Read a pasted street list. Each line is either "street;postal code;from;to" (the numbers optional; a tab
    works as well as a semicolon) or just a street name, which then takes `default_postal_code`. Empty lines are
    skipped; a line naming the same street, postal code and numbers as an earlier one is reported as a duplicate."""
    result = ParsedStreets()
    seen: dict[tuple, int] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [part.strip() for part in _SEPARATOR.split(raw)]
        while len(parts) > 1 and parts[-1] == "":
            parts.pop()
        street = parts[0]
        if len(parts) > 4:
            result.errors.append((number, str(_("too many parts; write street;postal code;from;to"))))
            continue
        postal_code = parts[1] if len(parts) > 1 else default_postal_code
        if not street:
            result.errors.append((number, str(_("the street name is missing"))))
            continue
        if not postal_code:
            result.errors.append((number, str(_("the postal code is missing; add it or choose one for the list"))))
            continue
        if not re.fullmatch(r"[1-9]\d{3}", postal_code):
            result.errors.append(
                (number, str(_("“%(code)s” is not a Belgian postal code (four digits)") % {"code": postal_code}))
            )
            continue
        try:
            number_from = _number(parts[2]) if len(parts) > 2 else None
            number_to = _number(parts[3]) if len(parts) > 3 else None
        except ValueError as error:
            result.errors.append((number, str(_("“%(value)s” is not a house number") % {"value": error.args[0]})))
            continue
        if number_from is not None and number_to is not None and number_to < number_from:
            result.errors.append((number, str(_("the last house number is lower than the first"))))
            continue
        key = (postal_code, normalise_street(street), number_from, number_to)
        if key in seen:
            result.duplicates.append((number, seen[key]))
            continue
        seen[key] = number
        result.rows.append(
            ParsedStreet(
                line=number,
                street=tidy_street(street),
                postal_code=postal_code,
                number_from=number_from,
                number_to=number_to,
            )
        )
    return result
