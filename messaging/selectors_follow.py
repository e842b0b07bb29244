"""Reads of part "follow" of messaging: the feedback the police owe after urgent alerts, a network's log of messages,
members' delivery problems, and the statistics.

Who sees what:
- the feedback owed: mandated officers, for the alerts their zone(s) sent;
- a network's log (counts only, no member's name): its coordinators, the mandated officers of its zone and the
  municipal officials of a municipality it covers — the people who keep the log for evaluation; nobody else learns
  that the log exists (404), national roles included;
- a network's delivery problems (members' names): its coordinators and the officers of its zone; the municipal
  officials who see the log get 403, everybody else 404;
- the statistics (counts only): mandated officers for the messages of their zone(s), municipal officials for those
  of their municipality's networks, ADVP and the Knowledge Centre for the whole country.

Every figure is counted by the database (grouped counts); Python only lays out what the queries return.
"""

from __future__ import annotations

import datetime
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Role, has_role, is_national, scope_ids
from members.choices import CURRENT_STATUSES
from members.models import Membership
from members.permissions import can_manage_members
from networks import spreadsheets
from networks.models import Network

from .choices import Channel, DeliveryStatus, MessageStatus, MessageType, ReportStatus, Sender
from .models import Delivery, Message, Rating, Reply, Report
from .permissions import message_networks_condition

BRUSSELS = ZoneInfo("Europe/Brussels")
# An alert whose feedback is due within this time is "due soon"; the reminders start then too.
DUE_SOON = datetime.timedelta(hours=2)
CLOSED_DAYS = 30  # how far back the feedback page lists the alerts whose feedback went out
PROBLEM_DAYS = 90  # how far back the delivery problems look
STATISTICS_MONTHS = 12
HANDED_OVER = (DeliveryStatus.SENT, DeliveryStatus.DELIVERED)
PENDING = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)
LOG_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WEB)
HANDOVER_CHANNELS = (Channel.EMAIL, Channel.SMS)  # the web inbox is delivered at once: no hand-over to measure


def owes_feedback_condition() -> Q:
    """Urgent alerts of the police that were sent and whose feedback has not gone out (Message.owes_feedback)."""
    return Q(
        type=MessageType.URGENT_ALERT,
        sender=Sender.POLICE,
        status=MessageStatus.SENT,
        feedback_sent_at__isnull=True,
        feedback_due_at__isnull=False,
    )


def _police_alerts() -> Q:
    return Q(type=MessageType.URGENT_ALERT, sender=Sender.POLICE, status=MessageStatus.SENT)


def _is_police_alert(message: Message) -> bool:
    return message.type == MessageType.URGENT_ALERT and message.sender == Sender.POLICE


def _networks_prefetch() -> Prefetch:
    return Prefetch("networks", queryset=Network.objects.only("pk", "code", "name").order_by("name"))


# --- feedback duty -------------------------------------------------------------------------------------------------


def can_follow_feedback(user) -> bool:
    return has_role(user, Role.ZONE_OFFICER)


@dataclass(frozen=True)
class FeedbackTask:
    """An alert whose feedback is owed: `state` is "overdue", "due_soon" or "due"."""

    alert: Message
    state: str
    age: datetime.timedelta
    due_in: datetime.timedelta  # negative when overdue

    @property
    def overdue_by(self) -> datetime.timedelta:
        return -self.due_in


@dataclass(frozen=True)
class ClosedFeedback:
    alert: Message
    feedback: Message | None
    delay: datetime.timedelta
    on_time: bool


def _officer_zones(user) -> list[int]:
    return sorted(scope_ids(user, Role.ZONE_OFFICER))


def feedback_state(due_at: datetime.datetime, now: datetime.datetime) -> str:
    if due_at <= now:
        return "overdue"
    if due_at <= now + DUE_SOON:
        return "due_soon"
    return "due"


