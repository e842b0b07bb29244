import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, AuditEvent

# The apps whose objects the services audit; the filter offers their kinds of object.
AUDITED_APPS = ["accounts", "core", "geography", "networks"]


class AuditEventFilterSet(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_label", lookup_expr="icontains", label=_("Who (e-mail)"))
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("What"), empty_label=_("any"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(app_label__in=AUDITED_APPS).order_by("app_label", "model"),
        label=_("Kind of object"),
        empty_label=_("any"),
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("From"))
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("Until"))

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "content_type", "object_id", "since", "until"]
