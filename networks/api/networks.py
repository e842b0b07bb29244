"""API of networks, their area streets and partners (/api/v1/networks/, /area-streets/, /partners/).

Reads are scoped with `for_user` and filtered with the same FilterSet as the pages; writes go through the
services, whose field errors come back as a 400 with the field names."""

from __future__ import annotations

import django_filters
from django.core.paginator import Paginator as DjangoPaginator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404  # DRF's: a malformed id is a 404, not a 500
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from core.api import service_call
from core.scoping import can, get_for_user
from geography.models import Municipality, PoliceZone

from .. import selectors, services
from ..choices import NetworkKind, NetworkSector, NetworkStatus, PartnerRole, ScreeningResult, StreetParity
from ..filters import NetworkFilterSet
from ..models import AreaStreet, Network, Partner
from ..permissions import can_create_network

# --- serializers -----------------------------------------------------------------------------------


class ZoneRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoliceZone
        fields = ["id", "code", "name"]


class NetworkSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="refnis", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    province = serializers.CharField(source="municipality.province.refnis", read_only=True, allow_null=True)
    region = serializers.CharField(source="municipality.region.refnis", read_only=True)
    zone = ZoneRefSerializer(read_only=True)
    sector = serializers.ChoiceField(choices=NetworkSector.choices, allow_blank=True, read_only=True)
    charter_state = serializers.CharField(read_only=True, allow_null=True, help_text="Latest charter version's state.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Network
        fields = [
            "code",
            "name",
            "kind",
            "sector",
            "local_label",
            "status",
            "municipality",
            "municipality_name",
            "province",
            "region",
            "zone",
            "founded_on",
            "charter_state",
            "url",
        ]
        read_only_fields = fields


class NetworkDetailSerializer(NetworkSerializer):
    municipalities = serializers.SlugRelatedField(slug_field="refnis", many=True, read_only=True)
    merged_into = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    area_polygon = serializers.JSONField(read_only=True, allow_null=True, help_text="GeoJSON Polygon/MultiPolygon")
    street_count = serializers.IntegerField(source="streets.count", read_only=True)
    needs_new_charter_version = serializers.SerializerMethodField()

    class Meta(NetworkSerializer.Meta):
        fields = [
            *NetworkSerializer.Meta.fields,
            "municipalities",
            "merged_into",
            "public_description",
            "public_email",
            "public_phone",
            "area_polygon",
            "street_count",
            "needs_new_charter_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_needs_new_charter_version(self, obj: Network) -> bool:
        return selectors.network_needs_new_charter_version(obj)


# The list endpoint's rows: its hot path (DESIGN §6, `make bench`). Instead of ~5 model instances per network and a
# DRF field walk (plus a reverse()) per value, the page is read with values() and each row becomes the very dict
# NetworkSerializer would give (test_network_api_list.py compares the two).
LIST_VALUES = (
    "code",
    "name",
    "kind",
    "sector",
    "local_label",
    "status",
    "municipality_id",
    "municipality__refnis",
    "municipality__name_nl",
    "municipality__name_fr",
    "municipality__name_de",
    "municipality__language",
    "municipality__province__refnis",
    "municipality__region__refnis",
    "zone_id",
    "zone__code",
    "zone__name",
    "founded_on",
    "charter_state",
)
_CODE_PLACEHOLDER = "BIN-00000-0"


class _ValuesPaginator(DjangoPaginator):
    """Counts the filtered queryset as it is (only the joins its filters need), then reads the page's rows with
    values(*LIST_VALUES)."""

    def _get_page(self, object_list, *args, **kwargs):
        return super()._get_page(object_list.values(*LIST_VALUES), *args, **kwargs)


class NetworkListPagination(PageNumberPagination):
    django_paginator_class = _ValuesPaginator


class _Names:
    """Just what `MultilingualName.name` reads, so the model's own rule picks the name in the active language."""

    __slots__ = ("language", "name_de", "name_fr", "name_nl")

    def __init__(self, row: dict):
        self.name_nl = row["municipality__name_nl"]
        self.name_fr = row["municipality__name_fr"]
        self.name_de = row["municipality__name_de"]
        self.language = row["municipality__language"]


def network_list_rows(rows) -> list[dict]:
    """NetworkSerializer's representation of `rows` (dicts with LIST_VALUES) — one reverse() per call."""
    url_template = reverse("networks:network_detail", args=[_CODE_PLACEHOLDER])
    municipality_name = Municipality.name.fget
    names: dict[int, str] = {}
    data = []
    for row in rows:
        municipality_id = row["municipality_id"]
        name = names.get(municipality_id)
        if name is None:
            name = names[municipality_id] = municipality_name(_Names(row))
        founded_on = row["founded_on"]
        zone_id = row["zone_id"]
        data.append(
            {
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind"],
                "sector": row["sector"],
                "local_label": row["local_label"],
                "status": row["status"],
                "municipality": row["municipality__refnis"],
                "municipality_name": name,
                "province": row["municipality__province__refnis"],
                "region": row["municipality__region__refnis"],
                "zone": None
                if zone_id is None
                else {"id": zone_id, "code": row["zone__code"], "name": row["zone__name"]},
                "founded_on": None if founded_on is None else founded_on.isoformat(),
                "charter_state": row["charter_state"],
                "url": url_template.replace(_CODE_PLACEHOLDER, row["code"]),
            }
        )
    return data


def _current_municipalities():
    return Municipality.objects.current()


class NetworkWriteFields(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=NetworkKind.choices, default=NetworkKind.RESIDENTIAL)
    sector = serializers.ChoiceField(choices=NetworkSector.choices, allow_blank=True, required=False, default="")
    local_label = serializers.CharField(max_length=80, allow_blank=True, required=False, default="")
    municipalities = serializers.SlugRelatedField(
        slug_field="refnis",
        many=True,
        queryset=_current_municipalities(),
        required=False,
        help_text="REFNIS codes of all municipalities covered (the main one is always included).",
    )
    founded_on = serializers.DateField(allow_null=True, required=False, default=None)
    public_description = serializers.CharField(allow_blank=True, required=False, default="")
    public_email = serializers.EmailField(allow_blank=True, required=False, default="")
    public_phone = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")


class NetworkCreateInputSerializer(NetworkWriteFields):
    municipality = serializers.SlugRelatedField(
        slug_field="refnis", queryset=_current_municipalities(), help_text="REFNIS code of the main municipality."
    )
    zone = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PoliceZone.objects.current(),
        required=False,
        allow_null=True,
        help_text="Police zone code; defaults to the main municipality's current zone and must be it.",
    )


class NetworkUpdateInputSerializer(NetworkWriteFields):
    """Omitted fields keep their value."""


class NetworkStatusInputSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=NetworkStatus.choices)
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(allow_blank=True, required=False, default="")
    merged_into = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Code of the network it merged into."
    )


class AreaStreetSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AreaStreet
        fields = ["id", "network", "postal_code", "street", "number_from", "number_to", "parity"]
        read_only_fields = fields


class AreaStreetInputSerializer(serializers.Serializer):
    network = serializers.CharField(help_text="The network's code.")
    postal_code = serializers.CharField(max_length=4)
    street = serializers.CharField(max_length=120)
    number_from = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    number_to = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    parity = serializers.ChoiceField(choices=StreetParity.choices, default=StreetParity.ALL)


class PartnerSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    user = serializers.SlugRelatedField(slug_field="email", read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    # Blank when not screened (yet), null when hidden from the reader (see to_representation).
    screening_on = serializers.DateField(read_only=True, allow_null=True)
    screening_result = serializers.ChoiceField(
        choices=ScreeningResult.choices, allow_blank=True, allow_null=True, read_only=True
    )

    # The police screening of a coordinator is shown only to those who manage the network (ADVP, the zone).
    SCREENING_FIELDS = ("screening_on", "screening_result")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not self._may_change(request.user, instance.network):
            for field in self.SCREENING_FIELDS:
                data[field] = None
        return data

    def _may_change(self, user, network) -> bool:
        memo = self.context.setdefault("_may_change_network", {})
        if network.pk not in memo:
            memo[network.pk] = can(user, "change", network)
        return memo[network.pk]

    class Meta:
        model = Partner
        fields = [
            "id",
            "network",
            "role",
            "name",
            "user",
            "first_name",
            "last_name",
            "email",
            "phone",
            "organisation",
            "adult_confirmed",
            "screening_on",
            "screening_result",
            "active_from",
            "active_to",
            "is_active",
        ]
        read_only_fields = fields


class PartnerWriteFields(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartnerRole.choices)
    user = serializers.SlugRelatedField(
        slug_field="email",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="E-mail address of a platform user, when the partner has an account.",
    )
    first_name = serializers.CharField(max_length=80, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=80, allow_blank=True, required=False)
    email = serializers.EmailField(allow_blank=True, required=False)
    phone = serializers.CharField(max_length=32, allow_blank=True, required=False)
    organisation = serializers.CharField(max_length=120, allow_blank=True, required=False)
    adult_confirmed = serializers.BooleanField(required=False)
    screening_on = serializers.DateField(required=False, allow_null=True)
    screening_result = serializers.ChoiceField(choices=ScreeningResult.choices, allow_blank=True, required=False)
    active_from = serializers.DateField(required=False)


class PartnerCreateInputSerializer(PartnerWriteFields):
    network = serializers.CharField(help_text="The network's code.")


class PartnerEndInputSerializer(serializers.Serializer):
    active_to = serializers.DateField(required=False, allow_null=True, default=None)


# --- viewsets --------------------------------------------------------------------------------------


@extend_schema_view(
    create=extend_schema(request=NetworkCreateInputSerializer, responses={201: NetworkDetailSerializer}),
    partial_update=extend_schema(request=NetworkUpdateInputSerializer, responses=NetworkDetailSerializer),
)
class NetworkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Networks in the caller's scope, filterable like the list page. ADVP and mandated officers create them and
    change those of their zone (PATCH); `POST …/status/` moves one through its life cycle."""

    permission_classes = [IsAuthenticated]
    filterset_class = NetworkFilterSet
    pagination_class = NetworkListPagination  # only `list` paginates
    lookup_field = "code"
    lookup_value_regex = r"BIN-[0-9]{5}-[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = selectors.network_list(user=self.request.user)
        if self.action != "list":
            queryset = queryset.prefetch_related("municipalities").select_related("merged_into")
        return queryset

    def get_serializer_class(self):
        return NetworkSerializer if self.action == "list" else NetworkDetailSerializer

    def list(self, request, *args, **kwargs):
        """NetworkSerializer's output, built from values() rows (see network_list_rows)."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(network_list_rows(queryset.values(*LIST_VALUES)))
        return self.get_paginated_response(network_list_rows(page))

    def _detail(self, network: Network, status_code: int = status.HTTP_200_OK) -> Response:
        network = self.get_queryset().get(pk=network.pk)
        return Response(
            NetworkDetailSerializer(network, context=self.get_serializer_context()).data, status=status_code
        )

    def _changeable(self) -> Network:
        return get_for_user(Network.objects.all(), self.request.user, "change", code=self.kwargs["code"])

    def create(self, request, *args, **kwargs):
        if not can_create_network(request.user):
            raise PermissionDenied
        serializer = NetworkCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = service_call(services.network_create, actor=request.user, **serializer.validated_data)
        return self._detail(network, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        network = self._changeable()
        serializer = NetworkUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        network = service_call(
            services.network_update, actor=request.user, network=network, **serializer.validated_data
        )
        return self._detail(network)

    @extend_schema(request=NetworkStatusInputSerializer, responses=NetworkDetailSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, code=None):
        network = self._changeable()
        serializer = NetworkStatusInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        merged_code = data.pop("merged_into", "").strip()
        merged_into = None
        if merged_code:
            merged_into = Network.objects.for_user(request.user, "view").filter(code__iexact=merged_code).first()
            if merged_into is None:
                raise ValidationError(
                    {"merged_into": [_("No network you can see has the code %(code)s.") % {"code": merged_code}]}
                )
        network = service_call(
            services.network_change_status, actor=request.user, network=network, merged_into=merged_into, **data
        )
        return self._detail(network)


class AreaStreetFilterSet(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__code", label=_("Network code"))
    postal_code = django_filters.CharFilter()

    class Meta:
        model = AreaStreet
        fields = ["network", "postal_code"]


@extend_schema_view(create=extend_schema(request=AreaStreetInputSerializer, responses={201: AreaStreetSerializer}))
class AreaStreetViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Streets of the areas of the networks in the caller's scope (`?network=BIN-…` for one network)."""

    permission_classes = [IsAuthenticated]
    serializer_class = AreaStreetSerializer
    filterset_class = AreaStreetFilterSet

    def get_queryset(self):
        return (
            AreaStreet.objects.for_user(self.request.user, "view")
            .select_related("network")
            .order_by("network__code", "postal_code", "street_normalised", "pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = AreaStreetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = get_for_user(Network.objects.all(), request.user, "change", code=data.pop("network").upper())
        street = service_call(services.area_street_add, actor=request.user, network=network, **data)
        return Response(AreaStreetSerializer(street).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        street = self.get_object()
        network = get_for_user(Network.objects.all(), request.user, "change", pk=street.network_id)
        service_call(services.area_street_remove, actor=request.user, network=network, street=street)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PartnerFilterSet(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__code", label=_("Network code"))
    role = django_filters.ChoiceFilter(choices=PartnerRole.choices)

    class Meta:
        model = Partner
        fields = ["network", "role"]


@extend_schema_view(
    create=extend_schema(request=PartnerCreateInputSerializer, responses={201: PartnerSerializer}),
    partial_update=extend_schema(request=PartnerWriteFields, responses=PartnerSerializer),
)
class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Partners of the networks in the caller's scope; `POST …/end/` ends a partner's role."""

    permission_classes = [IsAuthenticated]
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Partner.objects.for_user(self.request.user, "view")
            .select_related("network", "user")
            .order_by("network__code", "role", "last_name", "pk")
        )

    def _changeable(self) -> Partner:
        partner = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        get_for_user(Network.objects.all(), self.request.user, "change", pk=partner.network_id)
        return partner

    def create(self, request, *args, **kwargs):
        serializer = PartnerCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = get_for_user(Network.objects.all(), request.user, "change", code=data.pop("network").upper())
        partner = service_call(services.partner_add, actor=request.user, network=network, **data)
        return Response(PartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        partner = self._changeable()
        serializer = PartnerWriteFields(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        partner = service_call(
            services.partner_update, actor=request.user, partner=partner, **serializer.validated_data
        )
        return Response(PartnerSerializer(partner).data)

    @extend_schema(request=PartnerEndInputSerializer, responses={200: PartnerSerializer, 400: OpenApiResponse()})
    @action(detail=True, methods=["post"], url_path="end")
    def end(self, request, pk=None):
        partner = self._changeable()
        serializer = PartnerEndInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        partner = service_call(
            services.partner_end, actor=request.user, partner=partner, active_to=serializer.validated_data["active_to"]
        )
        return Response(PartnerSerializer(partner).data)
