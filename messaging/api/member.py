"""API of part "member": members' reports for the mandated officers of their zone (/api/v1/reports/, with the
actions acknowledge, answer and close) and members' replies for the senders (/api/v1/replies/).

Same scope and filters as the pages: a report answers the officers of its zone only (404 for everybody else; 403 for
the member who wrote it); lists answer 403 to those without the role. Responses naming members (a report's detail,
the replies) are recorded in the audit trail."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.scoping import get_for_user
from members.services.membership import audit_member_view

from .. import selectors_member as selectors
from ..forms_member import ReportFilterSet
from ..models import Reply, Report
from ..permissions import can_compose
from ..services import reports as services
from ..services.reports import ANSWER_MAX


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The report's status does not allow this: nothing was changed.")
    default_code = "status_conflict"


# --- serializers -------------------------------------------------------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    """A member's report, without who wrote it."""

    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    zone = serializers.IntegerField(source="zone_id", read_only=True, help_text="The police zone's id.")
    # Plain text rather than an enum: the languages' enum is named elsewhere in the schema.
    language = serializers.CharField(read_only=True, help_text="The member's language: nl, fr, de or en.")
    answered_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "network",
            "zone",
            "category",
            "happened_at",
            "place",
            "description",
            "vehicle_type",
            "language",
            "status",
            "created_at",
            "acknowledged_at",
            "answer",
            "answered_at",
            "answered_by",
            "closed_at",
        ]
        read_only_fields = fields


class ReportMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    mobile = serializers.CharField(read_only=True, help_text="E.164, or empty.")


class ReportDetailSerializer(ReportSerializer):
    """A report with the member who wrote it (null once they deleted their account)."""

    member = ReportMemberSerializer(read_only=True, allow_null=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "member"]
        read_only_fields = fields


class ReportAnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=ANSWER_MAX, help_text="Sent to the member by e-mail, in their language.")
    close = serializers.BooleanField(default=False, help_text="Close the report as well.")


class ReplySerializer(serializers.ModelSerializer):
    message_title = serializers.SerializerMethodField(help_text="The message's title in the caller's language.")
    member = serializers.IntegerField(source="member_id", read_only=True, allow_null=True)
    member_name = serializers.SerializerMethodField(help_text="Empty once the member deleted their account.")

    class Meta:
        model = Reply
        fields = ["id", "message", "message_title", "member", "member_name", "body", "created_at", "read_at"]
        read_only_fields = fields

    def get_message_title(self, reply: Reply) -> str:
        return reply.message.title()

    def get_member_name(self, reply: Reply) -> str:
        return reply.member.user.get_full_name() if reply.member_id else ""


# --- reports -----------------------------------------------------------------------------------------------------


class ReportListView(generics.ListAPIView):
    """Members' reports to the caller's zone(s): new ones first, then acknowledged, then closed; filterable by
    status and network (code)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    @extend_schema(operation_id="report_list")
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        if not selectors.is_zone_officer(self.request.user):
            raise PermissionDenied
        return selectors.officer_reports(user=self.request.user)


def _report(request, pk: int) -> Report:
    return get_for_user(selectors.officer_report_queryset(), request.user, "change", pk=pk)


def _detail(request, report: Report) -> Response:
    report = selectors.officer_report_queryset().get(pk=report.pk)
    if report.member_id is not None:
        audit_member_view(actor=request.user, members=[report.member_id], context="report detail (API)", obj=report)
    return Response(ReportDetailSerializer(report, context={"request": request}).data)


class ReportDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="report_retrieve", responses=ReportDetailSerializer)
    def get(self, request, pk: int):
        """One report with the member's name and contact (an audited view)."""
        return _detail(request, _report(request, pk))


def _act(function, **kwargs):
    """Run a report service: field errors answer 400, a status that does not allow the change 409."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise ValidationError(error.message_dict) from error
        raise Conflict(" ".join(error.messages)) from error


_CONFLICT = OpenApiResponse(description="The report's status does not allow this (e.g. it is closed); nothing changed.")


class ReportAcknowledgeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="report_acknowledge", request=None, responses={200: ReportDetailSerializer, 409: _CONFLICT}
    )
    def post(self, request, pk: int):
        """Acknowledge a new report."""
        report = _report(request, pk)
        _act(services.report_acknowledge, actor=request.user, report=report)
        return _detail(request, report)


class ReportAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="report_answer",
        request=ReportAnswerInputSerializer,
        responses={200: ReportDetailSerializer, 409: _CONFLICT},
    )
    def post(self, request, pk: int):
        """Answer the member (e-mailed to them in their language); optionally close the report. A closed report
        cannot be answered."""
        report = _report(request, pk)
        serializer = ReportAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _act(
            services.report_answer,
            actor=request.user,
            report=report,
            answer=serializer.validated_data["answer"],
            close=serializer.validated_data["close"],
        )
        return _detail(request, report)


class ReportCloseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="report_close", request=None, responses={200: ReportDetailSerializer, 409: _CONFLICT})
    def post(self, request, pk: int):
        """Close a report (it cannot be reopened)."""
        report = _report(request, pk)
        _act(services.report_close, actor=request.user, report=report)
        return _detail(request, report)


# --- replies -----------------------------------------------------------------------------------------------------


class ReplyListView(generics.ListAPIView):
    """Members' replies to the messages the caller follows as a sender: unread first, then newest first. Each
    response naming members is recorded in the audit trail."""

    permission_classes = [IsAuthenticated]
    serializer_class = ReplySerializer
    filter_backends: list = []

    @extend_schema(
        operation_id="reply_list",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the replies nobody read yet.")],
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Reply.objects.none()
        if not can_compose(self.request.user):
            raise PermissionDenied
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        return selectors.sender_replies(user=self.request.user, unread_only=unread)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_member_view(
            actor=request.user,
            members={reply.member_id for reply in page if reply.member_id},
            context="replies inbox (API)",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
