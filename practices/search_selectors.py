"""Reads of the public library: the search page / API (results grouped per practice, facet counts), the related
practices of a practice, the newest practices for the feed.

Only published practices are ever read here, whoever asks (drafts live in the author's and moderators' pages).
A practice and its translations form a *group* (`Practice.group_id`); the library shows one entry per group, in
the reader's language when that version is published, else the original (flagged `other_language`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from geography.models import Region

from .choices import Facet, PracticeStatus, Theme
from .filters import FACETS, NATIONAL, SORT_DATE, SORT_RELEVANCE, facet_choices
from .models import Practice, PracticeTag
from .search import matching_ids_sql, search

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


def _apply_filters(queryset: QuerySet[Practice], filters: dict[str, list[str]], skip: str | None = None):
    for facet, values in filters.items():
        if facet == skip or not values:
            continue
        if facet in ("theme", "kind"):
            tagged = PracticeTag.objects.filter(facet=facet, value__in=values).values("practice_id")
            queryset = queryset.filter(id__in=tagged)
        elif facet == "region":
            condition = Q(region__refnis__in=[value for value in values if value != NATIONAL])
            if NATIONAL in values:
                condition |= Q(region__isnull=True)
            queryset = queryset.filter(condition)
        elif facet == "evidence":
            queryset = queryset.filter(evidence_level__in=values)
        elif facet == "language":
            queryset = queryset.filter(language__in=values)
    return queryset


def _apply_query(queryset: QuerySet[Practice], q: str) -> QuerySet[Practice]:
    if not q:
        return queryset
    subquery = matching_ids_sql(q)
    if subquery is None:  # nothing but punctuation: nothing matches
        return queryset.none()
    return queryset.filter(id__in=RawSQL(*subquery))  # noqa: S611 - fixed SQL, the words are parameters


class _DateOrderedGroups:
    """The groups of a queryset, newest publication first, counted and sliced in SQL (for the Paginator)."""

    def __init__(self, queryset: QuerySet[Practice]):
        self.grouped = queryset.annotate(group=_GROUP).values("group")

    def count(self) -> int:
        return self.grouped.distinct().count()

    def __getitem__(self, index: slice) -> list[tuple[int, float | None]]:
        rows = self.grouped.annotate(latest=Max("published_at")).order_by("-latest", "-group")[index]
        return [(row["group"], None) for row in rows]


def _relevance_ordered_groups(queryset: QuerySet[Practice], q: str) -> list[tuple[int, float]]:
    ranks = dict(search(q))
    if not ranks:
        return []
    best: dict[int, float] = {}
    for pk, group in queryset.annotate(group=_GROUP).values_list("id", "group"):
        rank = ranks.get(pk)
        if rank is not None and rank > best.get(group, float("-inf")):
            best[group] = rank
    return sorted(best.items(), key=lambda item: (-item[1], -item[0]))


def shown_versions(group_ids: Sequence[int], *, language: str | None, languages: Sequence[str] = ()) -> dict:
    """{group id: the published version to show}: the one in the reader's `language`, else the original, else the
    oldest published version; restricted to `languages` when the reader filtered on them. Each gets
    `other_language` (True when it is not in the reader's language). Two queries (practices + their tags)."""
    if not group_ids:
        return {}
    # By primary key and original only, status checked here: a status condition would make the planner walk the
    # status index over every published practice instead of looking up these few rows.
    versions = (
        Practice.objects.filter(Q(id__in=group_ids) | Q(original_id__in=group_ids))
        .only(*LIST_FIELDS)
        .select_related("region")
        .prefetch_related("tags")
    )
    versions = sorted(
        (v for v in versions if v.status == PracticeStatus.PUBLISHED and (not languages or v.language in languages)),
        key=lambda v: (v.published_at, v.pk),
    )
    chosen: dict[int, Practice] = {}
    for version in versions:
        current = chosen.get(version.group_id)
        if current is None or _preference(version, language) < _preference(current, language):
            chosen[version.group_id] = version
    for version in chosen.values():
        version.other_language = bool(language) and version.language != language
        tags = list(version.tags.all())
        version.themes = [tag.value for tag in tags if tag.facet == Facet.THEME]
        version.kinds = [tag.value for tag in tags if tag.facet == Facet.KIND]
        version.theme_labels = [Theme(value).label for value in version.themes if value in Theme.values]
    return chosen


def _preference(version: Practice, language: str | None) -> int:
    if language and version.language == language:
        return 0
    return 1 if version.original_id is None else 2


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
    its values would give, with the other facets' filters applied (values of one facet are alternatives)."""
    filters = {facet: values for facet, values in (filters or {}).items() if facet in FACETS and values}
    sort = sort if sort in (SORT_RELEVANCE, SORT_DATE) else (SORT_RELEVANCE if q else SORT_DATE)
    matching = _apply_query(published_practices(user), q)
    results = _apply_filters(matching, filters)

    if sort == SORT_RELEVANCE and q:
        groups: _DateOrderedGroups | list = _relevance_ordered_groups(results, q)
    else:
        groups = _DateOrderedGroups(results)
    paginator = Paginator(groups, per_page)
    page_obj = paginator.get_page(page)
    group_ranks = list(page_obj.object_list)
    versions = shown_versions(
        [group for group, _rank in group_ranks], language=language, languages=filters.get("language", ())
    )
    entries = []
    for group, rank in group_ranks:
        version = versions.get(group)
        if version is not None:
            version.search_rank = rank
            entries.append(version)
    page_obj.object_list = entries
    return page_obj, facet_counts(matching, filters)


def facet_counts(matching: QuerySet[Practice], filters: dict[str, list[str]]) -> dict[str, list[FacetValue]]:
    """Entries (groups) per facet value; one GROUP BY query per facet."""
    facets: dict[str, list[FacetValue]] = {}
    region_names = None
    for facet in FACETS:
        scope = _apply_filters(matching, filters, skip=facet)
        if facet in ("theme", "kind"):
            rows = _tag_counts(scope, facet)
        else:
            column = {"region": "region__refnis", "evidence": "evidence_level", "language": "language"}[facet]
            rows = scope.values(column).annotate(n=Count(_GROUP, distinct=True)).values_list(column, "n")
        counts = {(value or NATIONAL) if facet == "region" else value: n for value, n in rows}
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


def _tag_counts(scope: QuerySet[Practice], facet: str) -> list[tuple[str, int]]:
    """(value, groups) of one tag facet over `scope`. Raw SQL for the join order: from the practices (their covering
    library index) to their tags (the unique (practice, facet, value) index covers them) — SQLite's planner, without
    statistics, would rather start from every tag of the facet and read each practice's wide row. CROSS JOIN fixes
    that order on SQLite; PostgreSQL plans it freely."""
    try:
        scope_sql, scope_params = scope.values("id", "original_id").query.sql_with_params()
    except EmptyResultSet:  # e.g. a query of punctuation only: nothing to count
        return []
    tag_table = PracticeTag._meta.db_table
    # The scope is Django's own compiled SQL with its parameters kept apart; the table name is the model's.
    sql = (
        f"SELECT t.value, COUNT(DISTINCT COALESCE(s.original_id, s.id)) FROM ({scope_sql}) s "  # noqa: S608
        f"CROSS JOIN {tag_table} t WHERE t.practice_id = s.id AND t.facet = %s GROUP BY t.value"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scope_params, facet])
        return cursor.fetchall()


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
    groups = [group for group, _rank in _DateOrderedGroups(published_practices())[:limit]]
    versions = shown_versions(groups, language=language)
    return [versions[group] for group in groups if group in versions]
