"""The network FilterSet, shared by the list page, its exports and the API (STYLE: one FilterSet per model)."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from geography.models import Municipality, PoliceZone, Province, Region

from .choices import CharterStatus, NetworkKind, NetworkSector, NetworkStatus
from .models import Network
from .selectors import latest_charter_status

NO_CHARTER = "none"


def _user(request):
    return getattr(request, "user", None)


def _regions(request) -> QuerySet[Region]:
    return Region.objects.for_user(_user(request))


def _provinces(request) -> QuerySet[Province]:
    return Province.objects.for_user(_user(request))


def _zones(request) -> QuerySet[PoliceZone]:
    return PoliceZone.objects.for_user(_user(request)).current().order_by("name")


def _municipalities(request) -> QuerySet[Municipality]:
    return Municipality.objects.for_user(_user(request)).current().order_by("name_nl")


class CSVSelect(django_filters.widgets.BaseCSVWidget, forms.Select):
    """One status picked in a select on the page; the API also takes several, comma-separated."""


class NetworkOrderingFilter(django_filters.OrderingFilter):
    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            # A stable order within equal values, so pages never repeat or skip a network.
            qs = qs.order_by(*qs.query.order_by, "code")
        return qs


class NetworkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search"), help_text=_("Name, code, local label or municipality")
    )
    region = django_filters.ModelChoiceFilter(
        queryset=_regions, field_name="municipality__region", label=_("Region"), empty_label=_("any")
    )
    province = django_filters.ModelChoiceFilter(
        queryset=_provinces, field_name="municipality__province", label=_("Province"), empty_label=_("any")
    )
    zone = django_filters.ModelChoiceFilter(queryset=_zones, label=_("Police zone"), empty_label=_("any"))
    municipality = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=_municipalities,
            method="covering",
            label=_("Municipality"),
            empty_label=_("any"),
            help_text=_("Networks covering this municipality"),
        )
    )
    kind = django_filters.ChoiceFilter(choices=NetworkKind.choices, label=_("Kind"), empty_label=_("any"))
    sector = django_filters.ChoiceFilter(choices=NetworkSector.choices, label=_("Sector"), empty_label=_("any"))
    status = django_filters.MultipleChoiceFilter(
        choices=NetworkStatus.choices,
        label=_("Status"),
        widget=CSVSelect,
        distinct=False,  # a column of the network itself: no join to repeat rows (DISTINCT made pages slow)
        help_text=_("Several, comma-separated, in the API"),
    )
    charter_state = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ChoiceFilter(
            choices=[(NO_CHARTER, _("no charter yet")), *CharterStatus.choices],
            method="with_charter_state",
            label=_("Charter"),
            empty_label=_("any"),
            help_text=_("State of the latest charter version"),
        )
    )
    founded_year = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(method="founded_in", label=_("Founded in (year)"), min_value=1990, max_value=2100)
    )
    ordering = NetworkOrderingFilter(
        fields=(("name", "name"), ("code", "code"), ("founded_on", "founded_on"), ("status", "status")),
        field_labels={
            "name": _("Name"),
            "code": _("Code"),
            "founded_on": _("Founding date"),
            "status": _("Status"),
        },
        label=_("Sort by"),
        empty_label=_("name"),
    )

    class Meta:
        model = Network
        fields = [
            "q",
            "region",
            "province",
            "zone",
            "municipality",
            "kind",
            "sector",
            "status",
            "charter_state",
            "founded_year",
            "ordering",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["status"].widget.choices = [("", _("any")), *NetworkStatus.choices]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(local_label__icontains=value)
            | Q(municipality__name_nl__icontains=value)
            | Q(municipality__name_fr__icontains=value)
        )

    def covering(self, queryset, name, value):
        covering = Network.municipalities.through.objects.filter(municipality=value).values("network_id")
        return queryset.filter(pk__in=covering)

    def with_charter_state(self, queryset, name, value):
        if "charter_state" not in queryset.query.annotations:
            queryset = queryset.annotate(charter_state=latest_charter_status())
        if value == NO_CHARTER:
            return queryset.filter(charter_state__isnull=True)
        return queryset.filter(charter_state=value)

    def founded_in(self, queryset, name, value):
        year = int(value)
        return queryset.filter(founded_on__gte=datetime.date(year, 1, 1), founded_on__lt=datetime.date(year + 1, 1, 1))
