"""Background tasks of training, part "sessions": the e-mails about sessions and certificates. Thin wrappers around
training.services.sessions and training.services.certificates, taking ids, retried until the e-mail leaves and safe
to run twice."""

from __future__ import annotations

from core.tasks import retrying_task

from .services import certificates, sessions


@retrying_task(queue_name="email")
def send_session_update_task(enrolment_id: int, sequence: int, attempt: int = 1) -> bool:
    """The updated invitation of revision `sequence` to one participant holding a seat."""
    return sessions.session_send_update(enrolment_id=enrolment_id, sequence=sequence)


@retrying_task(queue_name="email")
def send_session_cancelled_task(enrolment_id: int, sequence: int, attempt: int = 1) -> bool:
    """The cancellation (calendar CANCEL) to one participant of a cancelled session."""
    return sessions.session_send_cancellation(enrolment_id=enrolment_id, sequence=sequence)


@retrying_task(queue_name="email")
def send_certificate_task(certificate_id: int, attempt: int = 1) -> bool:
    """The certificate with its PDF to its holder (once: `emailed_at` is set with the sending)."""
    return certificates.certificate_send(certificate_id=certificate_id)


@retrying_task(queue_name="email")
def send_evaluation_invitation_task(enrolment_id: int, attempt: int = 1) -> bool:
    """The invitation to the evaluation form to someone who attended a closed session."""
    return sessions.session_send_evaluation_invitation(enrolment_id=enrolment_id)
