"""API of member management (/api/v1/networks/<code>/members/, …/join-requests/) and member counts
(/api/v1/member-counts/).

Same scope and filters as the pages: a network's members and requests answer its coordinators and the mandated
officers of its zone only — everybody else gets 404, as if the network had no member list; counts answer everybody
who sees networks, for the networks they see. Every response listing members is recorded in the audit trail."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_call

from . import manage_selectors as selectors
from .choices import JoinRequestStatus
from .filters import MemberFilterSet
from .models import JoinRequest, Membership
from .services import management as services
from .services.membership import audit_member_view


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This request was already handled: nothing was changed.")
    default_code = "already_decided"


# --- serializers -------------------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    """One membership of the network with its member's data."""

    member = serializers.IntegerField(source="member_id", read_only=True, help_text="The member's number.")
    first_name = serializers.CharField(source="member.user.first_name", read_only=True)
    last_name = serializers.CharField(source="member.user.last_name", read_only=True)
    email = serializers.EmailField(source="member.user.email", read_only=True)
    language = serializers.CharField(source="member.user.language", read_only=True)
    mobile = serializers.CharField(source="member.mobile", read_only=True, help_text="E.164, or empty.")
    street = serializers.CharField(source="member.street", read_only=True)
    house_number = serializers.CharField(source="member.house_number", read_only=True)
    box = serializers.CharField(source="member.box", read_only=True)
    postal_code = serializers.CharField(source="member.postal_code", read_only=True)
    by_email = serializers.BooleanField(source="member.by_email", read_only=True)
    by_sms = serializers.BooleanField(source="member.by_sms", read_only=True)
    url = serializers.CharField(source="member.get_absolute_url", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "member",
            "first_name",
            "last_name",
            "email",
            "language",
            "mobile",
            "street",
            "house_number",
            "box",
            "postal_code",
            "by_email",
            "by_sms",
            "status",
            "joined_on",
            "suspended_until",
            "ended_on",
            "in_area",
            "url",
        ]
        read_only_fields = fields


class JoinRequestSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Plain text rather than an enum: the languages' enum is named elsewhere in the schema.
    language = serializers.CharField(read_only=True, help_text="nl, fr, de or en.")

    class Meta:
        model = JoinRequest
        fields = [
            "id",
            "network",
            "status",
            "source",
            "first_name",
            "last_name",
            "email",
            "mobile",
            "street",
            "house_number",
            "box",
            "postal_code",
            "language",
            "by_email",
            "by_sms",
            "works_in_area",
            "in_area",
            "created_at",
            "confirmed_at",
            "decided_at",
            "decline_reason",
            "membership",
        ]
        read_only_fields = fields


class DeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Sent to the applicant by e-mail.")


class MemberCountSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="REFNIS code (province, region, municipality), zone code or network code.")
    name = serializers.CharField()
    networks = serializers.IntegerField(help_text="Networks counted in this row.")
    count = serializers.IntegerField(help_text="Current members (active and suspended).")
    municipality = serializers.CharField(required=False, help_text="By network: its main municipality.")
    zone = serializers.CharField(required=False, help_text="By network: its police zone.")
    status = serializers.CharField(required=False, help_text="By network: its status.")


# --- members -----------------------------------------------------------------------------------------------------


