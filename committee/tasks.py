"""Background work of the committee: the invitations and cancellations (one task per invitation, retried until
the e-mail leaves, safe to run twice) and the daily reminders of action items."""

from __future__ import annotations

import datetime

from core.schedule import periodic
from core.tasks import retrying_task

from .services import actions, meetings


@retrying_task(queue_name="email")
def send_invitation_task(invitation_id: int, sequence: int, attempt: int = 1) -> bool:
    return meetings.invitation_send(invitation_id=invitation_id, sequence=sequence)


@retrying_task(queue_name="email")
def send_cancellation_task(invitation_id: int, sequence: int, attempt: int = 1) -> bool:
    return meetings.invitation_send_cancellation(invitation_id=invitation_id, sequence=sequence)


@retrying_task(queue_name="email")
def send_action_reminder_task(action_id: int, attempt: int = 1) -> str:
    return actions.action_remind(action_id=action_id)


@periodic(every=datetime.timedelta(hours=6))
def action_reminders_task() -> int:
    """Queue the reminders due now (each is sent once; running this again queues nothing already sent)."""
    due = actions.actions_due_for_reminder()
    for pk in due:
        send_action_reminder_task.enqueue(action_id=pk)
    return len(due)
