"""/healthz: is this instance able to serve, and is the background work keeping up? For load balancers and
monitoring: anonymous, JSON, no personal data (two timestamps' age and a database round trip), no rate limit."""

from __future__ import annotations

import datetime
import logging

from csp.decorators import csp_exempt
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _oldest_task(now: datetime.datetime) -> datetime.datetime | None:
    """When the oldest task ready to run became ready (django-tasks' database queue)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    ready = DBTaskResult.objects.filter(status="READY")
    # run_after is "the end of time" for a task to run at once: then it became ready when it was enqueued.
    immediate = ready.filter(run_after=get_date_max()).order_by("enqueued_at").values_list("enqueued_at", flat=True)
    deferred = ready.filter(run_after__lte=now).order_by("run_after").values_list("run_after", flat=True)
    return min((value for value in (immediate.first(), deferred.first()) if value is not None), default=None)


def _oldest_delivery(now: datetime.datetime) -> datetime.datetime | None:
    """When the oldest queued e-mail or SMS delivery became due (one lookup per channel on delivery_claim_idx)."""
    from messaging.choices import Channel, DeliveryStatus
    from messaging.models import Delivery

    due = [
        Delivery.objects.filter(channel=channel, status=DeliveryStatus.QUEUED, not_before__lte=now)
        .order_by("not_before")
        .values_list("not_before", flat=True)
        .first()
        for channel in (Channel.EMAIL, Channel.SMS)
    ]
    return min((value for value in due if value is not None), default=None)


@csp_exempt()
@never_cache
@require_GET
def healthz(request):
    now = timezone.now()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        oldest = [value for value in (_oldest_task(now), _oldest_delivery(now)) if value is not None]
    except DatabaseError:
        logger.exception("healthz: the database is unavailable")
        return JsonResponse({"database": "error", "worker_queue_age_seconds": None, "status": "degraded"}, status=503)
    age = max(0, round((now - min(oldest)).total_seconds())) if oldest else 0
    healthy = age <= settings.BINPLP_HEALTH_MAX_QUEUE_AGE
    body = {"database": "ok", "worker_queue_age_seconds": age, "status": "ok" if healthy else "degraded"}
    return JsonResponse(body, status=200 if healthy else 503)
