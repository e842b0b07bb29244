"""The SMS gateway's delivery-report callback. Kannel calls it with GET; the path carries a signature of the
delivery id, so nobody else can change a delivery's status, and a replayed report changes nothing."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .services.status import UnknownDelivery, delivery_report
from .tokens import LinkInvalid, dlr_read


@csrf_exempt  # called by the gateway, not a browser; authenticated by the signed path
@require_http_methods(["GET", "POST"])
def sms_status(request, token: str):
    try:
        delivery_id = dlr_read(token)
    except LinkInvalid:
        return HttpResponseNotFound("unknown delivery", content_type="text/plain")
    try:
        report_type = int(request.GET.get("type") or request.POST.get("type") or "")
    except ValueError:
        return HttpResponseBadRequest("type must be a number", content_type="text/plain")
    try:
        delivery_report(delivery_id=delivery_id, report_type=report_type)
    except UnknownDelivery:
        return HttpResponseNotFound("unknown delivery", content_type="text/plain")
    except ValueError:
        return HttpResponseBadRequest("unknown report type", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
