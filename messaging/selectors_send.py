"""Reads of part "send": the sent-message list and detail with tracking, the preview before sending, the tips
library. Every read starts from `Model.objects.for_user(user, action)`. None of them shows a member's personal data:
tracking and preview are counts, and failure reasons are stripped of addresses and numbers."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, has_role, is_national
from core.scoping import can, get_for_user
from networks.models import Network

from . import guardrails, permissions
from .choices import Channel, DeliveryStatus, MessageStatus
from .models import Delivery, Message, Rating, Reply, Tip
from .rendering import sms_text
from .services import fanout
from .services.targets import Draft
from .sms import sms_length

PENDING_STATUSES = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
HANDOVER_CHANNELS = (Channel.EMAIL, Channel.SMS)


# --- who sees what -------------------------------------------------------------------------------------------------


def can_follow_messages(user) -> bool:
    """Mandated officers, coordinators and municipal officials follow the messages of their networks."""
    return has_role(user, Role.ZONE_OFFICER, Role.COORDINATOR, Role.MUNICIPAL_OFFICIAL)


def can_use_tips(user) -> bool:
    """Whoever composes messages uses the tips; the national roles keep the national ones."""
    return permissions.can_compose(user) or is_national(user)


def can_keep_tips(user) -> bool:
    """National roles (national tips) and mandated officers (their zone's tips) add tips."""
    return is_national(user) or has_role(user, Role.ZONE_OFFICER)


# --- sent messages -------------------------------------------------------------------------------------------------


def message_list(*, user):
    """The messages `user` follows, newest first, with what the list shows (constant number of queries)."""
    return (
        Message.objects.for_user(user, "view")
        .select_related("zone", "author")
        .prefetch_related(Prefetch("networks", queryset=Network.objects.only("pk", "code", "name").order_by("name")))
        .order_by("-created_at", "-id")
    )


def message_get(*, user, pk: int, action: str = "view") -> Message:
    """One message `user` sees (404 otherwise; 403 when seen but `action` is not allowed)."""
    queryset = Message.objects.select_related("zone", "author", "target_zone", "target_municipality", "feedback_for")
    return get_for_user(queryset, user, action, pk=pk)


def can_cancel(user, message: Message) -> bool:
    return message.status == MessageStatus.SCHEDULED and can(user, "change", message)


def can_send_feedback(user, message: Message) -> bool:
    return message.owes_feedback and can(user, "change", message)


# --- tracking ------------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NUMBER = re.compile(r"\+?\d[\d ./-]{6,}\d")


def failure_reason(error: str) -> str:
    """A failure reason without the e-mail addresses and telephone numbers gateways put into their messages."""

    def number(match) -> str:  # a telephone number has at least 8 digits; SMTP codes (550 5.1.1) stay
        return "…" if sum(ch.isdigit() for ch in match.group(0)) >= 8 else match.group(0)

    reason = _NUMBER.sub(number, _EMAIL.sub("…", error or "")).strip()
    return reason or _("no reason given")


@dataclass
class ChannelRow:
    channel: str
    label: str
    counts: dict[str, int]
    total: int

    @property
    def cells(self) -> list[int]:
        """The counts in the order of the delivery statuses (the table's columns)."""
        return [self.counts.get(status, 0) for status in DeliveryStatus.values]


@dataclass
class Tracking:
    rows: list[ChannelRow] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    total: int = 0
    pending: int = 0  # e-mails and SMS still queued or being handed over
    handed_over: int = 0  # e-mails and SMS handed to the SMTP server or the SMS gateway
    to_hand_over: int = 0
    first_handover: datetime.timedelta | None = None
    last_handover: datetime.timedelta | None = None
    failures: list[dict] = field(default_factory=list)
    useful: int = 0
    not_useful: int = 0
    replies: int = 0

    @property
    def statuses(self) -> list[tuple[str, str]]:
        return list(DeliveryStatus.choices)


def message_tracking(*, message: Message) -> Tracking:
    """Deliveries per channel and status, time to the first and last hand-over after sending, failures by reason,
    ratings and replies. Four queries whatever the number of deliveries."""
    tracking = Tracking(totals=dict.fromkeys(DeliveryStatus.values, 0))
    counts: dict[str, dict[str, int]] = {c: dict.fromkeys(DeliveryStatus.values, 0) for c in Channel.values}
    first = last = None
    rows = (
        Delivery.objects.filter(message=message)
        .values("channel", "status")
        .annotate(count=Count("id"), first=Min("sent_at"), last=Max("sent_at"))
        .order_by()
    )
    for row in rows:
        channel, status = row["channel"], row["status"]
        counts.setdefault(channel, dict.fromkeys(DeliveryStatus.values, 0))[status] = row["count"]
        tracking.totals[status] = tracking.totals.get(status, 0) + row["count"]
        tracking.total += row["count"]
        if channel in HANDOVER_CHANNELS:
            tracking.to_hand_over += row["count"]
            if status in PENDING_STATUSES:
                tracking.pending += row["count"]
            if status in (DeliveryStatus.SENT, DeliveryStatus.DELIVERED):
                tracking.handed_over += row["count"]
            if row["first"] is not None:
                first = row["first"] if first is None else min(first, row["first"])
                last = row["last"] if last is None else max(last, row["last"])
    labels = dict(Channel.choices)
    tracking.rows = [
        ChannelRow(channel=c, label=str(labels[c]), counts=counts[c], total=sum(counts[c].values()))
        for c in (Channel.WEB, Channel.EMAIL, Channel.SMS)
    ]
    if message.sent_at and first is not None:
        tracking.first_handover = max(first - message.sent_at, datetime.timedelta(0))
        tracking.last_handover = max(last - message.sent_at, datetime.timedelta(0))

    grouped: Counter = Counter()
    failed = (
        Delivery.objects.filter(message=message, status=DeliveryStatus.FAILED)
        .values("channel", "error")
        .annotate(count=Count("id"))
        .order_by("-count")[:200]
    )
    for row in failed:
        grouped[(row["channel"], failure_reason(row["error"]))] += row["count"]
    tracking.failures = [
        {"channel": channel, "channel_label": str(labels.get(channel, channel)), "reason": reason, "count": count}
        for (channel, reason), count in grouped.most_common(20)
    ]

    ratings = Rating.objects.filter(message=message).aggregate(
        useful_count=Count("id", filter=Q(useful=True)), not_useful_count=Count("id", filter=Q(useful=False))
    )
    tracking.useful, tracking.not_useful = ratings["useful_count"], ratings["not_useful_count"]
    tracking.replies = Reply.objects.filter(message=message).count()
    return tracking


def duration_label(value: datetime.timedelta | None) -> str:
    """45 s, 3 min 12 s, 2 h 5 min."""
    if value is None:
        return "–"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": seconds}
    hours, minutes = divmod(minutes, 60)
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


# --- preview -------------------------------------------------------------------------------------------------------


@dataclass
class SmsLanguage:
    language: str
    label: str
    recipients: int
    text: str
    encoding: str
    characters: int
    segments: int


@dataclass
class Preview:
    members: int
    per_channel: dict[str, int]
    delayed: int
    sms: list[SmsLanguage]
    sms_recipients: int
    sms_segments: int  # segments of every SMS together
    cost: Decimal
    cost_per_segment: Decimal
    warnings: list[guardrails.GuardrailWarning]

    @property
    def needs_acknowledgement(self) -> bool:
        return guardrails.needs_acknowledgement(self.warnings)

    @property
    def price_places(self) -> int:
        """Decimals to show the price of a segment with: at least two (0.07), more when it has them (0.065)."""
        return max(2, -int(self.cost_per_segment.normalize().as_tuple().exponent))

    @property
    def channels(self) -> list[tuple[str, str, int]]:
        labels = dict(Channel.choices)
        return [(c, str(labels[c]), self.per_channel.get(c, 0)) for c in (Channel.WEB, Channel.EMAIL, Channel.SMS)]


def message_preview(*, draft: Draft, now: datetime.datetime | None = None) -> Preview:
    """What sending `draft` would do: recipients and deliveries per channel (as the fan-out plans them at the time
    the message goes), those waiting for the end of quiet hours, the SMS segments and their estimated cost, and
    the guardrails' warnings. Writes nothing."""
    now = now or timezone.now()
    at = draft.send_at or now
    plan = fanout.plan(
        message_id=None, message_type=draft.message_type, network_ids=[n.pk for n in draft.networks], now=at
    )
    sms_by_language = Counter(row[3] or "" for row in plan.rows if row[2] == Channel.SMS)
    probe = Message(type=draft.message_type, texts=draft.texts)
    languages = dict(settings.LANGUAGES)
    per_text: dict[str, SmsLanguage] = {}
    for language, recipients in sms_by_language.items():
        code, _text = probe.text_for(language)
        text = sms_text(probe, language)
        entry = per_text.get(code)
        if entry is None:
            length = sms_length(text)
            entry = per_text[code] = SmsLanguage(
                language=code,
                label=str(languages.get(code, code)),
                recipients=0,
                text=text,
                encoding=length.encoding,
                characters=length.characters,
                segments=length.segments,
            )
        entry.recipients += recipients
    sms = sorted(per_text.values(), key=lambda e: list(languages).index(e.language) if e.language in languages else 9)
    segments = sum(e.segments * e.recipients for e in sms)
    per_segment = Decimal(str(settings.BINPLP_SMS_COST_PER_SEGMENT))
    return Preview(
        members=plan.members,
        per_channel=dict(plan.per_channel),
        delayed=plan.delayed,
        sms=sms,
        sms_recipients=sum(e.recipients for e in sms),
        sms_segments=segments,
        cost=(per_segment * segments).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        cost_per_segment=per_segment,
        warnings=guardrails.check(draft, now=now),
    )


# --- tips ----------------------------------------------------------------------------------------------------------


def tip_list(*, user, language: str = "", query: str = ""):
    tips = Tip.objects.for_user(user, "view").select_related("zone")
    if language:
        tips = tips.filter(language=language)
    for word in (query or "").split()[:8]:
        tips = tips.filter(Q(title__icontains=word) | Q(body__icontains=word) | Q(sms__icontains=word))
    return tips.order_by("language", "title", "pk")


def tip_get(*, user, pk: int, action: str = "view") -> Tip:
    return get_for_user(Tip.objects.select_related("zone"), user, action, pk=pk)


def tips_changeable(*, user, tips) -> set[int]:
    """Ids among `tips` that `user` may change (one query)."""
    ids = [tip.pk for tip in tips]
    if not ids:
        return set()
    return set(Tip.objects.for_user(user, "change").filter(pk__in=ids).values_list("pk", flat=True))
