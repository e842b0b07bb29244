"""Writing, sending, scheduling and cancelling messages.

`message_send` checks everything, then writes the message and — when it goes now — every delivery in one
transaction (the outbox), with the audit event; the dispatch tasks that hand deliveries over are queued once that
transaction commits. A scheduled message gets its deliveries when it is due (`message_fan_out`, idempotent).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditAction
from networks.models import Network

from .. import permissions
from ..choices import Channel, MessageStatus, MessageType, Sender, TargetKind
from ..models import Message
from ..sms import sms_length
from . import fanout

TITLE_MAX = 150
BODY_MAX = 10000
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class SendResult:
    message: Message
    deliveries: int


def texts_clean(texts: dict) -> dict:
    """Keep the languages with a text; each needs a title and a body within limits; the SMS text, when given, fits
    in BINPLP_SMS_MAX_SEGMENTS segments."""
    if not isinstance(texts, dict):
        raise ValidationError({"texts": _("Give the texts per language.")})
    cleaned: dict[str, dict[str, str]] = {}
    errors: dict[str, list] = {}
    for code, value in texts.items():
        if code not in LANGUAGES:
            errors.setdefault("texts", []).append(_("Unknown language: %(code)s.") % {"code": code})
            continue
        value = value or {}
        title = str(value.get("title", "")).strip()
        body = str(value.get("body", "")).strip()
        sms = str(value.get("sms", "")).strip()
        if not (title or body or sms):
            continue
        if not title:
            errors.setdefault(f"title_{code}", []).append(_("Give a title."))
        elif len(title) > TITLE_MAX:
            errors.setdefault(f"title_{code}", []).append(
                _("The title is %(length)s characters long; at most %(max)s.")
                % {"length": len(title), "max": TITLE_MAX}
            )
        if not body:
            errors.setdefault(f"body_{code}", []).append(_("Write the text of the message."))
        elif len(body) > BODY_MAX:
            errors.setdefault(f"body_{code}", []).append(
                _("The text is %(length)s characters long; at most %(max)s.") % {"length": len(body), "max": BODY_MAX}
            )
        if sms:
            length = sms_length(sms)
            if length.segments > settings.BINPLP_SMS_MAX_SEGMENTS:
                errors.setdefault(f"sms_{code}", []).append(
                    _("The SMS text needs %(segments)s messages; at most %(max)s.")
                    % {"segments": length.segments, "max": settings.BINPLP_SMS_MAX_SEGMENTS}
                )
        cleaned[code] = {"title": title, "body": body, "sms": sms}
    if not cleaned and not errors:
        errors["texts"] = [_("Write the message in at least one language.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def message_send(
    *,
    actor,
    message_type: str,
    networks: list[Network],
    texts: dict,
    target_kind: str = TargetKind.NETWORKS,
    target_zone=None,
    target_municipality=None,
    target_area: dict | None = None,
    send_at: datetime.datetime | None = None,
    feedback_for: Message | None = None,
    now: datetime.datetime | None = None,
) -> SendResult:
    """Send now (or schedule for `send_at`) a message to the members of `networks`, as the police or a coordinator
    — whichever `actor` may be for all of them. Raises PermissionDenied or ValidationError; writes nothing then."""
    now = now or timezone.now()
    if message_type not in MessageType.values:
        raise ValidationError({"type": _("Choose a message type.")})
    if target_kind not in TargetKind.values:
        raise ValidationError({"target_kind": _("Choose whom to send the message to.")})
    networks = list({n.pk: n for n in networks}.values())
    if not networks:
        raise ValidationError({"networks": _("Choose at least one network.")})
    sender = permissions.sender_for(actor, networks)
    if sender is None:
        raise PermissionDenied(_("You may not send messages to all of these networks."))
    if message_type not in permissions.allowed_types(actor, networks):
        if sender == Sender.POLICE:
            raise ValidationError(
                {
                    "type": _(
                        "Under ADVP's training policy, only officers holding a valid BIN course certificate send "
                        "urgent messages."
                    )
                }
            )
        raise ValidationError(
            {"type": _("The communication plan of the network does not let coordinators send this type of message.")}
        )
    cleaned = texts_clean(texts)
    if send_at is not None and send_at <= now:
        raise ValidationError({"send_at": _("Choose a time in the future, or send now.")})
    if feedback_for is not None:
        if message_type != MessageType.FEEDBACK:
            raise ValidationError({"type": _("Feedback on an alert must be of the type feedback.")})
        if not (feedback_for.type == MessageType.URGENT_ALERT and feedback_for.status == MessageStatus.SENT):
            raise ValidationError({"feedback_for": _("Feedback can only follow an urgent alert that was sent.")})
        if sender != Sender.POLICE or feedback_for.zone_id not in {n.zone_id for n in networks}:
            raise PermissionDenied(_("Only the police of the zone that sent the alert give its feedback."))
    zone_id = networks[0].zone_id if sender == Sender.COORDINATOR else _sending_zone(actor, networks)

    with transaction.atomic():
        message = Message(
            type=message_type,
            sender=sender,
            author=actor,
            zone_id=zone_id,
            target_kind=target_kind,
            target_zone=target_zone,
            target_municipality=target_municipality,
            target_area=target_area,
            texts=cleaned,
            status=MessageStatus.SCHEDULED if send_at else MessageStatus.SENT,
            send_at=send_at,
            sent_at=None if send_at else now,
            created_at=now,
            feedback_for=feedback_for,
        )
        message.full_clean(exclude=["networks"])
        message.save()
        message.networks.set(networks)
        deliveries = 0
        if send_at is None:
            deliveries = _fan_out(message, now=now)
            audit_record(actor=actor, action=AuditAction.SEND, obj=message, changes=_audit_changes(message, networks))
        else:
            audit_record(
                actor=actor, action=AuditAction.SCHEDULE, obj=message, changes=_audit_changes(message, networks)
            )
            transaction.on_commit(lambda: _enqueue_fan_out(message.pk, send_at))
    return SendResult(message=message, deliveries=deliveries)


def _sending_zone(actor, networks: list[Network]) -> int:
    from core.roles import Role, scope_ids

    zones = scope_ids(actor, Role.ZONE_OFFICER)
    return next(n.zone_id for n in networks if n.zone_id in zones)


def _audit_changes(message: Message, networks: list[Network]) -> dict:
    return {
        "type": message.type,
        "sender": message.sender,
        "target": message.target_kind,
        "networks": sorted(n.code for n in networks),
        "send_at": message.send_at.isoformat() if message.send_at else None,
        "recipients": message.recipients,
    }


def _fan_out(message: Message, *, now) -> int:
    """Write the deliveries of `message` (inside the caller's transaction) and queue their dispatch after commit."""
    network_ids = list(message.networks.values_list("pk", flat=True))
    planned = fanout.plan(message_id=message.pk, message_type=message.type, network_ids=network_ids, now=now)
    count = fanout.deliveries_insert(planned.rows)
    values = {"recipients": planned.members, "sent_at": now, "status": MessageStatus.SENT}
    if message.type == MessageType.URGENT_ALERT and message.sender == Sender.POLICE:
        values["feedback_due_at"] = now + datetime.timedelta(hours=_feedback_hours(network_ids))
    Message.objects.filter(pk=message.pk).update(**values)
    for key, value in values.items():
        setattr(message, key, value)
    if message.feedback_for_id:
        Message.objects.filter(pk=message.feedback_for_id, feedback_sent_at__isnull=True).update(feedback_sent_at=now)
    channels = [c for c in (Channel.EMAIL, Channel.SMS) if planned.per_channel[c]]
    transaction.on_commit(lambda: dispatch_enqueue(channels))
    return count


def _feedback_hours(network_ids: list[int]) -> int:
    """The shortest feedback time promised by the target networks' communication plans, else the default."""
    hours = [
        charter.feedback_hours
        for charter in (permissions.charter_for_messages(pk) for pk in network_ids[:50])
        if charter is not None and charter.feedback_hours
    ]
    return min(hours) if hours else settings.BINPLP_FEEDBACK_DUE_HOURS


def dispatch_enqueue(channels, *, run_after: datetime.datetime | None = None) -> None:
    """Queue BINPLP_OUTBOX_PARALLEL dispatch tasks per channel (each drains the channel's due deliveries)."""
    from ..tasks import dispatch_outbox_task

    for channel in channels:
        for _worker in range(max(1, settings.BINPLP_OUTBOX_PARALLEL)):
            task = dispatch_outbox_task
            if run_after is not None and task.get_backend().supports_defer:
                task = task.using(run_after=run_after)
            task.enqueue(str(channel))


def _enqueue_fan_out(message_id: int, send_at: datetime.datetime) -> None:
    from ..tasks import fan_out_message_task

    task = fan_out_message_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=send_at)
        task.enqueue(message_id)
    # A backend that cannot defer (the tests') leaves it to the minute sweep (send_due_messages).


def message_fan_out(*, message_id: int, now: datetime.datetime | None = None) -> int:
    """Fan out a scheduled message once it is due. Safe to run twice: only a message still scheduled is sent."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(pk=message_id, status=MessageStatus.SCHEDULED, send_at__lte=now)
            .first()
        )
        if message is None:
            return 0
        count = _fan_out(message, now=now)
        audit_record(actor=None, action=AuditAction.SEND, obj=message, changes={"scheduled_for": message.send_at})
    return count


def send_due_messages(*, now: datetime.datetime | None = None) -> int:
    """Fan out every scheduled message whose time has come (the minute sweep)."""
    now = now or timezone.now()
    due = Message.objects.filter(status=MessageStatus.SCHEDULED, send_at__lte=now).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if message_fan_out(message_id=pk, now=now))


def message_cancel(*, actor, message: Message) -> Message:
    """Cancel a scheduled message before it goes."""
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.status != MessageStatus.SCHEDULED:
            raise ValidationError(_("Only a scheduled message that has not been sent yet can be cancelled."))
        locked.status = MessageStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        audit_record(actor=actor, action=AuditAction.CANCEL, obj=locked, changes={"send_at": locked.send_at})
    return locked