def feedback_owed(*, user, now: datetime.datetime | None = None) -> list[FeedbackTask]:
    """The alerts of the officer's zone(s) still owing feedback, the most urgent first."""
    now = now or timezone.now()
    zones = _officer_zones(user)
    if not zones:
        return []
    alerts = (
        Message.objects.for_user(user, "view")
        .filter(owes_feedback_condition(), zone_id__in=zones)
        .select_related("zone")
        .prefetch_related(_networks_prefetch())
        .annotate(reply_count=Count("replies"))
        .order_by("feedback_due_at", "pk")
    )
    return [
        FeedbackTask(
            alert=alert,
            state=feedback_state(alert.feedback_due_at, now),
            age=now - alert.sent_at,
            due_in=alert.feedback_due_at - now,
        )
        for alert in alerts
    ]


def feedback_closed(*, user, now: datetime.datetime | None = None, days: int = CLOSED_DAYS) -> list[ClosedFeedback]:
    """The officer's zones' alerts whose feedback went out in the last `days` days, with the delay."""
    now = now or timezone.now()
    zones = _officer_zones(user)
    if not zones:
        return []
    feedback_messages = Message.objects.filter(status=MessageStatus.SENT).only(
        "pk", "feedback_for_id", "texts", "sent_at"
    )
    alerts = (
        Message.objects.for_user(user, "view")
        .filter(_police_alerts(), zone_id__in=zones, feedback_sent_at__gte=now - datetime.timedelta(days=days))
        .select_related("zone")
        .prefetch_related(
            _networks_prefetch(),
            Prefetch("feedback_messages", queryset=feedback_messages.order_by("sent_at", "pk")),
        )
        .order_by("-feedback_sent_at", "-pk")
    )
    return [
        ClosedFeedback(
            alert=alert,
            feedback=next(iter(alert.feedback_messages.all()), None),
            delay=alert.feedback_sent_at - alert.sent_at,
            on_time=alert.feedback_due_at is None or alert.feedback_sent_at <= alert.feedback_due_at,
        )
        for alert in alerts
    ]


def feedback_counts(*, user, now: datetime.datetime | None = None) -> dict[str, int]:
    """{"owed": alerts owing feedback, "overdue": those past their due time} for the officer's zone(s)."""
    now = now or timezone.now()
    zones = _officer_zones(user)
    if not zones:
        return {"owed": 0, "overdue": 0}
    return Message.objects.filter(owes_feedback_condition(), zone_id__in=zones).aggregate(
        owed=Count("pk"), overdue=Count("pk", filter=Q(feedback_due_at__lte=now))
    )


# --- networks: the log and the delivery problems ---------------------------------------------------------------------


def log_networks(user) -> QuerySet[Network]:
    """The networks whose log `user` keeps: coordinated ones, those of the user's zones, those covering the user's
    municipalities."""
    condition = message_networks_condition(user)
    return Network.objects.filter(condition) if condition is not None else Network.objects.none()


def follows_networks(user) -> bool:
    return has_role(user, Role.COORDINATOR, Role.ZONE_OFFICER, Role.MUNICIPAL_OFFICIAL)


def log_network_get(*, user, code: str) -> Network:
    """The network whose log `user` keeps; 404 for everybody else."""
    network = log_networks(user).select_related("zone", "municipality").filter(code=code).first()
    if network is None:
        raise Http404
    return network


def problems_network_get(*, user, code: str) -> Network:
    """The network whose delivery problems (members' names) `user` may see: its coordinators and the officers of its
    zone. Those who keep its log otherwise (municipal officials) get 403, everybody else 404."""
    network = log_network_get(user=user, code=code)
    if not can_manage_members(user, network):
        raise PermissionDenied
    return network


def network_log(*, user, network: Network) -> QuerySet[Message]:
    """Every message sent to `network` that `user` may see, the latest first."""
    to_network = Message.networks.through.objects.filter(network_id=network.pk).values("message_id")
    return (
        Message.objects.for_user(user, "view")
        .filter(pk__in=to_network, status=MessageStatus.SENT)
        .select_related("author", "zone")
        .order_by("-sent_at", "-pk")
    )


def network_log_years(*, user, network: Network) -> list[int]:
    return [moment.year for moment in network_log(user=user, network=network).datetimes("sent_at", "year", "DESC")]


@dataclass
class ChannelCounts:
    total: int = 0
    handed_over: int = 0
    failed: int = 0
    pending: int = 0


