"""Background work of member management: thin wrappers around services, taking ids and safe to run twice."""

from __future__ import annotations

import datetime

from core.schedule import periodic
from core.tasks import retrying_task

from ..services.management import join_request_send_decision, membership_lift_expired_suspensions


@retrying_task(queue_name="email")
def send_join_decision_email_task(join_request_id: int, attempt: int = 1) -> bool:
    """Tell the applicant that they are a member, or why their request was declined (skipped when sent already)."""
    return join_request_send_decision(join_request_id=join_request_id)


@periodic(every=datetime.timedelta(days=1))
def lift_expired_suspensions_task() -> int:
    """Daily: members whose temporary suspension reached its end date are active again."""
    return membership_lift_expired_suspensions()
