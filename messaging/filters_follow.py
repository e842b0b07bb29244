"""The filters of a network's log, shared by the page, its exports and the API (STYLE: one FilterSet)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import MessageType
from .models import Message


class MessageLogFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(
        method="in_year", label=_("Year"), min_value=2000, max_value=2100, help_text=_("The year it was sent.")
    )
    type = django_filters.ChoiceFilter(choices=MessageType.choices, label=_("Type"), empty_label=_("any"))

    class Meta:
        model = Message
        fields = ["year", "type"]

    def in_year(self, queryset, name, value):
        # The year in Belgian time (the current time zone): a message sent on 31 December at 23:30 belongs to it.
        return queryset.filter(sent_at__year=int(value)) if value is not None else queryset
