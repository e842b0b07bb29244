"""The outbox: claim due deliveries in batches, hand them over, mark each one.

Claiming is one statement that moves up to a batch of due rows to `sending` with a lease (`claimed_until`):
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers on several machines take disjoint batches; SQLite runs one
writer at a time, which makes the single UPDATE … RETURNING atomic there too. Each delivery is marked right after
its hand-over, in its own short transaction (with `synchronous_commit` off on PostgreSQL: a worker that dies
cannot lose a committed mark, only a database crash could, and then the delivery is sent again rather than never).

A worker killed mid-batch leaves its claimed rows in `sending`; once the lease runs out another worker claims them
again. Rows already marked sent are never claimed again. The one row that was being handed over at the instant of
the kill may be handed over a second time: no protocol lets a sender learn whether an SMTP server or SMS gateway
kept a message whose acknowledgement it never received, and sending twice beats losing an urgent alert.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..choices import Channel, DeliveryStatus
from ..gateways import EmailSender, GatewayDown, KannelGateway, PermanentFailure, TemporaryFailure
from ..models import Delivery, Message
from ..rendering import RenderedEmail, sms_text
from ..tokens import dlr_url

logger = logging.getLogger(__name__)

RETRY_SECONDS = (30, 120, 600, 1800, 3600)


def retry_after(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=RETRY_SECONDS[min(attempts, len(RETRY_SECONDS)) - 1])


def outbox_claim(*, channel: str, limit: int, now: datetime.datetime | None = None) -> list[int]:
    """Claim up to `limit` due deliveries of `channel` (queued, or held by a worker whose lease ran out)."""
    now = now or timezone.now()
    lease = now + datetime.timedelta(seconds=settings.BINPLP_OUTBOX_LEASE_SECONDS)
    table = Delivery._meta.db_table
    ops = connection.ops
    params = [
        DeliveryStatus.SENDING.value,
        ops.adapt_datetimefield_value(lease),
        channel,
        DeliveryStatus.QUEUED.value,
        ops.adapt_datetimefield_value(now),
        DeliveryStatus.SENDING.value,
        ops.adapt_datetimefield_value(now),
        limit,
    ]
    lock = "FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = f"""
        UPDATE {table} SET status = %s, claimed_until = %s, attempts = attempts + 1
        WHERE id IN (
            SELECT id FROM {table}
            WHERE channel = %s AND ((status = %s AND not_before <= %s) OR (status = %s AND claimed_until < %s))
            ORDER BY id LIMIT %s {lock}
        )
        RETURNING id
    """  # noqa: S608 - table name and lock clause are fixed strings  # nosec B608
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(row[0] for row in cursor.fetchall())


def _mark(pk: int, values: dict) -> None:
    """Record the outcome of one hand-over: one UPDATE, committed at once (autocommit; on PostgreSQL the dispatch
    turns `synchronous_commit` off for its session). Only a row still claimed is updated, so a worker whose lease ran
    out cannot overwrite what another did since."""
    adapt = connection.ops.adapt_datetimefield_value
    columns = ", ".join(f"{name} = %s" for name in values)
    params = [adapt(v) if isinstance(v, datetime.datetime) else v for v in values.values()]
    sql = f"UPDATE {Delivery._meta.db_table} SET claimed_until = NULL, {columns} WHERE id = %s AND status = %s"  # noqa: S608 - column names from our callers, values bound  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk, DeliveryStatus.SENDING.value])


def _sent(pk: int, ref: str = "") -> None:
    _mark(pk, {"status": DeliveryStatus.SENT, "sent_at": timezone.now(), "provider_ref": ref, "error": ""})


def _sent_many(pks: list[int]) -> None:
    """Mark several hand-overs at once (one UPDATE, committed at once): the SMS path, whose requests complete
    BINPLP_SMS_CONCURRENCY at a time, marks them in groups of that size."""
    if not pks:
        return
    marks = ", ".join(["%s"] * len(pks))
    sql = (
        f"UPDATE {Delivery._meta.db_table} SET claimed_until = NULL, status = %s, sent_at = %s, provider_ref = '', "  # noqa: S608 - fixed table name, values bound  # nosec B608
        f"error = '' WHERE id IN ({marks}) AND status = %s"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [DeliveryStatus.SENT.value, now, *pks, DeliveryStatus.SENDING.value])


def _retry_later(delivery: Delivery, reason: str) -> None:
    if delivery.attempts >= settings.BINPLP_OUTBOX_MAX_ATTEMPTS:
        _failed(delivery, f"gave up after {delivery.attempts} attempts: {reason}")
        return
    _mark(
        delivery.pk,
        {
            "status": DeliveryStatus.QUEUED,
            "not_before": timezone.now() + retry_after(delivery.attempts),
            "error": reason[:255],
        },
    )


def _failed(delivery: Delivery, reason: str) -> None:
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED, failed_at=timezone.now(), error=reason[:255], claimed_until=None
        )
        if updated and delivery.channel == Channel.SMS:
            delivery_fallback(delivery)


def delivery_fallback(delivery: Delivery) -> Delivery | None:
    """An SMS that failed for good goes by e-mail instead, when the member has an e-mail address and did not get this
    message by e-mail already. Runs inside the caller's transaction; the e-mail dispatch is queued after commit."""
    if delivery.member_id is None:
        return None
    exists = Delivery.objects.filter(
        message_id=delivery.message_id, member_id=delivery.member_id, channel=Channel.EMAIL
    ).exists()
    has_email = Delivery.objects.filter(pk=delivery.pk, member__user__email__gt="", member__user__is_active=True)
    if exists or not has_email.exists():
        return None
    fallback = Delivery.objects.create(
        message_id=delivery.message_id,
        member_id=delivery.member_id,
        channel=Channel.EMAIL,
        language=delivery.language,
        not_before=timezone.now(),
        fallback_of=delivery,
    )
    from .sending import dispatch_enqueue

    transaction.on_commit(lambda: dispatch_enqueue([Channel.EMAIL]))
    return fallback


