"""Background work of enrolments: the e-mails (retried until they leave) and the hourly reminders. Thin wrappers
around training.services.enrolments, taking ids and safe to run twice (each checks the enrolment is still in the
state it tells about)."""

from __future__ import annotations

import datetime

from core.schedule import periodic
from core.tasks import retrying_task

from .services import enrolments


@retrying_task(queue_name="email")
def send_enrolment_seat_task(enrolment_id: int, stamp: str, promoted: bool = False, attempt: int = 1) -> bool:
    """The confirmation of a seat with the .ics invitation (also after moving up from the waiting list)."""
    return enrolments.enrolment_send_seat(enrolment_id=enrolment_id, stamp=stamp, promoted=promoted)


@retrying_task(queue_name="email")
def send_enrolment_waiting_task(enrolment_id: int, stamp: str, attempt: int = 1) -> bool:
    return enrolments.enrolment_send_waiting(enrolment_id=enrolment_id, stamp=stamp)


@retrying_task(queue_name="email")
def send_enrolment_cancelled_task(enrolment_id: int, stamp: str, had_seat: bool, attempt: int = 1) -> bool:
    """The cancellation, with the .ics CANCEL when the person held a seat."""
    return enrolments.enrolment_send_cancelled(enrolment_id=enrolment_id, stamp=stamp, had_seat=had_seat)


@retrying_task(queue_name="email")
def send_request_confirmation_task(enrolment_id: int, zone_id: int, attempt: int = 1) -> bool:
    return enrolments.enrolment_request_send_confirmation(enrolment_id=enrolment_id, zone_id=zone_id)


@retrying_task(queue_name="email")
def send_request_already_task(enrolment_id: int, attempt: int = 1) -> bool:
    return enrolments.enrolment_request_send_already(enrolment_id=enrolment_id)


@retrying_task(queue_name="email")
def send_request_notice_task(enrolment_id: int, user_id: int, attempt: int = 1) -> bool:
    return enrolments.enrolment_request_notify_officer(enrolment_id=enrolment_id, user_id=user_id)


@retrying_task(queue_name="email")
def send_request_declined_task(enrolment_id: int, stamp: str, attempt: int = 1) -> bool:
    return enrolments.enrolment_request_send_declined(enrolment_id=enrolment_id, stamp=stamp)


@retrying_task(queue_name="email")
def send_participant_link_task(trainee_id: int, attempt: int = 1) -> bool:
    return enrolments.participant_send_link(trainee_id=trainee_id)


@retrying_task(queue_name="email")
def send_reminder_task(enrolment_id: int, attempt: int = 1) -> bool:
    """One reminder with the .ics (marked `reminded_at` in the same transaction as the sending)."""
    return enrolments.enrolment_send_reminder(enrolment_id=enrolment_id)


@periodic(every=datetime.timedelta(hours=1))
def send_reminders_task() -> int:
    """Queue the reminders that are due (`BINPLP_TRAINING_REMINDER_DAYS` before each session)."""
    return enrolments.reminders_send()
