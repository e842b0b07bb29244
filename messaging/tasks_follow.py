"""Background work of the feedback duty (part "follow"): the hourly reminders and their e-mails. Thin wrappers around
messaging.services.feedback_duty, taking ids and safe to run twice. Imported at start-up by nav_follow.register() so
that the periodic task is registered (core.schedule discovers only `messaging.tasks`)."""

from __future__ import annotations

import datetime

from core.schedule import periodic
from core.tasks import retrying_task

from .services import feedback_duty


@periodic(every=datetime.timedelta(hours=1))
def feedback_reminders_task() -> dict:
    """Every hour: remind the mandated officers of the alerts whose feedback is overdue or due within two hours."""
    return feedback_duty.feedback_reminders_send()


@retrying_task(queue_name="email")
def send_feedback_reminder_task(alert_id: int, user_id: int, reminder: int, attempt: int = 1) -> bool:
    """One reminder e-mail to one officer (skipped once the feedback went out or a later reminder replaced it)."""
    return feedback_duty.feedback_reminder_deliver(alert_id=alert_id, user_id=user_id, reminder=reminder)