class _Renderer:
    """Per-batch cache of messages and their renderings per language."""

    def __init__(self) -> None:
        self.messages: dict[int, Message] = {}
        self.emails: dict[tuple[int, str], RenderedEmail] = {}

    def message(self, message_id: int) -> Message:
        if message_id not in self.messages:
            self.messages[message_id] = Message.objects.get(pk=message_id)
        return self.messages[message_id]

    def email(self, message_id: int, language: str) -> RenderedEmail:
        key = (message_id, language)
        if key not in self.emails:
            self.emails[key] = RenderedEmail(self.message(message_id), language)
        return self.emails[key]


def _load(ids: list[int]) -> list[Delivery]:
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("member__user")
        .only(
            "id",
            "message_id",
            "member_id",
            "channel",
            "language",
            "attempts",
            "status",
            "member__mobile",
            "member__user__email",
            "member__user__is_active",
        )
        .order_by("id")
    )


def _release(deliveries: list[Delivery], reason: str) -> None:
    """The channel is down: put the rest of the batch back in the queue for a later attempt."""
    for delivery in deliveries:
        _retry_later(delivery, reason)


def _open(deliveries: list[Delivery], open_sender: Callable):
    """The channel's sender, or None when the batch could not go (released or failed here)."""
    try:
        return open_sender()
    except GatewayDown as exc:
        _release(deliveries, str(exc))
        raise
    except PermanentFailure as exc:  # e.g. no SMS gateway configured
        for delivery in deliveries:
            _failed(delivery, str(exc))
        return None


def _outcome(delivery: Delivery, call: Callable[[], str], handed_over: list[int] | None = None) -> bool:
    """Run one hand-over and record its outcome (a success goes to `handed_over` for a grouped mark when given);
    GatewayDown goes up to the caller. True when handed over."""
    try:
        ref = call()
    except GatewayDown:
        raise
    except TemporaryFailure as exc:
        _retry_later(delivery, str(exc))
        return False
    except PermanentFailure as exc:
        _failed(delivery, str(exc))
        return False
    if handed_over is None:
        _sent(delivery.pk, ref)
    else:
        handed_over.append(delivery.pk)
    return True


