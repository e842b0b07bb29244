"""Reads of part "member": the signed links of a message's e-mail, the member's web inbox and reports, the zone's
reports inbox and the senders' replies inbox. Everything starts from `Model.objects.for_user(user, action)`, except
the signed links, whose signature is the authority (it names the message and the member)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from core.roles import Role, has_role
from members.choices import CURRENT_STATUSES
from members.models import Member, Membership

from . import tokens
from .choices import Channel, MessageStatus, ReportStatus
from .models import Delivery, Message, Rating, Reply, Report

INBOX_PAGE_SIZE = 20
REPORT_PAGE_SIZE = 50
REPLY_PAGE_SIZE = 50


def member_may_respond(*, member: Member, message: Message) -> bool:
    """Whether `member` may rate, reply to or unsubscribe from `message`: the message went out and the member (an
    active account) is still a current member of one of the networks it was sent to."""
    if message.status != MessageStatus.SENT or not member.user.is_active:
        return False
    return Membership.objects.filter(
        member=member,
        status__in=sorted(CURRENT_STATUSES),
        network_id__in=Message.networks.through.objects.filter(message_id=message.pk).values("network_id"),
    ).exists()


# --- signed links --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberLink:
    """What a signed link points at. `state`: "ok"; "expired" or "invalid" (the signature); "erased" (the member no
    longer exists); "not_member" (no longer a member of any of the message's networks)."""

    state: str
    message: Message | None = None
    member: Member | None = None

    @property
    def ok(self) -> bool:
        return self.state == "ok"


def member_link_resolve(token: str) -> MemberLink:
    try:
        message_id, member_id = tokens.member_link_read(token)
    except tokens.LinkExpired:
        return MemberLink(state="expired")
    except tokens.LinkInvalid:
        return MemberLink(state="invalid")
    message = Message.objects.filter(pk=message_id, status=MessageStatus.SENT).first()
    if message is None:
        return MemberLink(state="invalid")
    member = Member.objects.select_related("user").filter(pk=member_id).first()
    if member is None:
        return MemberLink(state="erased", message=message)
    if not member_may_respond(member=member, message=message):
        return MemberLink(state="not_member", message=message, member=member)
    return MemberLink(state="ok", message=message, member=member)


def member_rating(*, member: Member, message: Message) -> Rating | None:
    return Rating.objects.filter(member=member, message=message).first()


def member_replies(*, member: Member, message: Message) -> QuerySet[Reply]:
    """The member's own replies to one message, newest first."""
    return Reply.objects.filter(member=member, message=message).order_by("-created_at", "-id")


# --- the member's web inbox ----------------------------------------------------------------------------------------


def inbox_deliveries(*, member: Member) -> QuerySet[Delivery]:
    """The member's web-inbox rows (one per message that went out to them), newest first."""
    return (
        Delivery.objects.for_user(member.user, "view")
        .filter(member=member, channel=Channel.WEB, message__status=MessageStatus.SENT)
        .select_related("message")
        .order_by("-id")
    )


def inbox_unread_count(*, member: Member) -> int:
    return inbox_deliveries(member=member).filter(read_at__isnull=True).count()


def inbox_ratings(*, member: Member, message_ids: list[int]) -> dict[int, bool]:
    """{message id: useful} of the member's ratings of these messages."""
    return dict(Rating.objects.filter(member=member, message_id__in=message_ids).values_list("message_id", "useful"))


def inbox_delivery_get(*, member: Member, message_pk: int) -> Delivery | None:
    """The member's inbox row of one message, or None when the message never reached their inbox."""
    return inbox_deliveries(member=member).filter(message_id=message_pk).first()


# --- reports -------------------------------------------------------------------------------------------------------

_STATUS_ORDER = Case(
    When(status=ReportStatus.NEW, then=Value(0)),
    When(status=ReportStatus.ACKNOWLEDGED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def member_reports(*, member: Member) -> QuerySet[Report]:
    """The member's own reports, newest first."""
    return (
        Report.objects.for_user(member.user, "view")
        .filter(member=member)
        .select_related("network")
        .order_by("-created_at", "-id")
    )


def is_zone_officer(user) -> bool:
    """Whether the user handles reports: a mandated officer of a police zone."""
    return has_role(user, Role.ZONE_OFFICER)


def officer_reports(*, user) -> QuerySet[Report]:
    """The reports the user handles (mandated officer of their zone): new ones first, then acknowledged, then
    closed; newest first within each."""
    return (
        Report.objects.for_user(user, "change")
        .select_related("network")
        .annotate(status_order=_STATUS_ORDER)
        .order_by("status_order", "-created_at", "-id")
    )


def officer_report_new_count(*, user) -> int:
    return Report.objects.for_user(user, "change").filter(status=ReportStatus.NEW).count()


def officer_report_queryset() -> QuerySet[Report]:
    """What the report's page shows: its network, zone, member (name and contact) and who answered."""
    return Report.objects.select_related("network", "zone", "member__user", "answered_by")


# --- replies -------------------------------------------------------------------------------------------------------


def sender_replies(*, user, unread_only: bool = False) -> QuerySet[Reply]:
    """Members' replies to the messages the user follows as a sender (author, officers of the sending zone,
    coordinators for their coordinators' messages) — not the user's own replies as a member. Unread first, then
    newest first."""
    visible = Reply.objects.for_user(user, "view").exclude(member__user=user)
    # Through the ids: the scope rule joins the message's networks, which may repeat a reply.
    replies = Reply.objects.filter(pk__in=visible.values("pk"))
    if unread_only:
        replies = replies.filter(read_at__isnull=True)
    return replies.select_related("message", "member__user", "read_by").order_by(
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-created_at",
        "-id",
    )


def sender_unread_reply_count(*, user) -> int:
    return sender_replies(user=user, unread_only=True).order_by().count()
