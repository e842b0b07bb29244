"""The committee API (/api/v1/committee/…): the composition (ADVP and the Knowledge Centre), meetings (the
committee reads them, ADVP and the Knowledge Centre create them) and action items (read by the committee, status
moved by ADVP and the Knowledge Centre). Outsiders get 404, as on the pages; writes go through the services."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_call
from core.scoping import get_for_user

from .. import permissions, selectors
from ..models import ActionItem, AgendaItem, Meeting, SeatCategory, SeatTerm
from ..services import actions, meetings
from . import serializers as s


def _reader(user) -> None:
    permissions.require_reader(user)


def _preparer(user) -> None:
    permissions.require_reader(user)
    if not permissions.can_prepare(user):
        raise PermissionDenied


class SeatListView(generics.ListAPIView):
    """The seat categories with the current terms (ADVP and the Knowledge Centre)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SeatCategorySerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return SeatCategory.objects.none()
        _preparer(self.request.user)
        current = SeatTerm.objects.current().select_related("user", "category").order_by("seat_number")
        return (
            SeatCategory.objects.for_user(self.request.user, "view")
            .prefetch_related(Prefetch("terms", queryset=current, to_attr="current_terms"))
            .order_by("order", "code")
        )

    @extend_schema(operation_id="committee_seat_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class TermListView(generics.ListAPIView):
    """Every term, past, current and coming (ADVP and the Knowledge Centre)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.SeatTermSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return SeatTerm.objects.none()
        _preparer(self.request.user)
        return (
            SeatTerm.objects.for_user(self.request.user, "view")
            .select_related("user", "category")
            .order_by("category__order", "seat_number", "starts_on")
        )

    @extend_schema(operation_id="committee_term_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeetingListView(generics.ListAPIView):
    """Meetings, latest first (the committee); ADVP and the Knowledge Centre plan one (POST)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.MeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Meeting.objects.none()
        _reader(self.request.user)
        return Meeting.objects.for_user(self.request.user, "view").order_by("-starts_at", "pk")

    @extend_schema(operation_id="committee_meeting_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="committee_meeting_create",
        request=s.MeetingInputSerializer,
        responses={
            201: s.MeetingSerializer,
            400: OpenApiResponse(description="Bad input, by field."),
            403: OpenApiResponse(description="Not ADVP or the Knowledge Centre."),
        },
    )
    def post(self, request, *args, **kwargs):
        _preparer(request.user)
        data = s.MeetingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = service_call(meetings.meeting_create, actor=request.user, **data.validated_data)
        return Response(s.MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="committee_meeting_retrieve", responses={200: s.MeetingDetailSerializer})
    def get(self, request, pk: int):
        queryset = Meeting.objects.prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("owner_term__user"))
        )
        meeting = get_for_user(queryset, request.user, "view", pk=pk)
        return Response(s.MeetingDetailSerializer(meeting).data)


class ActionListView(generics.ListAPIView):
    """Action items not done yet (`?all=1`: done ones too), by due date."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ActionItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return ActionItem.objects.none()
        _reader(self.request.user)
        return selectors.action_list(user=self.request.user, show_done=self.request.query_params.get("all") == "1")

    @extend_schema(operation_id="committee_action_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ActionDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="committee_action_retrieve", responses={200: s.ActionItemSerializer})
    def get(self, request, pk: int):
        queryset = ActionItem.objects.select_related("owner_term__user")
        return Response(s.ActionItemSerializer(get_for_user(queryset, request.user, "view", pk=pk)).data)

    @extend_schema(
        operation_id="committee_action_update",
        request=s.ActionStatusInputSerializer,
        responses={
            200: s.ActionItemSerializer,
            400: OpenApiResponse(description="Unknown status."),
            403: OpenApiResponse(description="Not ADVP or the Knowledge Centre."),
            404: OpenApiResponse(description="No such action in sight."),
        },
    )
    def patch(self, request, pk: int):
        action = get_for_user(ActionItem.objects.all(), request.user, "change", pk=pk)
        data = s.ActionStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = service_call(
            actions.action_set_status, actor=request.user, action=action, status=data.validated_data["status"]
        )
        action = ActionItem.objects.select_related("owner_term__user").get(pk=action.pk)
        return Response(s.ActionItemSerializer(action).data)