@dataclass
class LogRow:
    """One message of a network's log with its counts: deliveries per channel, ratings, replies and, for an urgent
    alert of the police, its feedback (the first feedback message sent, and the delay)."""

    message: Message
    networks: int = 0
    deliveries: dict[str, ChannelCounts] = field(default_factory=lambda: {c.value: ChannelCounts() for c in Channel})
    useful: int = 0
    not_useful: int = 0
    replies: int = 0
    feedback: Message | None = None
    feedback_state: str = ""  # "sent", "overdue", "due_soon", "due", or "" when no feedback is owed

    @property
    def failed(self) -> int:
        return sum(counts.failed for counts in self.deliveries.values())

    @property
    def feedback_delay(self) -> datetime.timedelta | None:
        message = self.message
        if message.feedback_sent_at is None or message.sent_at is None:
            return None
        return message.feedback_sent_at - message.sent_at

    @property
    def owes_feedback(self) -> bool:
        return self.feedback_state in ("overdue", "due_soon", "due")


def log_rows(messages: Iterable[Message], *, now: datetime.datetime | None = None, chunk: int = 500) -> list[LogRow]:
    """The counts of each message (already scoped by the caller): five grouped queries per `chunk` messages,
    whatever the number of deliveries."""
    now = now or timezone.now()
    rows = [LogRow(message=message) for message in messages]
    for start in range(0, len(rows), chunk):
        _fill_counts(rows[start : start + chunk], now)
    return rows


def _fill_counts(rows: list[LogRow], now: datetime.datetime) -> None:
    by_id = {row.message.pk: row for row in rows}
    ids = list(by_id)
    if not ids:
        return
    deliveries = (
        Delivery.objects.filter(message_id__in=ids)
        .order_by()
        .values_list("message_id", "channel", "status")
        .annotate(n=Count("pk"))
    )
    for message_id, channel, status, n in deliveries:
        counts = by_id[message_id].deliveries.setdefault(channel, ChannelCounts())
        counts.total += n
        if status in HANDED_OVER:
            counts.handed_over += n
        elif status == DeliveryStatus.FAILED:
            counts.failed += n
        else:
            counts.pending += n
    ratings = (
        Rating.objects.filter(message_id__in=ids)
        .order_by()
        .values_list("message_id")
        .annotate(n_useful=Count("pk", filter=Q(useful=True)), n_not_useful=Count("pk", filter=Q(useful=False)))
    )
    for message_id, useful, not_useful in ratings:
        by_id[message_id].useful, by_id[message_id].not_useful = useful, not_useful
    replies = Reply.objects.filter(message_id__in=ids).order_by().values_list("message_id").annotate(n=Count("pk"))
    for message_id, n in replies:
        by_id[message_id].replies = n
    networks = (
        Message.networks.through.objects.filter(message_id__in=ids)
        .order_by()
        .values_list("message_id")
        .annotate(n=Count("pk"))
    )
    for message_id, n in networks:
        by_id[message_id].networks = n
    alerts = [row for row in rows if _is_police_alert(row.message)]
    if not alerts:
        return
    feedback = (
        Message.objects.filter(feedback_for_id__in=[row.message.pk for row in alerts], status=MessageStatus.SENT)
        .only("pk", "feedback_for_id", "texts", "sent_at")
        .order_by("sent_at", "pk")
    )
    first: dict[int, Message] = {}
    for message in feedback:
        first.setdefault(message.feedback_for_id, message)
    for row in alerts:
        message = row.message
        row.feedback = first.get(message.pk)
        if message.feedback_sent_at is not None:
            row.feedback_state = "sent"
        elif message.feedback_due_at is not None:
            row.feedback_state = feedback_state(message.feedback_due_at, now)


@dataclass(frozen=True)
class DeliveryProblem:
    member_id: int
    first_name: str
    last_name: str
    channel: str
    failures: int
    last_failed_at: datetime.datetime
    last_reason: str = ""

    @property
    def name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


