"""Background work of the networks register: thin wrappers around services, taking ids and safe to run twice."""

from core.tasks import retrying_task

from .services.network import network_end_notify


@retrying_task(queue_name="email")
def notify_advp_network_ended_task(status_change_id: int, attempt: int = 1) -> int:
    """E-mail ADVP that a network dissolved or merged (skipped once sent); retried on failure."""
    return network_end_notify(status_change_id=status_change_id)


@retrying_task(queue_name="email")
def send_letter_email_task(letter_id: int, attempt: int = 1) -> bool:
    """E-mail one ADVP letter with its PDF to the zone's or municipality's officials (skipped once sent); retried."""
    from .services.letters import letter_send_email

    return letter_send_email(letter_id=letter_id)
