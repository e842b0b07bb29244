"""Background work of joining: the e-mails of the join flow (retried until they leave) and the daily purge of old
join requests. Thin wrappers around members.services.joining, taking ids and safe to run twice."""

from __future__ import annotations

import datetime

from core.schedule import periodic
from core.tasks import retrying_task

from ..services import joining


@retrying_task(queue_name="email")
def send_join_confirmation_task(join_request_id: int, requested_at: str, attempt: int = 1) -> bool:
    """The confirmation link for a request (skipped once sent after `requested_at`, or no longer unconfirmed)."""
    return joining.join_request_send_confirmation_email(
        join_request_id=join_request_id, requested_at=datetime.datetime.fromisoformat(requested_at)
    )


@retrying_task(queue_name="email")
def send_join_already_member_task(member_id: int, network_id: int, language: str, attempt: int = 1) -> bool:
    return joining.join_send_already_member_email(member_id=member_id, network_id=network_id, language=language)


@retrying_task(queue_name="email")
def send_join_request_notice_task(join_request_id: int, user_id: int, attempt: int = 1) -> bool:
    """Tell one coordinator or mandated officer that a confirmed request waits (skipped once it is decided)."""
    return joining.join_request_notify_manager(join_request_id=join_request_id, user_id=user_id)


@retrying_task(queue_name="email")
def send_join_welcome_task(join_request_id: int, attempt: int = 1) -> bool:
    """Welcome a person added in person who confirmed and so became a member (once)."""
    return joining.join_request_send_welcome(join_request_id=join_request_id)


@periodic(every=datetime.timedelta(days=1))
def purge_join_requests_task() -> int:
    """Delete join requests kept longer than the retention period (see join_request_purge)."""
    return joining.join_request_purge()
