"""Background work of the member portal: thin wrappers around services, taking ids and safe to run twice."""

from core.tasks import retrying_task

from ..services.portal import member_sign_in_link_send


@retrying_task(queue_name="email")
def send_sign_in_link_task(user_id: int, attempt: int = 1) -> bool:
    """E-mail a member a fresh sign-in link (or, for a privileged account, how to sign in); retried on failure."""
    return member_sign_in_link_send(user_id=user_id)
