"""Read-only API of the reference geography; ADVP corrects police zones with PATCH."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from core.api import service_call
from core.scoping import get_for_user

from .. import selectors
from ..choices import ZoneCodeStatus
from ..filters import (
    AcademyFilterSet,
    MunicipalityFilterSet,
    PoliceZoneFilterSet,
    PostalCodeFilterSet,
    ProvinceFilterSet,
)
from ..models import PoliceZone, PostalCode, Province, Region
from ..services import zone_update
from .serializers import (
    AcademySerializer,
    MunicipalitySerializer,
    PoliceZoneSerializer,
    PoliceZoneUpdateInputSerializer,
    PostalCodeSerializer,
    ProvinceSerializer,
    RegionSerializer,
)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer

    def get_queryset(self):
        return Region.objects.for_user(self.request.user, "view")


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet

    def get_queryset(self):
        return Province.objects.for_user(self.request.user, "view").select_related("region")


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Current municipalities (REFNIS 2025), with their postal codes and current police zone."""

    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilterSet

    def get_queryset(self):
        return selectors.municipality_list(user=self.request.user)


class PoliceZoneViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Police zones, current ones unless `period` says otherwise, with the REFNIS codes of their current
    municipalities. ADVP corrects a zone's code, status, name or note with PATCH."""

    serializer_class = PoliceZoneSerializer
    filterset_class = PoliceZoneFilterSet
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.zone_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # The filters (current zones by default) narrow the list; a former zone is still found by its id.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_object(self):
        if self.action == "partial_update":
            return get_for_user(PoliceZone.objects.all(), self.request.user, "change", pk=self.kwargs["pk"])
        return super().get_object()

    @extend_schema(request=PoliceZoneUpdateInputSerializer, responses=PoliceZoneSerializer)
    def partial_update(self, request, *args, **kwargs):
        zone = self.get_object()
        serializer = PoliceZoneUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        # Omitted fields keep their value. A code sent without a status is confirmed (ADVP states it), even when
        # it was already the inferred one; with neither, zone_update keeps the status.
        data = {"code": zone.code, "name": zone.name, "note": zone.note, "code_status": None, **given}
        if given.get("code") is not None and not given.get("code_status"):
            data["code_status"] = ZoneCodeStatus.CONFIRMED
        zone = service_call(zone_update, actor=request.user, zone=zone, **data)
        zone = self.get_queryset().get(pk=zone.pk)
        return Response(PoliceZoneSerializer(zone, context=self.get_serializer_context()).data)


class PostalCodeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PostalCodeSerializer
    filterset_class = PostalCodeFilterSet

    def get_queryset(self):
        return (
            PostalCode.objects.for_user(self.request.user, "view")
            .select_related("municipality")
            .order_by("code", "municipality__refnis")
        )


class AcademyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AcademySerializer
    filterset_class = AcademyFilterSet

    def get_queryset(self):
        return selectors.academy_list(user=self.request.user)
