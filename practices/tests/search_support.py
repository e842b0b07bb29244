"""Practices for the search, list, feed and API tests, created directly (no services needed) and indexed."""

from __future__ import annotations

from django.utils import timezone

from practices.choices import Facet, PracticeStatus
from practices.models import Practice, PracticeTag
from practices.search import search_index_update

_counter = iter(range(1, 10**6))


def make_practice(
    *,
    title: str = "A practice",
    summary: str = "",
    language: str = "nl",
    status: str = PracticeStatus.PUBLISHED,
    themes: tuple[str, ...] = ("burglary",),
    kinds: tuple[str, ...] = ("residential",),
    original: Practice | None = None,
    published_at=None,
    index: bool = True,
    **fields,
) -> Practice:
    number = next(_counter)
    if status == PracticeStatus.PUBLISHED and published_at is None:
        published_at = timezone.now() - timezone.timedelta(minutes=10**5 - number)
    practice = Practice.objects.create(
        title=title,
        summary=summary or f"Summary {number}",
        problem=fields.pop("problem", "Problem text"),
        actions=fields.pop("actions", "Actions text"),
        results=fields.pop("results", "Results text"),
        language=language,
        status=status,
        original=original,
        published_at=published_at,
        **fields,
    )
    for value in themes:
        PracticeTag.objects.create(practice=practice, facet=Facet.THEME, value=value)
    for value in kinds:
        PracticeTag.objects.create(practice=practice, facet=Facet.KIND, value=value)
    if index:
        search_index_update(practice)
    return practice
