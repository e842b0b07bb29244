"""Background work of the practices library: thin wrappers around services, taking ids."""

from core.tasks import retrying_task

from .services.notify import practice_send_notice


@retrying_task(queue_name="email")
def send_practice_notice_task(comment_id: int, user_id: int, attempt: int = 1) -> bool:
    """E-mail one person about one moderation step (submission, change request, publication, comment)."""
    return practice_send_notice(comment_id=comment_id, user_id=user_id)
