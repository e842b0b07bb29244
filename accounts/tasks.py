"""Background work of the accounts app: thin wrappers around services, taking ids and safe to run twice."""

from core.tasks import retrying_task

from .services import invitation_send_email


@retrying_task(queue_name="email")
def send_invitation_email_task(invitation_id: int, attempt: int = 1) -> bool:
    """Send one invitation e-mail (skipped when it was sent already, accepted or cancelled); retried on failure."""
    return invitation_send_email(invitation_id=invitation_id)
