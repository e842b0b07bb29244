"""FilterSets of charters, ADVP's review queue and letters, shared by the pages and the API (STYLE: NetBox)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from geography.models import PoliceZone, Province, Region

from .choices import CharterStatus, LetterLanguage, LetterRecipient, NetworkKind
from .models import Charter, Letter


def _user(request):
    return getattr(request, "user", None)


def _zones(request):
    return PoliceZone.objects.for_user(_user(request)).current().order_by("name")


def _provinces(request):
    return Province.objects.for_user(_user(request))


def _regions(request):
    return Region.objects.for_user(_user(request))


class CharterFilterSet(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__code", label=_("Network code"))
    status = django_filters.MultipleChoiceFilter(choices=CharterStatus.choices, label=_("Status"))
    zone = django_filters.ModelChoiceFilter(
        field_name="network__zone", queryset=_zones, label=_("Police zone"), empty_label=_("any")
    )
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted from")
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted until")
    )

    class Meta:
        model = Charter
        fields = ["network", "status", "zone", "submitted_after", "submitted_before"]


class ReviewQueueFilterSet(django_filters.FilterSet):
    """ADVP's queue of submitted charters."""

    q = django_filters.CharFilter(method="search", label=_("Search"), help_text=_("Network name or code"))
    kind = django_filters.ChoiceFilter(
        field_name="network__kind", choices=NetworkKind.choices, label=_("Kind"), empty_label=_("any")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="network__municipality__region", queryset=_regions, label=_("Region"), empty_label=_("any")
    )
    province = django_filters.ModelChoiceFilter(
        field_name="network__municipality__province", queryset=_provinces, label=_("Province"), empty_label=_("any")
    )

    class Meta:
        model = Charter
        fields = ["q", "kind", "region", "province"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(network__name__icontains=value) | Q(network__code__icontains=value))


class LetterFilterSet(django_filters.FilterSet):
    network = django_filters.CharFilter(field_name="network__code", label=_("Network code"))
    recipient = django_filters.ChoiceFilter(choices=LetterRecipient.choices, label=_("Recipient"))
    language = django_filters.ChoiceFilter(choices=LetterLanguage.choices, label=_("Language"))
    emailed = django_filters.BooleanFilter(
        field_name="emailed_at", lookup_expr="isnull", exclude=True, label=_("E-mailed")
    )

    class Meta:
        model = Letter
        fields = ["network", "recipient", "language", "emailed"]
