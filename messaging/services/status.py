"""Delivery reports from the SMS gateway. Reports may come late, twice or out of order: a delivery only moves
forward (sent → delivered, or sent → failed), and a replayed report changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..choices import Channel, DeliveryStatus
from ..models import Delivery
from .outbox import delivery_fallback

DELIVERED, NOT_DELIVERED, SMSC_ACCEPTED, SMSC_REJECTED = 1, 2, 8, 16
KNOWN_TYPES = {DELIVERED, NOT_DELIVERED, 4, SMSC_ACCEPTED, SMSC_REJECTED}


class UnknownDelivery(LookupError):
    pass


def delivery_report(*, delivery_id: int, report_type: int) -> Delivery:
    """Apply one Kannel delivery report (type 1 delivered, 2 not delivered, 4 queued at the SMSC, 8 accepted by the
    SMSC, 16 refused by the SMSC). Raises UnknownDelivery for a delivery that is not an SMS of ours."""
    if report_type not in KNOWN_TYPES:
        raise ValueError(f"unknown delivery report type {report_type}")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id, channel=Channel.SMS).first()
        if delivery is None:
            raise UnknownDelivery(delivery_id)
        now = timezone.now()
        # A report may overtake the worker's own "sent" mark: it proves the hand-over happened.
        handed = delivery.status in (DeliveryStatus.SENDING, DeliveryStatus.SENT)
        if report_type == DELIVERED and handed:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.sent_at = delivery.sent_at or now
            delivery.claimed_until = None
            delivery.save(update_fields=["status", "delivered_at", "sent_at", "claimed_until"])
        elif report_type in (NOT_DELIVERED, SMSC_REJECTED) and handed:
            delivery.status = DeliveryStatus.FAILED
            delivery.failed_at = now
            delivery.claimed_until = None
            delivery.error = "not delivered to the phone" if report_type == NOT_DELIVERED else "refused by the SMSC"
            delivery.save(update_fields=["status", "failed_at", "claimed_until", "error"])
            delivery_fallback(delivery)
    return delivery
