"""Members' feedback on a message: the one-click rating, the reply to the sender, stopping a type of message
(the e-mail's unsubscribe link) — and the read marks of the web inbox and of the senders' replies inbox.

A member acts either through the signed links of the message's e-mail (no login: the signature names the message and
the member) or signed in to the member portal; both call these services. Only a current member (active or
suspended) of one of the message's networks may rate, reply or unsubscribe: someone who left gets a clear refusal
and nothing is stored. Changes to the member's own data (what they receive) are audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditAction
from core.scoping import can
from members.models import Member

from ..models import Delivery, Message, Rating, Reply
from ..selectors_member import member_may_respond

REPLY_MAX = 2000
# The same reply sent again within this time (a double click, a resent form) is stored once.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class RatingResult:
    rating: Rating
    created: bool
    changed: bool  # the member's judgement is different from before (or new)


@dataclass(frozen=True)
class ReplyResult:
    reply: Reply
    created: bool  # False: the same reply had just been stored


@dataclass(frozen=True)
class UnsubscribeResult:
    outcome: str  # "muted" (the type is switched off), "email_off" (no more e-mail at all), "already"
    field: str  # the member's field it concerns: muted_types or by_email


def _require_member(member: Member, message: Message) -> None:
    if not member_may_respond(member=member, message=message):
        raise ValidationError(
            _("You are no longer a member of a network this message was sent to, so you cannot respond to it."),
            code="not_member",
        )


def rating_record(*, member: Member, message: Message, useful: bool, now: datetime.datetime | None = None):
    """Record the member's rating of the message, or change it. Rating again the same way changes nothing."""
    _require_member(member, message)
    now = now or timezone.now()
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(message=message, member=member).first()
        if rating is None:
            try:
                with transaction.atomic():  # a savepoint: two first clicks at once meet the unique constraint
                    rating = Rating.objects.create(message=message, member=member, useful=useful, created_at=now)
            except IntegrityError:
                rating = Rating.objects.select_for_update().get(message=message, member=member)
            else:
                return RatingResult(rating=rating, created=True, changed=True)
        if rating.useful == useful:
            return RatingResult(rating=rating, created=False, changed=False)
        rating.useful = useful
        rating.created_at = now
        rating.save(update_fields=["useful", "created_at"])
    return RatingResult(rating=rating, created=False, changed=True)


def reply_clean(body: str) -> str:
    """The reply as stored: line ends normalised, surrounding blanks removed; ValidationError when empty or too long."""
    body = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise ValidationError({"body": ValidationError(_("Write your reply."), code="required")})
    if len(body) > REPLY_MAX:
        raise ValidationError(
            {
                "body": ValidationError(
                    _("Your reply is %(length)s characters long; at most %(max)s."),
                    code="max_length",
                    params={"length": len(body), "max": REPLY_MAX},
                )
            }
        )
    return body


def reply_create(*, member: Member, message: Message, body: str, now: datetime.datetime | None = None) -> ReplyResult:
    """Store the member's reply to the message; it reaches the sender's replies inbox. The same text sent again
    within ten minutes is not stored twice."""
    body = reply_clean(body)
    _require_member(member, message)
    now = now or timezone.now()
    with transaction.atomic():
        # One member's replies one at a time, so two identical submissions cannot both pass the check below.
        Member.objects.select_for_update().filter(pk=member.pk).values_list("pk", flat=True).first()
        duplicate = (
            Reply.objects.filter(message=message, member=member, body=body, created_at__gte=now - DUPLICATE_WINDOW)
            .order_by("-created_at")
            .first()
        )
        if duplicate is not None:
            return ReplyResult(reply=duplicate, created=False)
        reply = Reply(message=message, member=member, body=body, created_at=now)
        reply.full_clean()
        reply.save()
    return ReplyResult(reply=reply, created=True)


def message_unsubscribe(*, member: Member, message: Message) -> UnsubscribeResult:
    """Stop this kind of message for the member: the message's type is switched off (it then reaches only the web
    inbox); urgent types cannot be switched off, so for them e-mail is switched off altogether. The member's own
    choice, audited as theirs, naming the field only."""
    _require_member(member, message)
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        if message.is_urgent:
            field = "by_email"
            if not locked.by_email:
                return UnsubscribeResult(outcome="already", field=field)
            locked.by_email = False
            outcome = "email_off"
        else:
            field = "muted_types"
            muted = sorted(set(locked.muted_types or []))
            if message.type in muted:
                return UnsubscribeResult(outcome="already", field=field)
            locked.muted_types = sorted({*muted, message.type})
            outcome = "muted"
        locked.save(update_fields=[field, "updated_at"])
        audit_record(actor=member.user, action=AuditAction.UPDATE, obj=locked, changes={"fields": [field]})
    setattr(member, field, getattr(locked, field))
    return UnsubscribeResult(outcome=outcome, field=field)


def inbox_mark_read(*, actor, delivery: Delivery, now: datetime.datetime | None = None) -> Delivery:
    """The member opened the message in their web inbox (the first time counts). Only the member's own row."""
    if delivery.read_at is None:
        now = now or timezone.now()
        own = Delivery.objects.for_user(actor, "change").filter(pk=delivery.pk, read_at__isnull=True)
        if own.update(read_at=now):
            delivery.read_at = now
    return delivery


def reply_mark_read(*, actor, reply: Reply, now: datetime.datetime | None = None) -> Reply:
    """A sender (or a colleague who follows the same messages) read the reply; the first reader is kept."""
    if not can(actor, "change", reply):
        raise PermissionDenied
    if reply.read_at is None:
        now = now or timezone.now()
        if Reply.objects.filter(pk=reply.pk, read_at__isnull=True).update(read_at=now, read_by=actor):
            reply.read_at, reply.read_by = now, actor
        else:
            reply.refresh_from_db(fields=["read_at", "read_by"])
    return reply
