"""The training API (/api/v1/training/…): sessions, enrolments, certificate verification, coverage and statistics.

Same scope and checks as the pages: lists start from `Model.objects.for_user(user, "view")`; an object the caller
cannot see answers 404, one they see but may not change 403; writes go through the services of training (sessions:
part A, enrolments: part B), whose ValidationError comes back as 400 keyed by field. The certificate check is public
and tells only the holder's name, the course and the dates."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api import service_call
from core.roles import is_national
from core.scoping import get_for_user
from geography.models import Academy, PoliceZone

from .. import selectors_coverage as coverage
from .. import selectors_stats as stats
from ..choices import EnrolmentSource
from ..models import CourseVersion, Enrolment, Session
from ..permissions import can_see_coverage, can_see_statistics, officer_zones, trainer_academies
from ..selectors_sessions import with_counts
from ..services import certificates, enrolments, sessions
from . import serializers as s

# --- sessions ----------------------------------------------------------------------------------------------------


def _sessions(user):
    return with_counts(
        Session.objects.for_user(user, "view").select_related("academy", "version__course").order_by("starts_at", "pk")
    )


def _version(pk) -> CourseVersion:
    version = CourseVersion.objects.filter(pk=pk).first()
    if version is None:
        raise ValidationError({"version": [_("No such course version.")]})
    return version


def _trainer(pk) -> User | None:
    if pk is None:
        return None
    trainer = User.objects.filter(pk=pk).first()
    if trainer is None:
        raise ValidationError({"trainer": [_("No such trainer.")]})
    return trainer


def _session_fields(data: dict) -> dict:
    fields = dict(data)
    if "version" in fields:
        fields["version"] = _version(fields["version"])
    if "trainer" in fields:
        fields["trainer"] = _trainer(fields["trainer"])
    return fields


class SessionListView(generics.ListCreateAPIView):
    """Sessions the caller sees, by start: the public catalogue (published and closed sessions) for everyone, the
    drafts and cancelled sessions of their academy for trainers, everything for ADVP and the Knowledge Centre.
    Trainers create draft sessions at their academy (POST)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = s.SessionSerializer

    def get_queryset(self):
        queryset = _sessions(self.request.user)
        academy = self.request.query_params.get("academy")
        if academy:
            queryset = queryset.filter(academy__code=academy)
        upcoming = self.request.query_params.get("upcoming", "")
        if upcoming:
            try:
                upcoming = serializers.BooleanField().to_internal_value(upcoming)
            except ValidationError as error:  # "null", "maybe": refused as the schema's boolean says
                raise ValidationError({"upcoming": error.detail}) from error
        if upcoming:
            queryset = queryset.filter(starts_at__gt=timezone.now())
        return queryset

    @extend_schema(
        operation_id="training_session_list",
        parameters=[
            OpenApiParameter("academy", OpenApiTypes.STR, description="An academy's short name."),
            OpenApiParameter("upcoming", OpenApiTypes.BOOL, description="Only sessions still to come."),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="training_session_create",
        request=s.SessionInputSerializer,
        responses={
            201: s.SessionSerializer,
            400: OpenApiResponse(description="Bad input, by field."),
            403: OpenApiResponse(description="The caller is not a trainer of this academy."),
        },
    )
    def post(self, request, *args, **kwargs):
        data = s.SessionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = _session_fields(data.validated_data)
        academy = Academy.objects.filter(code=fields.pop("academy")).first()
        if academy is None:
            raise ValidationError({"academy": [_("No such academy.")]})
        session = service_call(sessions.session_create, actor=request.user, academy=academy, **fields)
        session = _sessions(request.user).get(pk=session.pk)
        return Response(s.SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        operation_id="training_session_retrieve",
        responses={200: s.SessionSerializer, 404: OpenApiResponse(description="No such session in sight.")},
    )
    def get(self, request, pk: int):
        session = get_for_user(_sessions(request.user), request.user, "view", pk=pk)
        return Response(s.SessionSerializer(session).data)

    @extend_schema(
        operation_id="training_session_update",
        request=s.SessionUpdateInputSerializer,
        responses={
            200: s.SessionSerializer,
            400: OpenApiResponse(description="Bad input, by field."),
            403: OpenApiResponse(description="Not a trainer of the session's academy."),
            404: OpenApiResponse(description="No such session in sight."),
        },
    )
    def patch(self, request, pk: int):
        session = get_for_user(Session.objects.all(), request.user, "change", pk=pk)
        data = s.SessionUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        service_call(
            sessions.session_update, actor=request.user, session=session, **_session_fields(data.validated_data)
        )
        return Response(s.SessionSerializer(_sessions(request.user).get(pk=pk)).data)


class SessionPublishView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_session_publish",
        request=None,
        responses={
            200: s.SessionSerializer,
            400: OpenApiResponse(description="The session cannot be published."),
            403: OpenApiResponse(description="Not a trainer of the session's academy."),
            404: OpenApiResponse(description="No such session in sight."),
        },
    )
    def post(self, request, pk: int):
        session = get_for_user(Session.objects.all(), request.user, "change", pk=pk)
        service_call(sessions.session_publish, actor=request.user, session=session)
        return Response(s.SessionSerializer(_sessions(request.user).get(pk=pk)).data)


class SessionCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_session_cancel",
        request=s.ReasonInputSerializer,
        responses={
            200: s.SessionSerializer,
            400: OpenApiResponse(description="The session cannot be cancelled, or no reason given."),
            403: OpenApiResponse(description="Not a trainer of the session's academy."),
            404: OpenApiResponse(description="No such session in sight."),
        },
    )
    def post(self, request, pk: int):
        session = get_for_user(Session.objects.all(), request.user, "change", pk=pk)
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service_call(sessions.session_cancel, actor=request.user, session=session, reason=data.validated_data["reason"])
        return Response(s.SessionSerializer(_sessions(request.user).get(pk=pk)).data)


# --- enrolments --------------------------------------------------------------------------------------------------


def _enrolment_zone(user, code) -> PoliceZone:
    """The trainee's zone: the given zone code, else the caller's only zone as a mandated officer."""
    if code is None:
        zones = officer_zones(user)
        if len(zones) != 1:
            raise ValidationError({"zone": [_("Say which police zone the person belongs to.")]})
        return PoliceZone.objects.get(pk=zones[0])
    zone = PoliceZone.objects.current().filter(code=code).first()
    if zone is None:
        raise ValidationError({"zone": [_("No such police zone.")]})
    return zone


class EnrolmentListView(generics.ListCreateAPIView):
    """Enrolments the caller sees: their zones' staff for mandated officers, their academy's sessions for trainers,
    everything for ADVP and the Knowledge Centre. Filter by `session`. Zone officers enrol their staff and trainers
    anyone in their academy's sessions (POST): the person is found by e-mail address, else created; the seat is
    given while there is one, else a place on the waiting list."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.EnrolmentSerializer

    def get_queryset(self):
        queryset = (
            Enrolment.objects.for_user(self.request.user, "view")
            .select_related("trainee__zone")
            .order_by("session_id", "trainee__last_name", "trainee__first_name", "pk")
        )
        session = self.request.query_params.get("session")
        if session:
            if not session.isdigit():
                raise ValidationError({"session": [_("A session id is a number.")]})
            queryset = queryset.filter(session_id=int(session))
        return queryset

    @extend_schema(
        operation_id="training_enrolment_list",
        parameters=[OpenApiParameter("session", OpenApiTypes.INT, description="Only this session's enrolments.")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="training_enrolment_create",
        request=s.EnrolmentInputSerializer,
        responses={
            201: s.EnrolmentSerializer,
            400: OpenApiResponse(description="Bad input, already enrolled, session not open, another zone's staff."),
            403: OpenApiResponse(description="The caller enrols nobody (neither zone officer nor trainer)."),
        },
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        data = s.EnrolmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        zones, academies = officer_zones(user), trainer_academies(user)
        if not zones and not academies:
            raise PermissionDenied
        session = Session.objects.for_user(user, "view").filter(pk=data.validated_data["session"]).first()
        if session is None:
            raise ValidationError({"session": [_("No such session.")]})
        zone = _enrolment_zone(user, data.validated_data.get("zone"))
        source = EnrolmentSource.ZONE if zone.pk in zones else EnrolmentSource.ACADEMY
        if source == EnrolmentSource.ACADEMY and session.academy_id not in academies:
            if zones:  # an officer naming another zone's staff: bad input, as the service says for a trainee
                raise ValidationError({"zone": [_("You enrol the staff of your own police zone only.")]})
            raise PermissionDenied
        person = data.validated_data["trainee"]  # holds "function", which service_call's own argument would shadow
        trainee = service_call(lambda: enrolments.trainee_upsert(actor=user, zone=zone, **person))
        enrolment = service_call(
            enrolments.enrolment_create, actor=user, session=session, trainee=trainee, source=source
        )
        enrolment = Enrolment.objects.select_related("trainee__zone").get(pk=enrolment.pk)
        return Response(s.EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)


class EnrolmentCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_enrolment_cancel",
        request=s.ReasonInputSerializer,
        responses={
            200: s.EnrolmentSerializer,
            400: OpenApiResponse(description="Already cancelled, or the session has started."),
            403: OpenApiResponse(description="Seen, but not the caller's to cancel."),
            404: OpenApiResponse(description="No such enrolment in sight."),
        },
    )
    def post(self, request, pk: int):
        enrolment = get_for_user(Enrolment.objects.all(), request.user, "view", pk=pk)
        data = s.ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service_call(
            enrolments.enrolment_cancel, actor=request.user, enrolment=enrolment, reason=data.validated_data["reason"]
        )
        enrolment = Enrolment.objects.select_related("trainee__zone").get(pk=pk)
        return Response(s.EnrolmentSerializer(enrolment).data)


# --- certificates ------------------------------------------------------------------------------------------------


class CertificateVerifyView(APIView):
    """Public: is this certificate genuine and valid? Only the holder's name, the course and the dates."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="training_certificate_verify",
        responses={
            200: s.CertificateVerificationSerializer,
            400: OpenApiResponse(description="Not a certificate code (mistyped)."),
            404: OpenApiResponse(description="A well-formed code that was never issued."),
        },
    )
    def get(self, request, code: str):
        try:
            certificate = certificates.certificate_lookup(code)
        except DjangoValidationError as error:
            raise ValidationError({"code": error.messages}) from error
        if certificate is None:
            raise NotFound(_("No certificate has this code."))
        return Response(
            s.CertificateVerificationSerializer(
                {
                    "code": certificate.code,
                    "holder_name": certificate.holder_name,
                    "course": certificate.course_title,
                    "issued_on": certificate.issued_on,
                    "valid_until": certificate.valid_until,
                    "valid": certificate.is_valid,
                    "revoked": certificate.revoked_at is not None,
                }
            ).data
        )


