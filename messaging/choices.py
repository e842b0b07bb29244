"""Choices of the messaging app. Message types and senders are the charter's (networks.choices)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from networks.choices import MessageType, Sender

__all__ = ["MessageType", "Sender"]

# Types that must reach members at once: they ignore quiet hours for SMS when the member chose so, and cannot be
# muted. Every other type waits for the end of quiet hours and is held during a holiday pause.
URGENT_TYPES = frozenset({MessageType.URGENT_ALERT, MessageType.MISSING_PERSON, MessageType.CRISIS})


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    WEB = "web", _("web inbox")


class MessageStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    SENT = "sent", pgettext_lazy("message status", "sent")
    CANCELLED = "cancelled", pgettext_lazy("message status", "cancelled")


class TargetKind(models.TextChoices):
    NETWORKS = "networks", _("one or more networks")
    ZONE = "zone", _("a whole police zone")
    MUNICIPALITY = "municipality", _("a whole municipality")
    AREA = "area", _("an area drawn on the map")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being handed over")
    SENT = "sent", pgettext_lazy("delivery status", "sent")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


FINAL_DELIVERY_STATUSES = frozenset({DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED})


class ReportCategory(models.TextChoices):
    SUSPICIOUS_BEHAVIOUR = "suspicious_behaviour", _("suspicious behaviour")
    BURGLARY = "burglary", _("burglary or attempted burglary")
    THEFT = "theft", _("theft")
    DAMAGE = "damage", _("damage or vandalism")
    NUISANCE = "nuisance", _("nuisance")
    TRAFFIC = "traffic", _("traffic")
    OTHER = "other", _("something else")


class ReportStatus(models.TextChoices):
    NEW = "new", _("new")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    CLOSED = "closed", _("closed")
