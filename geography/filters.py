"""One FilterSet per listed model, shared by the HTML lists and the API (STYLE: NetBox)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .choices import AcademyKind, LanguageRegime, ZoneCodeStatus
from .models import Academy, Municipality, PoliceZone, PostalCode, Province, Region, ZoneMembership


def _by_id(filter_):
    """Filters with a method are typed for the OpenAPI schema by hand: they take an id."""
    return extend_schema_field(OpenApiTypes.INT)(filter_)


def _user(request):
    return getattr(request, "user", None)


def _regions(request) -> QuerySet[Region]:
    return Region.objects.for_user(_user(request))


def _provinces(request) -> QuerySet[Province]:
    return Province.objects.for_user(_user(request))


def _current_zones(request) -> QuerySet[PoliceZone]:
    return PoliceZone.objects.for_user(_user(request)).current().order_by("name")


class MunicipalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Name, REFNIS code or postal code"))
    region = django_filters.ModelChoiceFilter(queryset=_regions, label=_("Region"), empty_label=_("any"))
    province = django_filters.ModelChoiceFilter(queryset=_provinces, label=_("Province"), empty_label=_("any"))
    language = django_filters.ChoiceFilter(
        choices=LanguageRegime.choices, label=_("Language of letters"), empty_label=_("any")
    )
    zone = _by_id(
        django_filters.ModelChoiceFilter(
            queryset=_current_zones, method="in_zone", label=_("Police zone"), empty_label=_("any")
        )
    )

    class Meta:
        model = Municipality
        fields = ["q", "region", "province", "language", "zone"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name_nl__icontains=value) | Q(name_fr__icontains=value) | Q(name_de__icontains=value)
        if value.isdigit():
            condition |= Q(refnis__startswith=value) | Q(
                pk__in=PostalCode.objects.filter(code__startswith=value).values("municipality")
            )
        return queryset.filter(condition)

    def in_zone(self, queryset, name, value):
        members = ZoneMembership.objects.filter(zone=value, valid_to__isnull=True).values("municipality")
        return queryset.filter(pk__in=members)


class PoliceZoneFilterSet(django_filters.FilterSet):
    CURRENT, FORMER, ALL = "current", "former", "all"

    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Name, code or municipality"))
    region = _by_id(
        django_filters.ModelChoiceFilter(queryset=_regions, method="in_region", label=_("Region"), empty_label=_("any"))
    )
    province = _by_id(
        django_filters.ModelChoiceFilter(
            queryset=_provinces, method="in_province", label=_("Province"), empty_label=_("any")
        )
    )
    code_status = django_filters.ChoiceFilter(
        choices=ZoneCodeStatus.choices, label=_("Status of the code"), empty_label=_("any")
    )
    language = django_filters.ChoiceFilter(choices=LanguageRegime.choices, label=_("Language"), empty_label=_("any"))
    period = django_filters.ChoiceFilter(
        choices=[(CURRENT, _("current zones")), (FORMER, _("former zones")), (ALL, _("all zones"))],
        method="in_period",
        label=_("Period"),
        empty_label=None,
        help_text=_("Current zones unless chosen otherwise"),
    )

    class Meta:
        model = PoliceZone
        fields = ["q", "region", "province", "code_status", "language", "period"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("period"):
            queryset = queryset.filter(is_current=True)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        members = ZoneMembership.objects.filter(
            Q(municipality__name_nl__icontains=value) | Q(municipality__name_fr__icontains=value),
            valid_to__isnull=True,
        ).values("zone")
        condition = Q(name__icontains=value) | Q(official_name_2013__icontains=value) | Q(pk__in=members)
        if value.isdigit():
            condition |= Q(code=int(value))
        return queryset.filter(condition)

    def _with_members(self, queryset, **lookup):
        members = ZoneMembership.objects.filter(valid_to__isnull=True, **lookup).values("zone")
        return queryset.filter(pk__in=members)

    def in_region(self, queryset, name, value):
        return self._with_members(queryset, municipality__region=value)

    def in_province(self, queryset, name, value):
        return self._with_members(queryset, municipality__province=value)

    def in_period(self, queryset, name, value):
        if value == self.CURRENT:
            return queryset.filter(is_current=True)
        if value == self.FORMER:
            return queryset.filter(is_current=False)
        return queryset


class ProvinceFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(queryset=_regions, label=_("Region"), empty_label=_("any"))

    class Meta:
        model = Province
        fields = ["region"]


class PostalCodeFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="startswith", label=_("Postal code"))
    municipality = django_filters.CharFilter(field_name="municipality__refnis", label=_("Municipality (REFNIS code)"))

    class Meta:
        model = PostalCode
        fields = ["code", "municipality"]


class AcademyFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AcademyKind.choices, label=_("Kind"), empty_label=_("any"))
    region = django_filters.ModelChoiceFilter(queryset=_regions, label=_("Region"), empty_label=_("any"))
    province = django_filters.ModelChoiceFilter(queryset=_provinces, label=_("Province"), empty_label=_("any"))

    class Meta:
        model = Academy
        fields = ["kind", "region", "province"]
