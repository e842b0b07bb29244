"""The FilterSet of the sanctions register, shared by the national list, the network's list and the API.

The kinds of sanction and the measures offered are those the reader may see (ADVP: coordinator sanctions only)."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geography.models import PoliceZone, Province, Region

from .charter_selectors import sanction_targets
from .choices import COORDINATOR_MEASURES, MEMBER_MEASURES, SanctionMeasure, SanctionTarget
from .models import Sanction

_MEASURES = {SanctionTarget.MEMBER: MEMBER_MEASURES, SanctionTarget.COORDINATOR: COORDINATOR_MEASURES}


def _user(request):
    return getattr(request, "user", None)


def _zones(request):
    return PoliceZone.objects.for_user(_user(request)).current().order_by("name")


def _provinces(request):
    return Province.objects.for_user(_user(request))


def _regions(request):
    return Region.objects.for_user(_user(request))


class SanctionFilterSet(django_filters.FilterSet):
    OPEN, PASSED, LODGED = "open", "passed", "lodged"

    network = django_filters.CharFilter(field_name="network__code", label=_("Network code"))
    target = django_filters.ChoiceFilter(choices=SanctionTarget.choices, label=_("Sanctioned"), empty_label=_("any"))
    measure = django_filters.ChoiceFilter(choices=SanctionMeasure.choices, label=_("Measure"), empty_label=_("any"))
    region = django_filters.ModelChoiceFilter(
        field_name="network__municipality__region", queryset=_regions, label=_("Region"), empty_label=_("any")
    )
    province = django_filters.ModelChoiceFilter(
        field_name="network__municipality__province", queryset=_provinces, label=_("Province"), empty_label=_("any")
    )
    zone = django_filters.ModelChoiceFilter(
        field_name="network__zone", queryset=_zones, label=_("Police zone"), empty_label=_("any")
    )
    decided_after = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte", label=_("Decided from"))
    decided_before = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte", label=_("Decided until"))
    appeal = django_filters.ChoiceFilter(
        choices=[
            (OPEN, _("appeal deadline open")),
            (PASSED, _("appeal deadline passed")),
            (LODGED, _("appeal lodged")),
        ],
        method="by_appeal",
        label=_("Appeal"),
        empty_label=_("any"),
    )

    class Meta:
        model = Sanction
        fields = [
            "network",
            "target",
            "measure",
            "region",
            "province",
            "zone",
            "decided_after",
            "decided_before",
            "appeal",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_targets = sanction_targets(_user(self.request), "view")
        measures = set().union(*(_MEASURES[target] for target in self.visible_targets))
        # On this form's own copy of the fields (the filters' fields are built once and shared).
        self.form.fields["target"].choices = [
            (value, label) for value, label in SanctionTarget.choices if value in self.visible_targets
        ]
        self.form.fields["measure"].choices = [
            (value, label) for value, label in SanctionMeasure.choices if value in measures
        ]

    def by_appeal(self, queryset, name, value):
        today = timezone.localdate()
        if value == self.OPEN:
            return queryset.filter(appeal_deadline__gte=today, appeal_lodged_on__isnull=True)
        if value == self.PASSED:
            return queryset.filter(appeal_deadline__lt=today, appeal_lodged_on__isnull=True)
        if value == self.LODGED:
            return queryset.filter(appeal_lodged_on__isnull=False)
        return queryset
