"""Background work of messaging: thin, idempotent wrappers around the services, taking ids."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from core.schedule import periodic

from .choices import Channel, DeliveryStatus
from .gateways import GatewayDown
from .models import Delivery
from .services import outbox, sending

logger = logging.getLogger(__name__)
GATEWAY_DOWN_RETRY = datetime.timedelta(seconds=30)


@task(queue_name="default")
def dispatch_outbox_task(channel: str) -> int:
    """Hand over the due deliveries of one channel. When the gateway is down the batch is back in the queue and
    another dispatch is queued for later (the minute sweep would also pick it up)."""
    try:
        return outbox.outbox_dispatch(channel=channel)
    except GatewayDown as exc:
        logger.warning("%s gateway down: %s", channel, exc)
        if dispatch_outbox_task.get_backend().supports_defer:
            dispatch_outbox_task.using(run_after=timezone.now() + GATEWAY_DOWN_RETRY).enqueue(channel)
        return 0


@task(queue_name="default")
def fan_out_message_task(message_id: int) -> int:
    """Write the deliveries of a scheduled message once it is due (nothing when cancelled or already sent)."""
    return sending.message_fan_out(message_id=message_id)


def channels_due(now=None) -> list[str]:
    now = now or timezone.now()
    due = Q(status=DeliveryStatus.QUEUED, not_before__lte=now) | Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    return [c for c in (Channel.EMAIL, Channel.SMS) if Delivery.objects.filter(due, channel=c).exists()]


@periodic(every=datetime.timedelta(minutes=1))
def outbox_sweep_task() -> dict:
    """Every minute: send scheduled messages that are due, and queue dispatch for deliveries that became due
    (end of quiet hours, retries after a failure, rows left by a worker that died)."""
    sent = sending.send_due_messages()
    channels = channels_due()
    if channels:
        sending.dispatch_enqueue(channels)
    return {"scheduled_sent": sent, "channels": channels}