class MemberListView(generics.ListAPIView):
    """The members of a network the caller manages (coordinator, mandated officer of its zone), by last name,
    filterable like the member list page (by default the current members: active and suspended)."""

    permission_classes = [IsAuthenticated]
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet

    def get_network(self):
        if not hasattr(self, "_network"):
            self._network = selectors.managed_network_get(user=self.request.user, code=self.kwargs["code"])
        return self._network

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.member_list(user=self.request.user, network=self.get_network())

    def list(self, request, *args, **kwargs):
        network = self.get_network()
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        audit_member_view(
            actor=request.user,
            members=[membership.member_id for membership in page],
            context="member list (API)",
            obj=network,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- join requests -----------------------------------------------------------------------------------------------


class JoinRequestListView(generics.ListAPIView):
    """The requests of a network waiting for a decision (the applicant confirmed their e-mail address), oldest
    first, with the flag whether the address lies in the area."""

    permission_classes = [IsAuthenticated]
    serializer_class = JoinRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return JoinRequest.objects.none()
        network = selectors.managed_network_get(user=self.request.user, code=self.kwargs["code"])
        self._network = network
        return selectors.join_requests(user=self.request.user, network=network, status=JoinRequestStatus.PENDING)

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        services.audit_join_request_view(
            actor=request.user, join_requests=page, context="join requests (API)", obj=self._network
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _decide(function, **kwargs):
    try:
        return service_call(function, **kwargs)
    except ValidationError as error:
        cause = error.__cause__
        if isinstance(cause, DjangoValidationError) and getattr(cause, "code", None) == "already_decided":
            raise Conflict(" ".join(cause.messages)) from cause
        raise


class _JoinRequestActionView(APIView):
    permission_classes = [IsAuthenticated]

    def join_request(self, request, code: str, pk: int) -> JoinRequest:
        network = selectors.managed_network_get(user=request.user, code=code)
        return selectors.join_request_get_for_manager(user=request.user, network=network, pk=pk)

    def respond(self, request, join_request: JoinRequest) -> Response:
        join_request = JoinRequest.objects.select_related("network").get(pk=join_request.pk)
        return Response(JoinRequestSerializer(join_request, context={"request": request}).data)


class JoinRequestApproveView(_JoinRequestActionView):
    @extend_schema(
        operation_id="join_request_approve",
        request=None,
        responses={
            200: JoinRequestSerializer,
            409: OpenApiResponse(description="The request was already decided; nothing changed."),
        },
    )
    def post(self, request, code: str, pk: int):
        """Approve a pending request: the person becomes a member and is told by e-mail."""
        join_request = self.join_request(request, code, pk)
        _decide(services.join_request_approve, actor=request.user, join_request=join_request)
        return self.respond(request, join_request)


class JoinRequestDeclineView(_JoinRequestActionView):
    @extend_schema(
        operation_id="join_request_decline",
        request=DeclineInputSerializer,
        responses={
            200: JoinRequestSerializer,
            409: OpenApiResponse(description="The request was already decided; nothing changed."),
        },
    )
    def post(self, request, code: str, pk: int):
        """Decline a pending request with a reason, which the person receives by e-mail."""
        join_request = self.join_request(request, code, pk)
        serializer = DeclineInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _decide(
            services.join_request_decline,
            actor=request.user,
            join_request=join_request,
            reason=serializer.validated_data["reason"],
        )
        return self.respond(request, join_request)


# --- counts ------------------------------------------------------------------------------------------------------


class MemberCountPagination(PageNumberPagination):
    page_size = 50


class MemberCountView(generics.GenericAPIView):
    """Current members (active and suspended) of the networks the caller sees, grouped by province, police zone,
    municipality (the network's main municipality) or network. Counts only, never a name."""

    permission_classes = [IsAuthenticated]
    serializer_class = MemberCountSerializer
    pagination_class = MemberCountPagination
    filter_backends: list = []

    @extend_schema(
        operation_id="member_counts",
        parameters=[
            OpenApiParameter(
                "by", OpenApiTypes.STR, enum=list(selectors.COUNT_GROUPINGS), description="Grouping (default province)."
            ),
            OpenApiParameter(
                "sort",
                OpenApiTypes.STR,
                enum=["name", "-name", "count", "-count", "networks", "-networks"],
                description="Order of the rows (default name).",
            ),
        ],
        responses=MemberCountSerializer(many=True),
    )
    def get(self, request):
        if not selectors.can_see_member_counts(request.user):
            raise PermissionDenied
        by = request.query_params.get("by") or "province"
        if by not in selectors.COUNT_GROUPINGS:
            return Response(
                {"by": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(selectors.COUNT_GROUPINGS)}]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        rows = selectors.member_counts(user=request.user, by=by, sort=request.query_params.get("sort") or "name")
        for row in rows:
            row.pop("status_label", None)
            row.pop("code", None)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
