"""/api/v1/practices/: search the published practices (with facet counts) and read one. Public, read-only."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404  # DRF's: a malformed id is a 404, not a 500
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ..filters import FACETS, PracticeSearchForm
from ..search_selectors import practice_search, published_practices
from .serializers import PracticeDetailSerializer, PracticeListSerializer, PracticeSearchResponseSerializer

# The page's sort names, plus the usual ordering spelling for the date.
ORDERINGS = {"relevance": "relevance", "date": "date", "-published_at": "date"}

_FILTER_PARAMETERS = [
    OpenApiParameter(facet, OpenApiTypes.STR, description="Comma-separated or repeated values (alternatives).")
    for facet in FACETS
]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Words to find (accents and case ignored)."),
            *_FILTER_PARAMETERS,
            # No enum: like the search page, the API ignores a sort it does not know (tested), so any string is valid.
            OpenApiParameter(
                "ordering",
                OpenApiTypes.STR,
                description=f"One of {', '.join(ORDERINGS)}; anything else: the default (relevance with q, else date).",
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=PracticeSearchResponseSerializer,
    ),
    retrieve=extend_schema(responses=PracticeDetailSerializer),
)
class PracticeViewSet(viewsets.ViewSet):
    """Published good practices: one entry per practice and its translations, in the reader's language
    (Accept-Language) when it exists."""

    permission_classes = [AllowAny]
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def list(self, request):
        params = request.query_params.copy()
        page = params.get("page", "1")
        if not (page.isascii() and page.isdigit() and int(page) > 0):  # as DRF's pagination: 404, not page 1
            raise NotFound(_("Invalid page."))
        if "ordering" in params:
            params["sort"] = ORDERINGS.get(params["ordering"], "")
        arguments = PracticeSearchForm(params).search_arguments()
        language = (get_language() or "nl")[:2]
        page, facets = practice_search(user=request.user, language=language, **arguments)
        url = request.build_absolute_uri()
        return Response(
            {
                "count": page.paginator.count,
                "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
                "previous": (
                    None
                    if not page.has_previous()
                    else remove_query_param(url, "page")
                    if page.previous_page_number() == 1
                    else replace_query_param(url, "page", page.previous_page_number())
                ),
                "results": PracticeListSerializer(page.object_list, many=True).data,
                "facets": {facet: [asdict(value) for value in values] for facet, values in facets.items()},
            }
        )

    def retrieve(self, request, pk=None):
        practice = get_object_or_404(
            published_practices(request.user).select_related("region").prefetch_related("tags"), pk=pk
        )
        group = practice.group_id
        practice.versions = list(
            published_practices()
            .filter(Q(id=group) | Q(original_id=group))
            .order_by("id")
            .values_list("id", "language")
        )
        language = (get_language() or "nl")[:2]
        practice.other_language = practice.language != language
        return Response(PracticeDetailSerializer(practice).data)
