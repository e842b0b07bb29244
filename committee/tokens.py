"""Signed links of the invitations: a seat holder opens their meeting (agenda, documents, minutes) and replies
without signing in. The link names the invitation by id with a digest binding it to that very row; it expires
`LINK_DAYS` after it was made."""

from __future__ import annotations

import datetime
import hashlib

from django.core import signing

SALT = "binplp.committee.invitation"
LINK_DAYS = 120


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def invitation_binding(invitation) -> str:
    raw = f"{invitation.pk}|{invitation.term_id}|{invitation.created_at.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def invitation_token(invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"i": invitation.pk, "b": invitation_binding(invitation)}, compress=False
    )


def invitation_read(token: str) -> tuple[int, str]:
    """(invitation id, binding) of a link, or LinkExpired / LinkInvalid."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=datetime.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid from exc
    if not (isinstance(value, dict) and isinstance(value.get("i"), int) and isinstance(value.get("b"), str)):
        raise LinkInvalid
    return value["i"], value["b"]