def _reachable(delivery: Delivery, address: str, missing: str) -> bool:
    member = delivery.member
    if member is None or not member.user.is_active:
        _failed(delivery, "member no longer exists")
        return False
    if not address:
        _failed(delivery, missing)
        return False
    return True


def _hand_over_email(deliveries: list[Delivery], renderer: _Renderer) -> int:
    """One SMTP connection, one message after the other, each marked as soon as the server accepted it."""
    sender = _open(deliveries, EmailSender)
    if sender is None:
        return 0
    handed = 0
    try:
        for index, delivery in enumerate(deliveries):
            address = delivery.member.user.email if delivery.member is not None else ""
            if not _reachable(delivery, address, "no e-mail address"):
                continue
            rendered = renderer.email(delivery.message_id, delivery.language)
            to, data = rendered.for_member(
                delivery_id=delivery.pk, message_id=delivery.message_id, member_id=delivery.member_id, to=address
            )
            send = functools.partial(sender.send, from_email=rendered.from_email, to=to, data=data)
            try:
                handed += _outcome(delivery, send)
            except GatewayDown as exc:
                _release(deliveries[index:], str(exc))
                raise
    finally:
        sender.close()
    return handed


def _hand_over_sms(deliveries: list[Delivery], renderer: _Renderer) -> int:
    """BINPLP_SMS_CONCURRENCY requests in flight to the gateway (each `sendsms` waits for the gateway's
    acknowledgement, so one at a time would cap a worker at a few dozen a second); outcomes are marked in this
    thread, which alone uses the database connection — successes in groups of BINPLP_SMS_CONCURRENCY, so a worker
    killed mid-batch may hand over again at most twice that many (those in flight and those not marked yet). When the
    gateway goes down, the requests not started yet go back to the queue and those in flight are marked by their own
    outcome."""
    sender = _open(deliveries, KannelGateway)
    if sender is None:
        return 0
    handed = 0
    down: GatewayDown | None = None
    group = max(1, settings.BINPLP_SMS_CONCURRENCY)
    handed_over: list[int] = []
    try:
        with ThreadPoolExecutor(max_workers=group) as pool:
            futures = {}
            for delivery in deliveries:
                mobile = delivery.member.mobile if delivery.member is not None else ""
                if not _reachable(delivery, mobile, "no mobile number"):
                    continue
                text = sms_text(renderer.message(delivery.message_id), delivery.language)
                future = pool.submit(sender.send, to=mobile, text=text, dlr_url=dlr_url(delivery.pk))
                futures[future] = delivery
            unstarted = []
            for future in as_completed(futures):
                delivery = futures[future]
                if future.cancelled():
                    continue
                try:
                    handed += _outcome(delivery, future.result, handed_over)
                    if len(handed_over) >= group:
                        _sent_many(handed_over)
                        handed_over.clear()
                except GatewayDown as exc:
                    if down is None:
                        down = exc
                        unstarted = [futures[f] for f in futures if f.cancel()]
                    _retry_later(delivery, str(exc))
            for delivery in unstarted:
                _retry_later(delivery, str(down))
    finally:
        _sent_many(handed_over)
        sender.close()
    if down is not None:
        raise down
    return handed


def outbox_dispatch(*, channel: str, max_batches: int | None = None, batch_size: int | None = None) -> int:
    """Hand over the due deliveries of `channel` until none is left (or `max_batches`). Returns how many were handed
    over. Raises GatewayDown when the channel is unreachable (the batch is back in the queue for later)."""
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValueError(f"Nothing to dispatch for channel {channel!r}")
    renderer = _Renderer()
    handed = batches = 0
    postgres = connection.vendor == "postgresql"
    if postgres:  # marks need not wait for the WAL flush: a dead worker cannot lose them, only a dead database could
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        while max_batches is None or batches < max_batches:
            ids = outbox_claim(channel=channel, limit=batch_size or settings.BINPLP_OUTBOX_BATCH)
            if not ids:
                break
            batches += 1
            batch = _load(ids)
            handed += _hand_over_email(batch, renderer) if channel == Channel.EMAIL else _hand_over_sms(batch, renderer)
    finally:
        if postgres and connection.connection is not None and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
    return handed
