"""Background work of members' reports (part "member"): thin wrappers around the services, taking ids and safe to
run twice."""

from __future__ import annotations

import datetime

from core.tasks import retrying_task

from .services import reports


@retrying_task(queue_name="email")
def send_report_answer_task(report_id: int, answered_at: str, attempt: int = 1) -> bool:
    """E-mail the member the zone's answer to their report (once; retried while the SMTP server fails; skipped when
    the answer was replaced since)."""
    return reports.report_answer_send(report_id=report_id, answered_at=datetime.datetime.fromisoformat(answered_at))
