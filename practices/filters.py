"""The search form of the practices library, shared by the page and the API: the query, the facet filters (several
values of one facet are alternatives) and the sort order. Invalid values are dropped, never an error: a stale link
still shows results."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from networks.choices import NetworkKind

from .choices import EvidenceLevel, Theme

NATIONAL = "national"  # the region filter value of practices without a region (several regions, the whole country)
FACETS = ("theme", "kind", "region", "evidence", "language")
SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
SORT_CHOICES = [(SORT_RELEVANCE, _("relevance")), (SORT_DATE, _("newest first"))]
REGION_CODES = ("02000", "03000", "04000")


def facet_choices(facet: str) -> list[tuple[str, str]]:
    """The values a facet filter accepts, in display order (regions: REFNIS codes and NATIONAL)."""
    if facet == "theme":
        return list(Theme.choices)
    if facet == "kind":
        return list(NetworkKind.choices)
    if facet == "evidence":
        return list(EvidenceLevel.choices)
    if facet == "language":
        return [(code, name) for code, name in settings.LANGUAGES]
    if facet == "region":
        return [(code, code) for code in REGION_CODES] + [(NATIONAL, _("national or several regions"))]
    raise ValueError(facet)


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(required=False, min_value=1)

    def search_arguments(self) -> dict:
        """Keyword arguments for practice_search: q, filters, sort, page (bad values dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        q = (data.get("q") or "").strip()
        sort = data.get("sort") or (SORT_RELEVANCE if q else SORT_DATE)
        return {"q": q, "filters": parse_filters(self.data), "sort": sort, "page": data.get("page") or 1}


def parse_filters(data) -> dict[str, list[str]]:
    """{facet: [values]} from a query dict: repeated parameters or comma-separated values, unknown values dropped."""
    filters: dict[str, list[str]] = {}
    for facet in FACETS:
        raw = data.getlist(facet) if hasattr(data, "getlist") else data.get(facet) or []
        if isinstance(raw, str):
            raw = [raw]
        allowed = {value for value, _label in facet_choices(facet)}
        values: list[str] = []
        for item in raw:
            for value in str(item).split(","):
                value = value.strip()
                if value in allowed and value not in values:
                    values.append(value)
        if values:
            filters[facet] = values
    return filters
