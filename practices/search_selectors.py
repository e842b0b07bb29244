"""Reads of the public library: the search page / API (results grouped per practice, facet counts), the related
practices of a practice, the newest practices for the feed.

Only published practices are ever read here, whoever asks (drafts live in the author's and moderators' pages).
A practice and its translations form a *group* (`Practice.group_id`); the library shows one entry per group, in
the reader's language when that version is published, else the original (flagged `other_language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from geography.models import Region
from networks.choices import NetworkKind

from .choices import Facet, PracticeStatus, Theme
from .filters import FACETS, NATIONAL, SORT_DATE, SORT_RELEVANCE, facet_choices
from .library import GROUP_FACETS, BitTest, library, lowest_bits
from .models import Practice
from .search import search

PAGE_SIZE = 20
# What a list entry, the feed and the API list read (not the long text fields).
LIST_FIELDS = (
    "id",
    "original_id",
    "language",
    "status",
    "title",
    "summary",
    "evidence_level",
    "region",
    "helpful_count",
    "published_at",
    "updated_at",
)
_GROUP = Coalesce("original_id", "id")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


def published_practices(user=None) -> QuerySet[Practice]:
    return Practice.objects.for_user(user, "view").filter(status=PracticeStatus.PUBLISHED)


def shown_versions(group_ids: Sequence[int], *, language: str | None, languages: Sequence[str] = (), lib=None) -> dict:
    """{group id: the published version to show}: the one in the reader's `language`, else the original, else the
    oldest published version; restricted to `languages` when the reader filtered on them. Each gets
    `other_language` (True when it is not in the reader's language), `themes`, `kinds` and `theme_labels`. The
    choice and the tags come from the library's snapshot; one query reads the chosen practices by primary key."""
    if not group_ids:
        return {}
    lib = lib or library()
    chosen: dict[int, int] = {}  # practice id -> group id
    for group in group_ids:
        candidates = [v for v in lib.versions.get(group, ()) if not languages or v[2] in languages]
        if candidates:
            best = min(candidates, key=lambda v: _preference_of(v[2], v[3], language))
            chosen[best[1]] = group
    shown: dict[int, Practice] = {}
    for version in Practice.objects.filter(id__in=list(chosen)).only(*LIST_FIELDS).select_related("region"):
        position = lib.position[version.pk]
        themes, kinds = lib.values_at("theme", position), lib.values_at("kind", position)
        version.other_language = bool(language) and version.language != language
        version.themes = [value for value in Theme.values if value in themes]
        version.kinds = [value for value in NetworkKind.values if value in kinds]
        version.theme_labels = [Theme(value).label for value in version.themes]
        shown[chosen[version.pk]] = version
    return shown


def _preference_of(version_language: str, is_original: bool, language: str | None) -> int:
    if language and version_language == language:
        return 0
    return 1 if is_original else 2


def practice_search(
    *,
    user,
    q: str = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "",
    language: str | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> tuple[Page, dict[str, list[FacetValue]]]:
    """One page of the library (entries: Practice instances with `other_language`, `themes`, `kinds` and
    `search_rank`) and the facet counts of the current result set: for each facet, the number of entries each of
    its values would give, with the other facets' filters applied (values of one facet are alternatives).

    Filtering, counting and ordering by date work on the library's facet bitmaps (practices.library); the database
    answers the full-text match and reads the page's practices. Published practices only, whoever asks."""
    filters = {facet: values for facet, values in (filters or {}).items() if facet in FACETS and values}
    sort = sort if sort in (SORT_RELEVANCE, SORT_DATE) else (SORT_RELEVANCE if q else SORT_DATE)
    lib = library()
    ranks: dict[int, float] = {}
    if q:
        ranks = {pk: rank for pk, rank in search(q) if pk in lib.position}
        matched_by_language = lib.by_language(ranks)
    else:
        matched_by_language = lib.languages
    chosen_languages = filters.get("language", [])
    matched = _or(matched_by_language.get(code, 0) for code in (chosen_languages or matched_by_language))
    facet_masks = {
        facet: _or(lib.masks[facet].get(value, 0) for value in filters[facet])
        for facet in GROUP_FACETS
        if facet in filters
    }
    results = matched
    for mask in facet_masks.values():
        results &= mask

    if sort == SORT_RELEVANCE and q:
        best: dict[int, float] = {}
        kept = BitTest(results, len(lib.group_ids))
        for pk, rank in ranks.items():
            if chosen_languages and lib.language_of[pk] not in chosen_languages:
                continue
            position = lib.position[pk]
            if position in kept and rank > best.get(position, float("-inf")):
                best[position] = rank
        ordered = sorted(best.items(), key=lambda item: (-item[1], -lib.group_ids[item[0]]))
        groups: list | _BitmapGroups = [(lib.group_ids[position], rank) for position, rank in ordered]
    else:
        groups = _BitmapGroups(lib, results)
    paginator = Paginator(groups, per_page)
    page_obj = paginator.get_page(page)
    group_ranks = list(page_obj.object_list)
    versions = shown_versions(
        [group for group, _rank in group_ranks], language=language, languages=chosen_languages, lib=lib
    )
    entries = []
    for group, rank in group_ranks:
        version = versions.get(group)
        if version is not None:
            version.search_rank = rank
            entries.append(version)
    page_obj.object_list = entries
    return page_obj, _facet_values(lib, filters, matched_by_language, matched, facet_masks)


def _or(masks) -> int:
    result = 0
    for mask in masks:
        result |= mask
    return result


class _BitmapGroups:
    """The groups of a result bitmap, newest publication first (bit 0 is the newest), for the Paginator."""

    def __init__(self, lib, mask: int):
        self.lib, self.mask = lib, mask

    def count(self) -> int:
        return self.mask.bit_count()

    def __getitem__(self, index: slice) -> list[tuple[int, float | None]]:
        start = index.start or 0
        positions = lowest_bits(self.mask, start, (index.stop or self.count()) - start)
        return [(self.lib.group_ids[position], None) for position in positions]


def _facet_values(lib, filters, matched_by_language, matched, facet_masks) -> dict[str, list[FacetValue]]:
    """Entries (groups) per facet value, each facet counted with the other facets' filters applied."""
    facets: dict[str, list[FacetValue]] = {}
    region_names = None
    for facet in FACETS:
        others = lib.all_groups
        for other, mask in facet_masks.items():
            if other != facet:
                others &= mask
        if facet == "language":
            counts = {code: (mask & others).bit_count() for code, mask in matched_by_language.items()}
        else:
            scope = matched & others
            counts = {value: (mask & scope).bit_count() for value, mask in lib.masks[facet].items()}
        selected = filters.get(facet, [])
        if facet == "region" and region_names is None:
            region_names = {region.refnis: region.name for region in Region.objects.all()}
        values = []
        for value, label in facet_choices(facet):
            count = counts.get(value, 0)
            if count or value in selected:
                if facet == "region" and value != NATIONAL:
                    label = region_names.get(value, value)
                values.append(FacetValue(value=value, label=str(label), count=count, selected=value in selected))
        facets[facet] = values
    return facets


def related_practices(practice: Practice, limit: int = 4, *, user=None, language: str | None = None) -> list[Practice]:
    """Published practices sharing themes with `practice` (most shared themes first), then of the same kind of
    network; never the practice itself or its translations; one entry per group, in the reader's language
    (default: the active language) when possible. Public data: `user` changes nothing."""
    language = language or (get_language() or "nl")[:2]
    group = practice.group_id
    tags = list(practice.tags.values_list("facet", "value"))
    themes = [value for facet, value in tags if facet == Facet.THEME]
    kinds = [value for facet, value in tags if facet == Facet.KIND]
    if not themes and not kinds:
        return []
    candidates = (
        published_practices()
        .exclude(id=group)
        .exclude(original_id=group)
        .annotate(
            group=_GROUP,
            shared_themes=Count("tags", filter=Q(tags__facet=Facet.THEME, tags__value__in=themes)),
            shared_kinds=Count("tags", filter=Q(tags__facet=Facet.KIND, tags__value__in=kinds)),
        )
        .filter(Q(shared_themes__gt=0) | Q(shared_kinds__gt=0))
        .order_by("-shared_themes", "-shared_kinds", "-published_at")
        .values_list("group", flat=True)[: limit * 4]
    )
    ordered: list[int] = []
    for candidate in candidates:
        if candidate not in ordered:
            ordered.append(candidate)
        if len(ordered) == limit:
            break
    versions = shown_versions(ordered, language=language)
    return [versions[group_id] for group_id in ordered if group_id in versions]


def practice_latest(*, language: str | None, limit: int = 30) -> list[Practice]:
    """The newest published groups (by their latest publication), each in the reader's language when possible."""
    lib = library()
    groups = lib.group_ids[:limit]
    versions = shown_versions(groups, language=language, lib=lib)
    return [versions[group] for group in groups if group in versions]