def delivery_problems(*, user, network: Network, now: datetime.datetime | None = None) -> QuerySet:
    """Per current member of the network and channel, the deliveries that failed in the last PROBLEM_DAYS days:
    rows of member_id, names, channel, failures and last_failed_at, the latest first (hand the page's rows to
    `delivery_problem_rows` for the last reason)."""
    now = now or timezone.now()
    members = Membership.objects.filter(
        network_id=network.pk, status__in=sorted(CURRENT_STATUSES), member__isnull=False
    ).values("member_id")
    return (
        Delivery.objects.for_user(user, "view")
        .filter(
            status=DeliveryStatus.FAILED,
            failed_at__gte=now - datetime.timedelta(days=PROBLEM_DAYS),
            member_id__in=members,
        )
        .order_by()
        .values("member_id", "member__user__first_name", "member__user__last_name", "channel")
        .annotate(failures=Count("pk"), last_failed_at=Max("failed_at"))
        .order_by("-last_failed_at", "member_id", "channel")
    )


def delivery_problem_rows(rows: Sequence[dict], *, now: datetime.datetime | None = None) -> list[DeliveryProblem]:
    """The page's rows with the reason of each member's latest failure per channel (one query for the page)."""
    now = now or timezone.now()
    rows = list(rows)
    reasons: dict[tuple[int, str], str] = {}
    if rows:
        latest = (
            Delivery.objects.filter(
                member_id__in={row["member_id"] for row in rows},
                status=DeliveryStatus.FAILED,
                failed_at__gte=now - datetime.timedelta(days=PROBLEM_DAYS),
            )
            .order_by("member_id", "channel", "-failed_at", "-pk")
            .values_list("member_id", "channel", "error")
        )
        for member_id, channel, error in latest:
            reasons.setdefault((member_id, channel), error)
    return [
        DeliveryProblem(
            member_id=row["member_id"],
            first_name=row["member__user__first_name"],
            last_name=row["member__user__last_name"],
            channel=row["channel"],
            failures=row["failures"],
            last_failed_at=row["last_failed_at"],
            last_reason=reasons.get((row["member_id"], row["channel"]), ""),
        )
        for row in rows
    ]


# --- statistics ------------------------------------------------------------------------------------------------------


def can_see_statistics(user) -> bool:
    return has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE, Role.ZONE_OFFICER, Role.MUNICIPAL_OFFICIAL)


def _network_scope(user) -> Q | None:
    """The networks whose messages the statistics count for a non-national user (zones and municipalities)."""
    conditions = []
    zones = _officer_zones(user)
    if zones:
        conditions.append(Q(zone_id__in=zones))
    municipalities = sorted(scope_ids(user, Role.MUNICIPAL_OFFICIAL))
    if municipalities:
        covering = Network.municipalities.through.objects.filter(municipality_id__in=municipalities)
        conditions.append(Q(pk__in=covering.values("network_id")))
    if not conditions:
        return None
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def statistics_message_scope(user) -> Q | None:
    """The messages the statistics count: all (national roles), else those sent by the user's zones or to a
    network of their zones or municipalities; None for nobody. Not Message.objects.for_user: that rule shows national
    roles no message at all, while their statistics count every message — counts only, never a row."""
    if is_national(user):
        return Q()
    networks = _network_scope(user)
    if networks is None:
        return None
    to_networks = Message.networks.through.objects.filter(network_id__in=Network.objects.filter(networks).values("pk"))
    condition = Q(pk__in=to_networks.values("message_id"))
    zones = _officer_zones(user)
    if zones:
        condition |= Q(zone_id__in=zones)
    return condition


def statistics_report_scope(user) -> Q | None:
    if is_national(user):
        return Q()
    conditions = []
    zones = _officer_zones(user)
    if zones:
        conditions.append(Q(zone_id__in=zones))
    networks = _network_scope(user)
    if networks is not None:
        conditions.append(Q(network_id__in=Network.objects.filter(networks).values("pk")))
    if not conditions:
        return None
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return condition


