"""Signed links of training, no account needed: a participant's own pages (their sessions, certificates and the
evaluation form) and the confirmation of a participant's own request to enrol. Each kind has its own salt, so one
kind of link cannot be used as the other. Links name rows by id and a short binding digest, never by e-mail address
(links end up in logs)."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core import signing

PARTICIPANT_SALT = "binplp.training.participant"
REQUEST_SALT = "binplp.training.request-confirm"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:16]


def trainee_binding(trainee) -> str:
    """Ties a participant link to this very trainee row: a reused id does not match."""
    return _digest(trainee.pk, trainee.created_at.isoformat())


def participant_token(trainee) -> str:
    return signing.TimestampSigner(salt=PARTICIPANT_SALT).sign_object(
        {"t": trainee.pk, "b": trainee_binding(trainee)}, compress=False
    )


def participant_read(token: str) -> tuple[int, str]:
    """(trainee id, binding) of a participant link, or LinkExpired / LinkInvalid."""
    max_age = datetime.timedelta(days=settings.BINPLP_TRAINING_LINK_DAYS)
    try:
        value = signing.TimestampSigner(salt=PARTICIPANT_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid from exc
    if not (isinstance(value, dict) and isinstance(value.get("t"), int) and isinstance(value.get("b"), str)):
        raise LinkInvalid
    return value["t"], value["b"]


def request_binding(enrolment) -> str:
    """Ties a confirmation link to the request as it was made: the row changes (confirmed, cancelled, asked again)
    and older links stop matching."""
    return _digest(enrolment.pk, enrolment.trainee.email.lower(), enrolment.updated_at.isoformat())


def request_token(enrolment, *, zone_id: int) -> str:
    """The confirmation link of a request; it carries the police zone the person chose (not personal data)."""
    return signing.TimestampSigner(salt=REQUEST_SALT).sign_object(
        {"e": enrolment.pk, "b": request_binding(enrolment), "z": zone_id}, compress=False
    )


def request_read(token: str) -> tuple[int, str, int]:
    """(enrolment id, binding, zone id) of a confirmation link, or LinkExpired / LinkInvalid."""
    max_age = datetime.timedelta(hours=settings.BINPLP_TRAINING_REQUEST_HOURS)
    try:
        value = signing.TimestampSigner(salt=REQUEST_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkInvalid from exc
    if not (
        isinstance(value, dict)
        and isinstance(value.get("e"), int)
        and isinstance(value.get("b"), str)
        and isinstance(value.get("z"), int)
    ):
        raise LinkInvalid
    return value["e"], value["b"], value["z"]
