"""/api/v1/finder/: the public finder as JSON (read-only, no sign-in, rate limited)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import selectors
from .forms import FinderForm
from .public import result_public


class PublicNetworkSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    municipality = serializers.CharField()
    municipality_url = serializers.CharField()
    zone = serializers.CharField()
    zone_url = serializers.CharField()
    public_description = serializers.CharField()
    public_email = serializers.CharField()
    public_phone = serializers.CharField()
    how_to_join = serializers.CharField()
    join_url = serializers.CharField(help_text="The network's join form (a path on this site).")


class FinderResultSerializer(serializers.Serializer):
    networks = PublicNetworkSerializer(many=True, help_text="Active networks covering the address or point.")
    nearby = PublicNetworkSerializer(
        many=True, help_text="Where none covers it: active networks of the same municipality (at most five)."
    )
    municipalities = inline_serializer(
        "FinderMunicipality",
        {"name": serializers.CharField(), "refnis": serializers.CharField(), "url": serializers.CharField()},
        many=True,
    )


class FinderView(APIView):
    """Which active networks cover an address (`postal_code`, `street`, optional `number`) or a point
    (`lat`, `lon`). Forgiving about case, accents, abbreviations and small typos."""

    permission_classes = [AllowAny]
    throttle_scope = "finder"

    def get_throttles(self):
        # The finder's own limit, on top of the defaults; none where throttling is switched off (the tests).
        if not api_settings.DEFAULT_THROTTLE_CLASSES:
            return []
        return [*super().get_throttles(), ScopedRateThrottle()]

    @extend_schema(
        operation_id="finder",
        parameters=[
            OpenApiParameter("postal_code", OpenApiTypes.STR, description="Belgian postal code (four digits)."),
            OpenApiParameter("street", OpenApiTypes.STR, description="Street name, in any official language."),
            OpenApiParameter("number", OpenApiTypes.INT, description="House number (optional)."),
            OpenApiParameter("lat", OpenApiTypes.FLOAT, description="Latitude (WGS84), instead of an address."),
            OpenApiParameter("lon", OpenApiTypes.FLOAT, description="Longitude (WGS84), instead of an address."),
        ],
        responses={
            200: FinderResultSerializer,
            400: inline_serializer(
                "FinderErrors",
                {"errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField()))},
            ),
        },
    )
    def get(self, request):
        form = FinderForm(request.query_params)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=400)
        return Response(result_public(selectors.find(**form.query())))
