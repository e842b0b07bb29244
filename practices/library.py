"""The published library as facet bitmaps, kept in process memory: what the search page needs to filter, count
facets and order by date without scanning the practices table five to seven times per request.

Each *group* (an original and its translations) gets a bit position, by date: position 0 is the group published
most recently. For every facet value there is one integer whose set bits are the groups having that value; filters
are ANDs (between facets) and ORs (within a facet) of those integers, a facet count is a popcount. Themes, kinds,
region and evidence level belong to the group (translations copy them; a group holding versions that differ counts
under each of their values). Language and the full-text match belong to a version: they are combined per version
before being turned into groups, so "French and matching the words" means the French version matches them.

The snapshot is rebuilt when the library changes: a fingerprint read on every request (one cheap aggregate query)
names the state of the practices and their tags.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max

from .choices import PracticeStatus
from .filters import NATIONAL
from .models import Practice, PracticeTag

GROUP_FACETS = ("theme", "kind", "region", "evidence")


@dataclass
class Library:
    fingerprint: tuple
    group_ids: list[int] = field(default_factory=list)  # bit position -> group id (newest first)
    position: dict[int, int] = field(default_factory=dict)  # practice id -> bit position of its group
    language_of: dict[int, str] = field(default_factory=dict)  # practice id -> language
    all_groups: int = 0
    languages: dict[str, int] = field(default_factory=dict)  # language -> groups with a version in it
    masks: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> groups
    # group id -> its published versions as (published_at, practice id, language, is the original), oldest first
    versions: dict[int, list[tuple]] = field(default_factory=dict)

    def values_at(self, facet: str, position: int) -> set[str]:
        """The values of a group facet that the group at `position` has."""
        return {value for value, mask in self.masks.get(facet, {}).items() if mask >> position & 1}

    def by_language(self, practice_ids: Iterable[int]) -> dict[str, int]:
        """{language: the groups (as bits) of these practices in that language}."""
        positions: dict[str, list[int]] = {}
        for pk in practice_ids:
            position = self.position.get(pk)
            if position is not None:
                positions.setdefault(self.language_of[pk], []).append(position)
        return {language: mask_of(found, len(self.group_ids)) for language, found in positions.items()}


def mask_of(positions: Iterable[int], size: int) -> int:
    """The integer with these bits set, built in one pass (OR-ing one bit at a time copies the whole integer)."""
    buffer = bytearray((size >> 3) + 1)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


class BitTest:
    """Constant-time tests of single bits of a large integer (a shift per test would copy the integer)."""

    def __init__(self, mask: int, size: int):
        self.buffer = mask.to_bytes((size >> 3) + 1, "little")

    def __contains__(self, position: int) -> bool:
        return bool(self.buffer[position >> 3] >> (position & 7) & 1)


_lock = threading.Lock()
_current: dict[str, Library] = {}


def _fingerprint() -> tuple:
    """Changes whenever a practice is added or changed (its auto-updated timestamp, read through its index), a
    practice is published or leaves publication, or a tag is added or removed. Separate single-aggregate queries,
    so that SQLite answers each from an index instead of reading the practices' long rows."""
    changed = Practice.objects.aggregate(changed=Max("updated_at"))["changed"]
    published = Practice.objects.filter(status=PracticeStatus.PUBLISHED).count()
    last_tag = PracticeTag.objects.aggregate(last=Max("id"))["last"]
    tags = PracticeTag.objects.count()
    return (connection.alias, changed, published, last_tag, tags)


def library() -> Library:
    fingerprint = _fingerprint()
    current = _current.get(connection.alias)
    if current is not None and current.fingerprint == fingerprint:
        return current
    with _lock:
        built = _build(fingerprint)
        _current[connection.alias] = built
    return built


def _build(fingerprint: tuple) -> Library:
    rows = list(
        Practice.objects.filter(status=PracticeStatus.PUBLISHED).values_list(
            "id", "original_id", "language", "evidence_level", "region__refnis", "published_at"
        )
    )
    latest: dict[int, object] = {}
    for pk, original, _language, _evidence, _region, published_at in rows:
        group = original or pk
        if group not in latest or published_at > latest[group]:
            latest[group] = published_at
    group_ids = sorted(latest, key=lambda group: (latest[group], group), reverse=True)
    group_position = {group: index for index, group in enumerate(group_ids)}
    lib = Library(fingerprint=fingerprint, group_ids=group_ids)
    lib.all_groups = (1 << len(group_ids)) - 1
    masks: dict[str, dict[str, int]] = {facet: {} for facet in GROUP_FACETS}

    def add(facet: str, value: str, bit: int) -> None:
        masks[facet][value] = masks[facet].get(value, 0) | bit

    for pk, original, language, evidence, region, published_at in rows:
        lib.versions.setdefault(original or pk, []).append((published_at, pk, language, original is None))
        position = group_position[original or pk]
        bit = 1 << position
        lib.position[pk] = position
        lib.language_of[pk] = language
        lib.languages[language] = lib.languages.get(language, 0) | bit
        add("evidence", evidence, bit)
        add("region", region or NATIONAL, bit)
    tags = PracticeTag.objects.filter(practice__status=PracticeStatus.PUBLISHED).values_list(
        "practice_id", "facet", "value"
    )
    for pk, facet, value in tags:
        if facet in masks and pk in lib.position:
            add(facet, value, 1 << lib.position[pk])
    lib.masks = masks
    for versions in lib.versions.values():
        versions.sort()
    return lib


def lowest_bits(mask: int, offset: int, limit: int) -> list[int]:
    """The positions of the set bits of `mask` from the `offset`-th to the `offset + limit`-th, lowest first."""
    positions: list[int] = []
    index = 0
    while mask and len(positions) < limit:
        low = mask & -mask
        if index >= offset:
            positions.append(low.bit_length() - 1)
        index += 1
        mask ^= low
    return positions
