"""The annual reports API (/api/v1/annual-reports/…): the list and one report with its figures — frozen reports for
everybody (anonymous too, throttled like every anonymous endpoint), drafts for ADVP and the Knowledge Centre (404 for
anybody else, as on the pages). ADVP starts a draft (POST on the list) and freezes it (POST …/freeze/); the writes go
through dashboard.report_services. The PDFs are links to the pages' downloads."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_call

from .. import report_permissions as permissions
from .. import report_services as services
from ..models import AnnualReport, AnnualReportStatus
from ..report_document import report_figures
from ..report_pdf import LANGUAGES


class AnnualReportSerializer(serializers.ModelSerializer):
    pdf = serializers.SerializerMethodField(help_text="The PDF download of each language (nl, fr, de, en).")

    class Meta:
        model = AnnualReport
        fields = ["year", "status", "created_at", "frozen_at", "pdf"]

    def get_pdf(self, report: AnnualReport) -> dict[str, str]:
        request = self.context.get("request")
        links = {code: reverse("dashboard:report_pdf", args=[report.year, code]) for code in LANGUAGES}
        return {code: request.build_absolute_uri(url) if request else url for code, url in links.items()}


class AnnualReportDetailSerializer(AnnualReportSerializer):
    figures = serializers.SerializerMethodField(
        help_text="Every figure of the report (dashboard.report_selectors): a compared figure is "
        '{"value": this year, "previous": the year before}.'
    )
    foreword = serializers.SerializerMethodField()
    comments = serializers.JSONField(help_text="{section: {language: Markdown text}}")

    class Meta(AnnualReportSerializer.Meta):
        fields = [*AnnualReportSerializer.Meta.fields, "foreword", "comments", "figures"]

    def get_figures(self, report: AnnualReport) -> dict:
        return report_figures(report)

    def get_foreword(self, report: AnnualReport) -> dict[str, str]:
        return {code: getattr(report, f"foreword_{code}") for code in LANGUAGES}


class AnnualReportStartSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


def _readable(request):
    reports = AnnualReport.objects.all()
    if not permissions.can_read_drafts(request.user):
        reports = reports.filter(status=AnnualReportStatus.FROZEN)
    return reports


def _report(request, year: int) -> AnnualReport:
    report = _readable(request).filter(year=year).first()
    if report is None:
        raise NotFound
    return report


class AnnualReportListView(APIView):
    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(operation_id="annual_report_list", responses={200: AnnualReportSerializer(many=True)})
    def get(self, request):
        return Response(AnnualReportSerializer(_readable(request), many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="annual_report_start",
        request=AnnualReportStartSerializer,
        responses={
            201: AnnualReportSerializer,
            400: OpenApiResponse(description="No figures for the year, or a report exists"),
            403: OpenApiResponse(description="Not ADVP"),
        },
    )
    def post(self, request):
        if not permissions.can_write_reports(request.user):
            raise PermissionDenied
        data = AnnualReportStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = service_call(services.report_start, actor=request.user, year=data.validated_data["year"])
        return Response(
            AnnualReportSerializer(report, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class AnnualReportDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="annual_report_retrieve", responses={200: AnnualReportDetailSerializer})
    def get(self, request, year: int):
        report = _report(request, year)
        return Response(AnnualReportDetailSerializer(report, context={"request": request}).data)


class AnnualReportFreezeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="annual_report_freeze",
        request=None,
        responses={
            200: AnnualReportSerializer,
            400: OpenApiResponse(description="The year is not over, or the report is frozen already"),
            403: OpenApiResponse(description="Not ADVP"),
        },
    )
    def post(self, request, year: int):
        report = _report(request, year)
        if not permissions.can_write_reports(request.user):
            raise PermissionDenied
        report = service_call(services.report_freeze, actor=request.user, report=report)
        return Response(AnnualReportSerializer(report, context={"request": request}).data)
