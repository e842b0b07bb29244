"""The member list's FilterSet, shared by the page, its exports and the API (STYLE: one FilterSet per model).

It filters memberships of one network (the views hand it a queryset already scoped to the network and to the
user's managed networks). Without a status filter it shows the current members (active and suspended); the status
filter also reaches former members (left, removed). Erased memberships have no person and are never listed."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .choices import CURRENT_STATUSES, MembershipStatus
from .models import Membership

CHANNEL_EMAIL, CHANNEL_SMS = "email", "sms"
CHANNEL_CHOICES = [(CHANNEL_EMAIL, _("e-mail")), (CHANNEL_SMS, _("SMS"))]
LISTED_STATUS_CHOICES = [
    (value, label) for value, label in MembershipStatus.choices if value != MembershipStatus.ERASED
]
YES_NO = [("yes", _("yes")), ("no", _("no"))]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search"), help_text=_("Name, e-mail address, mobile number or street")
    )
    status = django_filters.ChoiceFilter(
        choices=LISTED_STATUS_CHOICES,
        method="with_status",
        label=_("Status"),
        empty_label=_("current members (active and suspended)"),
    )
    channel = django_filters.ChoiceFilter(
        choices=CHANNEL_CHOICES, method="with_channel", label=_("Reached by"), empty_label=_("any")
    )
    in_area = extend_schema_field(OpenApiTypes.STR)(
        django_filters.ChoiceFilter(
            choices=YES_NO,
            method="with_in_area",
            label=_("Address in the area"),
            empty_label=_("any"),
            help_text=_("yes or no"),
        )
    )
    joined_since = django_filters.DateFilter(
        field_name="joined_on", lookup_expr="gte", label=_("Joined on or after"), widget=_date_input()
    )
    joined_before = django_filters.DateFilter(
        field_name="joined_on", lookup_expr="lt", label=_("Joined before"), widget=_date_input()
    )

    class Meta:
        model = Membership
        fields = ["q", "status", "channel", "in_area", "joined_since", "joined_before"]

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that the default (current members) applies to a page opened without filters too.
        super().__init__({} if data is None else data, *args, **kwargs)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=sorted(CURRENT_STATUSES))
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(member__user__first_name__icontains=value)
            | Q(member__user__last_name__icontains=value)
            | Q(member__user__email__icontains=value)
            | Q(member__mobile__icontains=value.replace(" ", ""))
            | Q(member__street__icontains=value)
        )

    def with_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def with_channel(self, queryset, name, value):
        if value == CHANNEL_EMAIL:
            return queryset.filter(member__by_email=True)
        if value == CHANNEL_SMS:
            return queryset.filter(member__by_sms=True)
        return queryset

    def with_in_area(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(in_area=True)
        if value == "no":
            return queryset.exclude(in_area=True)  # "no" includes unknown (null): not known to be in the area
        return queryset