def statistics_months(today: datetime.date) -> list[datetime.date]:
    """The first days of the last STATISTICS_MONTHS months, the current one last."""
    months = []
    year, month = today.year, today.month
    for _index in range(STATISTICS_MONTHS):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile of sorted `values` by linear interpolation between the closest ranks (what
    PostgreSQL's percentile_cont computes)."""
    if not values:
        return None
    position = (len(values) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return values[low] + (values[high] - values[low]) * (position - low)


class _SecondsBetween(Func):
    """PostgreSQL: the seconds from the second expression to the first."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "
    output_field = FloatField()


class _PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


@dataclass
class FeedbackFigures:
    """Feedback after the police's urgent alerts of the period. `alerts` counts those whose feedback was due by now
    or was given (an alert sent an hour ago does not count against the share yet)."""

    alerts: int = 0
    followed: int = 0
    on_time: int = 0
    owed_now: int = 0
    median_hours: float | None = None
    p95_hours: float | None = None

    @property
    def share(self) -> float | None:
        return self.followed / self.alerts if self.alerts else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.followed if self.followed else None


@dataclass
class Statistics:
    scope: str  # "national" or "local"
    start: datetime.datetime
    end: datetime.datetime
    months: list[datetime.date]
    by_month: dict[datetime.date, dict[str, int]]
    by_type: dict[str, int]
    messages: int
    recipients: int
    deliveries: dict[str, dict[str, int]]
    feedback: FeedbackFigures
    ratings: int
    useful: int
    reports: dict[str, int]

    @property
    def useful_share(self) -> float | None:
        return self.useful / self.ratings if self.ratings else None

    def hand_over(self, channel: str | None = None) -> dict[str, float | int | None]:
        """Handed over (sent or delivered) and failed deliveries by e-mail and SMS, or of one channel, with the share
        handed over among those whose fate is known."""
        channels = [channel] if channel else list(HANDOVER_CHANNELS)
        handed = sum(self.deliveries[c].get(s, 0) for c in channels for s in HANDED_OVER)
        failed = sum(self.deliveries[c].get(DeliveryStatus.FAILED, 0) for c in channels)
        pending = sum(self.deliveries[c].get(s, 0) for c in channels for s in PENDING)
        return {
            "handed_over": handed,
            "failed": failed,
            "pending": pending,
            "rate": handed / (handed + failed) if handed + failed else None,
        }

    def channel_total(self, channel: str) -> int:
        return sum(self.deliveries[channel].values())


# The national figures count every delivery of the year (millions at full scale, seconds of work): they are kept for
# ten minutes. A zone's or a municipality's figures read their own messages through the indexes and are always fresh.
NATIONAL_CACHE_SECONDS = 600
_NATIONAL_KEY = "messaging:statistics:national:v1"


def message_statistics(*, user, now: datetime.datetime | None = None) -> Statistics:
    """The figures of the statistics page and API for `user`'s scope over the last STATISTICS_MONTHS months (from
    the first day of the month eleven months ago). PermissionDenied for those who see no statistics. The national
    figures of "now" come from the cache when they are less than NATIONAL_CACHE_SECONDS old."""
    if not can_see_statistics(user):
        raise PermissionDenied
    scope = statistics_message_scope(user)
    report_scope = statistics_report_scope(user)
    if scope is None or report_scope is None:
        raise PermissionDenied
    if now is None and is_national(user):
        figures = cache.get(_NATIONAL_KEY)
        if figures is None:
            figures = _statistics(user, scope, report_scope, timezone.now())
            cache.set(_NATIONAL_KEY, figures, NATIONAL_CACHE_SECONDS)
        return figures
    return _statistics(user, scope, report_scope, now or timezone.now())


def _statistics(user, scope: Q, report_scope: Q, now: datetime.datetime) -> Statistics:
    months = statistics_months(timezone.localtime(now, BRUSSELS).date())
    start = datetime.datetime.combine(months[0], datetime.time(), tzinfo=BRUSSELS)
    sent = Message.objects.filter(scope, status=MessageStatus.SENT, sent_at__gte=start, sent_at__lte=now)

    by_month: dict[datetime.date, dict[str, int]] = {month: dict.fromkeys(MessageType.values, 0) for month in months}
    by_type = dict.fromkeys(MessageType.values, 0)
    grouped = (
        sent.annotate(month=TruncMonth("sent_at", tzinfo=BRUSSELS))
        .order_by()
        .values_list("month", "type")
        .annotate(n=Count("pk"))
    )
    for month, message_type, n in grouped:
        day = timezone.localtime(month, BRUSSELS).date() if isinstance(month, datetime.datetime) else month
        by_month.setdefault(day, dict.fromkeys(MessageType.values, 0))[message_type] = n
        by_type[message_type] = by_type.get(message_type, 0) + n
    totals = sent.aggregate(messages=Count("pk"), recipients=Sum("recipients"))

    deliveries = {channel: dict.fromkeys(DeliveryStatus.values, 0) for channel in Channel.values}
    grouped_deliveries = (
        Delivery.objects.filter(message_id__in=sent.values("pk"))
        .order_by()
        .values_list("channel", "status")
        .annotate(n=Count("pk"))
    )
    for channel, status, n in grouped_deliveries:
        deliveries.setdefault(channel, dict.fromkeys(DeliveryStatus.values, 0))[status] = n

    ratings = Rating.objects.filter(message_id__in=sent.values("pk")).aggregate(
        total=Count("pk"), useful=Count("pk", filter=Q(useful=True))
    )
    reports = dict.fromkeys(ReportStatus.values, 0)
    for status, n in (
        Report.objects.filter(report_scope, created_at__gte=start, created_at__lte=now)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    ):
        reports[status] = n

    return Statistics(
        scope="national" if is_national(user) else "local",
        start=start,
        end=now,
        months=months,
        by_month={month: by_month[month] for month in months},
        by_type=by_type,
        messages=totals["messages"],
        recipients=totals["recipients"] or 0,
        deliveries=deliveries,
        feedback=feedback_figures(scope=scope, start=start, now=now),
        ratings=ratings["total"],
        useful=ratings["useful"],
        reports=reports,
    )


def feedback_figures(*, scope: Q, start: datetime.datetime, now: datetime.datetime) -> FeedbackFigures:
    """Feedback after the police's urgent alerts sent from `start`: how many were followed by feedback, how many
    on time, and the median and 95th percentile of the delay (in hours) — percentile_cont on PostgreSQL; elsewhere
    the delays (one number per alert, never per delivery) are read sorted and interpolated the same way."""
    alerts = Message.objects.filter(scope, _police_alerts(), sent_at__gte=start, sent_at__lte=now)
    counted = alerts.filter(Q(feedback_due_at__lte=now) | Q(feedback_sent_at__isnull=False))
    followed = Q(feedback_sent_at__isnull=False)
    figures = counted.aggregate(
        alerts=Count("pk"),
        followed=Count("pk", filter=followed),
        on_time=Count("pk", filter=followed & Q(feedback_sent_at__lte=F("feedback_due_at"))),
    )
    result = FeedbackFigures(alerts=figures["alerts"], followed=figures["followed"], on_time=figures["on_time"])
    result.owed_now = Message.objects.filter(scope, owes_feedback_condition()).count()
    if not result.followed:
        return result
    with_feedback = alerts.filter(followed)
    if connection.vendor == "postgresql":
        delay = _SecondsBetween(F("feedback_sent_at"), F("sent_at"))
        values = with_feedback.aggregate(median=_PercentileCont(delay, 0.5), p95=_PercentileCont(delay, 0.95))
        median, p95 = values["median"], values["p95"]
    else:
        delays = sorted(
            (feedback_sent_at - sent_at).total_seconds()
            for sent_at, feedback_sent_at in with_feedback.values_list("sent_at", "feedback_sent_at")
        )
        median, p95 = percentile(delays, 0.5), percentile(delays, 0.95)
    result.median_hours = None if median is None else median / 3600
    result.p95_hours = None if p95 is None else p95 / 3600
    return result


def statistics_networks(*, user, start: datetime.datetime) -> QuerySet[Network]:
    """The networks whose log `user` keeps, with the messages they got since `start` (for the links to the logs on
    the statistics page)."""
    return (
        log_networks(user)
        .annotate(
            messages_sent=Count(
                "messages", filter=Q(messages__status=MessageStatus.SENT, messages__sent_at__gte=start), distinct=True
            )
        )
        .select_related("municipality")
        .order_by("name", "pk")
    )


def problem_counts(network_ids: Iterable[int], *, now: datetime.datetime | None = None) -> dict[int, int]:
    """Per network, its current members with at least one failed delivery in the last PROBLEM_DAYS days."""
    now = now or timezone.now()
    ids = sorted(set(network_ids))
    if not ids:
        return {}
    failing = Delivery.objects.filter(
        status=DeliveryStatus.FAILED, failed_at__gte=now - datetime.timedelta(days=PROBLEM_DAYS)
    ).values("member_id")
    rows = (
        Membership.objects.filter(network_id__in=ids, status__in=sorted(CURRENT_STATUSES), member_id__in=failing)
        .order_by()
        .values_list("network_id")
        .annotate(n=Count("member_id", distinct=True))
    )
    counts: dict[int, int] = defaultdict(int)
    for network_id, n in rows:
        counts[network_id] = n
    return dict(counts)


# --- export of the log -----------------------------------------------------------------------------------------------

EXPORT_CONTENT_TYPES = {
    spreadsheets.CSV: "text/csv; charset=utf-8",
    spreadsheets.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORT_COLUMNS = (
    (_("Sent"), 17),
    (_("Type"), 16),
    (_("Sent by"), 12),
    (_("Author"), 22),
    (_("Title"), 40),
    (_("Sent to"), 22),
    (_("Networks"), 10),
    (_("Recipients"), 11),
    (_("E-mails"), 9),
    (_("E-mails failed"), 9),
    (_("SMS"), 9),
    (_("SMS failed"), 9),
    (_("Web inbox"), 9),
    (_("Useful"), 8),
    (_("Not useful"), 8),
    (_("Replies"), 8),
    (_("Feedback"), 40),
    (_("Feedback sent"), 17),
    (_("Feedback delay (hours)"), 12),
    (_("Feedback status"), 16),
)


def _moment(value: datetime.datetime | None) -> str:
    return timezone.localtime(value, BRUSSELS).strftime("%Y-%m-%d %H:%M") if value else ""


def feedback_state_label(state: str) -> str:
    return str(FEEDBACK_STATE_LABELS.get(state, ""))


FEEDBACK_STATE_LABELS = {
    "sent": _("sent"),
    "overdue": _("overdue"),
    "due_soon": _("due soon"),
    "due": _("owed"),
}


def log_export_row(row: LogRow) -> list:
    message = row.message
    email, sms, web = (row.deliveries.get(c, ChannelCounts()) for c in (Channel.EMAIL, Channel.SMS, Channel.WEB))
    delay = row.feedback_delay
    return [
        _moment(message.sent_at),
        message.get_type_display(),
        message.get_sender_display(),
        str(message.author) if message.author_id else "",
        message.title(),
        message.get_target_kind_display(),
        row.networks,
        message.recipients,
        email.total,
        email.failed,
        sms.total,
        sms.failed,
        web.total,
        row.useful,
        row.not_useful,
        row.replies,
        row.feedback.title() if row.feedback else "",
        _moment(message.feedback_sent_at) if row.feedback_state == "sent" else "",
        round(delay.total_seconds() / 3600, 1) if delay is not None and row.feedback_state == "sent" else "",
        feedback_state_label(row.feedback_state),
    ]


def network_log_export(*, network: Network, messages: QuerySet[Message], file_format: str) -> tuple[bytes, str, str]:
    """The log (the messages as filtered, already scoped) as CSV or XLSX: (content, file name, content type). Counts
    and titles only, no member's data; values a spreadsheet would run as a formula are neutralised."""
    if file_format not in EXPORT_CONTENT_TYPES:
        raise ValueError(f"Unknown export format {file_format!r}")
    rows = [log_export_row(row) for row in log_rows(messages)]
    header = [str(title) for title, _width in EXPORT_COLUMNS]
    name = f"binplp-message-log-{network.code}-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == spreadsheets.XLSX:
        widths = [width for _title, width in EXPORT_COLUMNS]
        content = spreadsheets.write_xlsx(header, rows, sheet_name=str(_("Message log")), widths=widths)
        return content, name, EXPORT_CONTENT_TYPES[file_format]
    stream = io.StringIO()
    spreadsheets.write_csv(stream, header, rows)
    return stream.getvalue().encode("utf-8"), name, EXPORT_CONTENT_TYPES[file_format]
