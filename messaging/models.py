"""The information exchange of a network (DESIGN §3 Messaging, domain brief §5).

A `Message` is written by the police (the zone's mandated officer) or a coordinator, as the charter's
communication plan allows, for one or more networks. Sending it writes one `Delivery` per member and channel in the
same transaction — the *outbox* — which workers then claim in batches, hand over to the SMTP server or the SMS
gateway, and mark. Members rate a message (`Rating`) and reply (`Reply`); after an urgent alert the zone owes a
feedback message (`Message.feedback_for`). Members' non-urgent `Report`s go to the zone's inbox. `Tip`s are a
reusable library of prevention tips per language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager
from geography.models import Municipality, PoliceZone
from members.models import Member
from networks.models import Network

from .choices import (
    URGENT_TYPES,
    Channel,
    DeliveryStatus,
    MessageStatus,
    MessageType,
    ReportCategory,
    ReportStatus,
    Sender,
    TargetKind,
)


class Message(models.Model):
    """A message to the members of one or more networks. `texts` holds, per language code, the `title`, the
    `body` (Markdown) and the short `sms` text; members get their language, else the best available one."""

    type = models.CharField(_("type"), max_length=20, choices=MessageType.choices)
    sender = models.CharField(_("sent as"), max_length=12, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages_written",
        verbose_name=_("author"),
    )
    zone = models.ForeignKey(
        PoliceZone,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("police zone"),
        help_text=_("The zone that sends (police messages) or the zone of the coordinator's network."),
    )
    target_kind = models.CharField(_("sent to"), max_length=12, choices=TargetKind.choices)
    target_zone = models.ForeignKey(
        PoliceZone, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("target zone")
    )
    target_municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target municipality"),
    )
    target_area = models.JSONField(_("target area (GeoJSON polygon)"), null=True, blank=True)
    networks = models.ManyToManyField(Network, related_name="messages", verbose_name=_("networks"))
    texts = models.JSONField(_("texts"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=MessageStatus.choices)
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    feedback_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_messages",
        verbose_name=_("feedback on"),
    )
    feedback_due_at = models.DateTimeField(_("feedback due"), null=True, blank=True)
    feedback_sent_at = models.DateTimeField(_("feedback sent"), null=True, blank=True)
    feedback_reminded_at = models.DateTimeField(_("last feedback reminder"), null=True, blank=True)
    feedback_reminders = models.PositiveSmallIntegerField(_("feedback reminders sent"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SCHEDULED) | Q(send_at__isnull=False),
                name="message_scheduled_has_time",
                violation_error_message=_("A scheduled message needs a time to send it."),
            ),
            models.CheckConstraint(
                condition=~Q(status=MessageStatus.SENT) | Q(sent_at__isnull=False),
                name="message_sent_has_time",
                violation_error_message=_("A sent message needs the time it was sent."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "send_at"], name="message_status_send_idx"),
            models.Index(fields=["zone", "-created_at"], name="message_zone_created_idx"),
            models.Index(fields=["type", "sent_at"], name="message_type_sent_idx"),
            models.Index(fields=["feedback_due_at"], name="message_feedback_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title()

    def get_absolute_url(self) -> str:
        return reverse("messaging:message_detail", args=[self.pk])

    @property
    def is_urgent(self) -> bool:
        return self.type in URGENT_TYPES

    @property
    def owes_feedback(self) -> bool:
        """An urgent alert sent by the police for which no feedback message went out yet."""
        return (
            self.type == MessageType.URGENT_ALERT
            and self.sender == Sender.POLICE
            and self.status == MessageStatus.SENT
            and self.feedback_sent_at is None
        )

    def text_for(self, language: str | None, fallbacks: tuple[str, ...] = ()) -> tuple[str, dict]:
        """(language, {"title", "body", "sms"}) in `language`, else the first of `fallbacks`, else Dutch, French,
        German, English, else whichever exists."""
        order = [language, *fallbacks, "nl", "fr", "de", "en", *sorted(self.texts)]
        for code in order:
            if code and self.texts.get(code, {}).get("body"):
                return code, self.texts[code]
        return "", {"title": "", "body": "", "sms": ""}

    def title(self, language: str | None = None) -> str:
        from django.utils.translation import get_language

        return self.text_for(language or get_language())[1].get("title", "") or f"#{self.pk}"


class Delivery(models.Model):
    """One message to one member by one channel: a row of the outbox. Workers claim queued rows (`claimed_until`
    is the lease of the worker that holds it), hand them over and mark them; a row marked sent is never sent again.
    The address is read from the member when the delivery is handed over, so none is copied here."""

    # No single-column indexes on message and member: the unique constraint (message, member, channel) and the
    # member index (member, channel, -id) start with them, and every index costs each of 100,000s of inserts.
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("message"), db_index=False
    )
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
        verbose_name=_("member"),
        db_index=False,
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"))
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    error = models.CharField(_("reason"), max_length=255, blank=True)
    provider_ref = models.CharField(_("gateway reference"), max_length=64, blank=True)
    fallback_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fallbacks",
        verbose_name=_("fallback for"),
    )
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member", "channel"],
                name="delivery_once_per_member_channel",
                violation_error_message=_("This member already has a delivery of this message by this channel."),
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "status", "not_before"], name="delivery_claim_idx"),
            models.Index(fields=["message", "channel", "status"], name="delivery_message_status_idx"),
            models.Index(fields=["member", "channel", "-id"], name="delivery_member_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.member_id}/{self.channel}"


class Rating(models.Model):
    """A member's one-click judgement of a message: useful or not."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("message"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("member"))
    useful = models.BooleanField(_("useful"))
    created_at = models.DateTimeField(_("rated"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "member"],
                name="rating_once_per_member",
                violation_error_message=_("This member already rated this message."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id}: {'+' if self.useful else '-'}"


class Reply(models.Model):
    """A member's answer to a message; it reaches the sender's inbox."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies", verbose_name=_("message"))
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies", verbose_name=_("member")
    )
    body = models.TextField(_("reply"), max_length=2000)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["message", "-created_at"], name="reply_message_idx")]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.body[:40]}"


class Report(models.Model):
    """A member's non-urgent report to the police of their network's zone: what, where, when and a description of
    the behaviour — not of anyone's appearance, no number plate, no photo. Urgent matters go to 101 or 112."""

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports", verbose_name=_("member")
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="reports", verbose_name=_("network"))
    zone = models.ForeignKey(
        PoliceZone, on_delete=models.PROTECT, related_name="reports", verbose_name=_("police zone")
    )
    category = models.CharField(_("what happened"), max_length=24, choices=ReportCategory.choices)
    happened_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    description = models.TextField(_("description of the behaviour"), max_length=3000)
    vehicle_type = models.CharField(_("vehicle type (no number plate)"), max_length=80, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    status = models.CharField(_("status"), max_length=14, choices=ReportStatus.choices, default=ReportStatus.NEW)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer = models.TextField(_("answer to the member"), max_length=3000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.CLOSED) | Q(closed_at__isnull=False),
                name="report_closed_has_time",
                violation_error_message=_("A closed report needs the time it was closed."),
            )
        ]
        indexes = [models.Index(fields=["zone", "status", "-created_at"], name="report_zone_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:report_detail", args=[self.pk])


class Tip(models.Model):
    """A reusable prevention tip in one language: national (no zone; the Knowledge Centre and ADVP keep them) or a
    zone's own."""

    zone = models.ForeignKey(
        PoliceZone, null=True, blank=True, on_delete=models.CASCADE, related_name="tips", verbose_name=_("police zone")
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"), max_length=5000)
    sms = models.CharField(_("SMS text"), max_length=306, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("prevention tip")
        verbose_name_plural = _("prevention tips")
        ordering = ["language", "title"]

    def __str__(self) -> str:
        return self.title
