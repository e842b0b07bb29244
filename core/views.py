from django.core.paginator import Paginator
from django.shortcuts import render

from .decorators import require
from .filters import AuditEventFilterSet
from .home import home_sections
from .models import AuditEvent
from .permissions import can_read_audit


def home(request):
    return render(request, "core/home.html", {"sections": home_sections(request)})


@require(can_read_audit)
def audit_list(request):
    """The audit trail for ADVP, filterable by who, what, which object and when."""
    queryset = AuditEvent.objects.for_user(request.user).select_related("content_type")
    filterset = AuditEventFilterSet(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    template = "core/partials/_audit_table.html" if request.htmx else "core/audit_list.html"
    return render(request, template, {"filter": filterset, "page": page})
