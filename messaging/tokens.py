"""Signed links of messaging: a member's rating, reply and unsubscribe links (no login needed) and the SMS
gateway's delivery-report callback. Each kind has its own salt, so one kind of link cannot be used as another."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

MEMBER_LINK_SALT = "binplp.messaging.member-link"
DLR_SALT = "binplp.messaging.dlr"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def member_link_token(*, message_id: int, member_id: int) -> str:
    return signing.TimestampSigner(salt=MEMBER_LINK_SALT).sign_object([message_id, member_id], compress=False)


def member_link_read(token: str) -> tuple[int, int]:
    """(message id, member id) of a member link, or LinkExpired / LinkInvalid."""
    max_age = datetime.timedelta(days=settings.BINPLP_MESSAGE_LINK_DAYS)
    try:
        value = signing.TimestampSigner(salt=MEMBER_LINK_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid from exc
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)):
        raise LinkInvalid
    return value[0], value[1]


def member_link_urls(*, message_id: int, member_id: int) -> dict[str, str]:
    """Absolute URLs of the rating (useful / not useful), reply and unsubscribe pages for one member."""
    token = member_link_token(message_id=message_id, member_id=member_id)
    base = settings.SITE_URL.rstrip("/")
    return {
        "useful": base + reverse("messaging:rate", args=[token, "useful"]),
        "not_useful": base + reverse("messaging:rate", args=[token, "not-useful"]),
        "reply": base + reverse("messaging:reply", args=[token]),
        "unsubscribe": base + reverse("messaging:unsubscribe", args=[token]),
    }


def dlr_token(delivery_id: int) -> str:
    return signing.Signer(salt=DLR_SALT).sign(str(delivery_id))


def dlr_read(token: str) -> int:
    try:
        return int(signing.Signer(salt=DLR_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid from exc


def dlr_url(delivery_id: int) -> str:
    """The callback Kannel calls with each delivery report; `%d` is Kannel's placeholder for the report type."""
    base = settings.BINPLP_SMS_CALLBACK_BASE_URL or settings.SITE_URL
    return base.rstrip("/") + reverse("messaging:sms_status", args=[dlr_token(delivery_id)]) + "?type=%d"
