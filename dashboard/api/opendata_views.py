"""The open data API (/api/v1/open-data/…): the index of datasets and one dataset per level, as JSON or, with
`?format=csv`, as CSV. Anonymous and read-only, throttled like every anonymous endpoint (DEFAULT_THROTTLE_CLASSES).
The same rows as the downloads of /statistics/open-data/ (dashboard.opendata_export)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import opendata_export as export
from .. import opendata_selectors as opendata


class OpenDataCSVRenderer(renderers.BaseRenderer):
    """The rows as CSV (UTF-8, semicolons); an error as its message in plain text."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "rows" in data:
            return export.csv_rows(data["rows"], data["metadata"]["columns"]).encode()
        if isinstance(data, dict):
            return "\n".join(
                " ".join(str(item) for item in value) if isinstance(value, list) else str(value)
                for value in data.values()
            ).encode()
        return str(data).encode()


class OpenDataDatasetSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=opendata.LEVELS)
    title = serializers.CharField()
    url = serializers.CharField()
    csv_url = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())


class OpenDataIndexSerializer(serializers.Serializer):
    licence = serializers.CharField()
    licence_url = serializers.CharField()
    attribution = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    data_dictionary = serializers.CharField(help_text="The page that explains every column, in nl, fr, de and en.")
    datasets = OpenDataDatasetSerializer(many=True)


class OpenDataSuppressionSerializer(serializers.Serializer):
    min_count = serializers.IntegerField()
    rule = serializers.CharField()


class OpenDataMetadataSerializer(serializers.Serializer):
    title = serializers.CharField()
    level = serializers.ChoiceField(choices=opendata.LEVELS)
    year = serializers.IntegerField(allow_null=True)
    years = serializers.ListField(child=serializers.IntegerField())
    columns = serializers.ListField(child=serializers.CharField())
    licence = serializers.CharField()
    licence_url = serializers.CharField()
    attribution = serializers.CharField()
    suppression = OpenDataSuppressionSerializer()
    generated_at = serializers.CharField()


class OpenDataSerializer(serializers.Serializer):
    metadata = OpenDataMetadataSerializer()
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per place and year, with the columns named in metadata.columns.",
    )


class OpenDataIndexView(APIView):
    """The datasets of the open data: one per level (municipality, zone, province, country), with the licence."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(operation_id="open_data_index", responses={200: OpenDataIndexSerializer})
    def get(self, request):
        datasets = [
            {
                "level": level,
                "title": export.level_title(level),
                "url": request.build_absolute_uri(reverse("open_data_level", args=[level])),
                "csv_url": request.build_absolute_uri(reverse("open_data_level", args=[level]) + "?format=csv"),
                "columns": opendata.columns(level),
            }
            for level in opendata.LEVELS
        ]
        return Response(
            OpenDataIndexSerializer(
                {
                    "licence": opendata.LICENCE,
                    "licence_url": opendata.LICENCE_URL,
                    "attribution": opendata.attribution(),
                    "years": opendata.available_years(),
                    "data_dictionary": request.build_absolute_uri(reverse("dashboard:open_data")),
                    "datasets": datasets,
                }
            ).data
        )


class OpenDataLevelView(APIView):
    """Aggregate figures of one level for every year, or for `year`: the same rows as the CSV and JSON downloads.
    Member counts below the threshold are withheld (`members` null, `members_suppressed` true)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    renderer_classes = [renderers.JSONRenderer, OpenDataCSVRenderer]

    @extend_schema(
        operation_id="open_data_level",
        parameters=[
            OpenApiParameter(
                "level",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                enum=list(opendata.LEVELS),
                description="municipality, zone, province or country.",
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description="Only this year (default: every year)."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="csv for CSV."),
        ],
        responses={
            200: OpenDataSerializer,
            400: OpenApiResponse(description="The year is not a year, or there are no figures for it."),
            404: OpenApiResponse(description="No such level."),
        },
    )
    def get(self, request, level: str):
        try:
            opendata.check_level(level)
        except LookupError as error:
            raise NotFound(str(error)) from error
        data = opendata.open_data()
        try:
            year = opendata.parse_year(request.query_params.get("year"), data.years)
        except DjangoValidationError as error:
            raise ValidationError({"year": error.messages}) from error
        response = Response(export.json_document(level, year, data))
        if getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "csv":
            response["Content-Disposition"] = f'attachment; filename="{export.file_name(level, year, "csv")}"'
        return response
