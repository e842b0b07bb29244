"""Export of the filtered network list as CSV or XLSX: the same filters and the same scope as the list page."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import require

from ..filters import NetworkFilterSet
from ..permissions import can_see_networks
from ..selectors import network_list
from ..services.export import CONTENT_TYPES, network_export


@require_GET
@require(can_see_networks)
def network_export_view(request, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404
    filters = request.GET.copy()
    filters.pop("page", None)
    filterset = NetworkFilterSet(filters, queryset=network_list(user=request.user), request=request)
    if not filterset.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items())
        return HttpResponseBadRequest(
            _("These filters cannot be applied: %(problems)s") % {"problems": problems},
            content_type="text/plain; charset=utf-8",
        )
    content, name, content_type = network_export(queryset=filterset.qs, file_format=file_format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
