import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role

from .models import Invitation, RoleAssignment, User


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Name or e-mail"))
    role = django_filters.ChoiceFilter(
        choices=Role.choices, method="filter_role", label=_("Role"), empty_label=_("any")
    )

    class Meta:
        model = User
        fields = ["q", "role"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        held = RoleAssignment.objects.filter(user=OuterRef("pk"), role=value, revoked_at__isnull=True)
        return queryset.filter(Exists(held))


class InvitationStatus:
    CHOICES = [
        ("pending", _("Pending")),
        ("accepted", _("Accepted")),
        ("expired", _("Expired")),
        ("cancelled", _("Cancelled")),
    ]


class InvitationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="email", lookup_expr="icontains", label=_("E-mail"))
    status = django_filters.ChoiceFilter(
        choices=InvitationStatus.CHOICES, method="filter_status", label=_("Status"), empty_label=_("any")
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=_("any"))

    class Meta:
        model = Invitation
        fields = ["q", "status", "role"]

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        open_ = Q(accepted_at__isnull=True, cancelled_at__isnull=True)
        conditions = {
            "pending": open_ & Q(expires_at__gt=now),
            "expired": open_ & Q(expires_at__lte=now),
            "accepted": Q(accepted_at__isnull=False),
            "cancelled": Q(accepted_at__isnull=True, cancelled_at__isnull=False),
        }
        return queryset.filter(conditions[value])
