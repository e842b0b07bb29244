"""Fan-out: who gets a message, by which channels and from when — and writing those deliveries (the outbox) fast.

Rules per member (DESIGN §3, issue 5):
- the web inbox always gets the message (delivered at once);
- e-mail when the member chose e-mail; SMS when they chose SMS and have a mobile number;
- a muted (non-urgent) type reaches only the inbox; urgent types cannot be muted;
- non-urgent messages: nothing by e-mail or SMS during a holiday pause, and they wait for the end of quiet hours;
- urgent messages: e-mail at once; SMS at once, except during quiet hours or a holiday pause, where an SMS goes only
  to members who chose "urgent alerts by SMS even in quiet hours".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from members.choices import MembershipStatus
from members.models import Membership

from ..choices import URGENT_TYPES, Channel, DeliveryStatus
from ..models import Delivery

BRUSSELS = ZoneInfo("Europe/Brussels")

RECIPIENT_FIELDS = (
    "member_id",
    "member__user__language",
    "member__user__is_active",
    "member__mobile",
    "member__by_email",
    "member__by_sms",
    "member__urgent_by_sms",
    "member__muted_types",
    "member__quiet_from",
    "member__quiet_until",
    "member__paused_from",
    "member__paused_until",
)


@dataclass
class Plan:
    """The deliveries of one message: rows ready to insert and the counts per channel."""

    rows: list[tuple] = field(default_factory=list)
    members: int = 0
    per_channel: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in Channel})
    delayed: int = 0  # e-mails and SMS waiting for the end of quiet hours


def quiet_until(now_local: datetime.datetime, start: datetime.time | None, end: datetime.time | None):
    """The local datetime quiet hours end, when `now_local` is inside them; else None. Quiet hours may span
    midnight (22:00–07:00)."""
    if start is None or end is None or start == end:
        return None
    t = now_local.timetz().replace(tzinfo=None)
    inside = start <= t < end if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = now_local.date()
    if start > end and t >= start:
        day = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=BRUSSELS)


def recipients(network_ids: Iterable[int]):
    """One row per active member of the networks (a member of two target networks appears once)."""
    rows = (
        Membership.objects.filter(
            network_id__in=sorted(set(network_ids)), status=MembershipStatus.ACTIVE, member__isnull=False
        )
        .order_by()
        .values_list(*RECIPIENT_FIELDS)
    )
    seen: set[int] = set()
    for row in rows.iterator(chunk_size=5000):
        if row[0] in seen or not row[2]:
            continue
        seen.add(row[0])
        yield row


def plan(*, message_id: int | None, message_type: str, network_ids: Iterable[int], now=None) -> Plan:
    """Decide every delivery of a message (without writing). With `message_id` None, only the counts matter (the
    preview before sending)."""
    now = now or timezone.now()
    now_local = now.astimezone(BRUSSELS)
    today = now_local.date()
    urgent = message_type in URGENT_TYPES
    result = Plan()
    rows = result.rows
    counts = result.per_channel
    web, email, sms = Channel.WEB.value, Channel.EMAIL.value, Channel.SMS.value
    queued, delivered = DeliveryStatus.QUEUED.value, DeliveryStatus.DELIVERED.value
    for (
        member_id,
        language,
        _active,
        mobile,
        by_email,
        by_sms,
        urgent_by_sms,
        muted,
        q_from,
        q_until,
        p_from,
        p_until,
    ) in recipients(network_ids):
        result.members += 1
        rows.append((message_id, member_id, web, language, delivered, now, now))
        counts[web] += 1
        if not urgent and muted and message_type in muted:
            continue
        paused = p_from is not None and p_until is not None and p_from <= today <= p_until
        quiet_end = quiet_until(now_local, q_from, q_until)
        if urgent:
            if by_email:
                rows.append((message_id, member_id, email, language, queued, now, None))
                counts[email] += 1
            if by_sms and mobile and (urgent_by_sms or not (paused or quiet_end)):
                rows.append((message_id, member_id, sms, language, queued, now, None))
                counts[sms] += 1
            continue
        if paused:
            continue
        start = quiet_end if quiet_end is not None else now
        if quiet_end is not None and (by_email or (by_sms and mobile)):
            result.delayed += 1
        if by_email:
            rows.append((message_id, member_id, email, language, queued, start, None))
            counts[email] += 1
        if by_sms and mobile:
            rows.append((message_id, member_id, sms, language, queued, start, None))
            counts[sms] += 1
    return result


COLUMNS = ("message_id", "member_id", "channel", "language", "status", "not_before", "delivered_at")
DEFAULTS = {"attempts": 0, "error": "", "provider_ref": ""}


def deliveries_insert(rows: list[tuple]) -> int:
    """Insert planned deliveries in bulk: COPY on PostgreSQL, one executemany on SQLite (both inside the caller's
    transaction). Much faster than bulk_create for 100,000s of rows, and as transactional."""
    if not rows:
        return 0
    table = Delivery._meta.db_table
    columns = (*COLUMNS, *DEFAULTS)
    extra = tuple(DEFAULTS.values())
    adapt = connection.ops.adapt_datetimefield_value
    adapted: dict = {None: None}
    rows = [
        row[:5] + tuple(adapted[v] if v in adapted else adapted.setdefault(v, adapt(v)) for v in row[5:])
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608 - fixed names
                for row in rows:
                    copy.write_row(row + extra)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - fixed names  # nosec B608
            cursor.executemany(sql, [row + extra for row in rows])
    return len(rows)