# --- coverage and statistics -------------------------------------------------------------------------------------


class CoverageView(APIView):
    """The share of mandated officers holding a valid certificate and the networks without one, in total, by
    province and by police zone: the whole country for ADVP and the Knowledge Centre, their zones for mandated
    officers (403 for others). Counts only."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_coverage",
        responses={200: s.CoverageSerializer, 403: OpenApiResponse(description="The caller sees no coverage.")},
    )
    def get(self, request):
        user = request.user
        if not can_see_coverage(user):
            raise PermissionDenied
        overview = coverage.coverage_overview(user=user)
        provinces = overview.provinces
        refnis = dict(coverage.coverage_provinces(user).values_list("pk", "refnis"))  # ids → REFNIS codes (a few rows)
        return Response(
            s.CoverageSerializer(
                {
                    "scope": "national" if is_national(user) else "zones",
                    "date": timezone.localdate(),
                    "total": overview.summary.as_dict(),
                    "provinces": [
                        {"province": refnis.get(row.key), "name": row.label, **row.as_dict()} for row in provinces
                    ],
                    "zones": [
                        {"zone": row.zone_code, "zone_id": row.key, "name": row.label, **row.as_dict()}
                        for row in overview.zones
                    ],
                }
            ).data
        )


class StatisticsView(APIView):
    """Sessions, seats, attendance, results, certificates and evaluation averages per academy and year: every
    academy for ADVP and the Knowledge Centre, their own for trainers (403 for others). Filter by `year`."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="training_statistics",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="Only this year.")],
        responses={
            200: s.StatisticsRowSerializer(many=True),
            400: OpenApiResponse(description="The year is not a year."),
            403: OpenApiResponse(description="The caller sees no statistics."),
        },
    )
    def get(self, request):
        if not can_see_statistics(request.user):
            raise PermissionDenied
        year = request.query_params.get("year")
        if year is not None and not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise ValidationError({"year": [_("Give a year such as 2026.")]})
        rows = stats.training_statistics(
            year=int(year) if year else None, academy_ids=stats.statistics_academy_ids(request.user)
        )
        return Response(s.StatisticsRowSerializer(rows, many=True).data)
