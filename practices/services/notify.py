"""E-mails about practices: who hears of each moderation step, and the message in the recipient's language.

The step's ModerationComment is the subject of the e-mail: the task takes the comment's id and a recipient's id,
so a retry sends the same message again (at least once) and nothing else."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User

from ..choices import CommentKind
from ..models import ModerationComment
from ..permissions import is_moderator

# Steps the author hears of (unless they took the step themselves).
AUTHOR_KINDS = {CommentKind.CHANGE_REQUEST, CommentKind.PUBLISHED, CommentKind.ARCHIVED}


def notification_recipients(comment: ModerationComment) -> list[int]:
    """Ids of the people to e-mail about this step: the moderators when a practice is submitted or its author
    writes; the author when a moderator asks for changes, publishes, archives or writes."""
    from .practice import moderators

    practice = comment.practice
    actor_id = comment.author_id
    if comment.kind == CommentKind.SUBMITTED or (
        comment.kind == CommentKind.COMMENT and actor_id == practice.author_id and not is_moderator(comment.author)
    ):
        recipients = moderators()
    elif comment.kind in AUTHOR_KINDS or comment.kind == CommentKind.COMMENT:
        recipients = [practice.author_id] if practice.author_id else []
    else:
        recipients = []
    return [user_id for user_id in recipients if user_id != actor_id]


def practice_send_notice(*, comment_id: int, user_id: int) -> bool:
    """Send the e-mail about one moderation step to one person, in their language. Returns whether it left."""
    comment = ModerationComment.objects.select_related("practice", "author").filter(pk=comment_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if comment is None or user is None or not user.email:
        return False
    language = user.language or settings.LANGUAGE_CODE
    practice = comment.practice
    with translation.override(language):
        context = {
            "comment": comment,
            "kind": comment.kind,
            "practice": practice,
            "actor": comment.author.get_full_name() if comment.author else "",
            "practice_url": settings.SITE_URL + practice.get_absolute_url(),
            "queue_url": settings.SITE_URL + reverse("practices:moderation_queue"),
            "site_url": settings.SITE_URL,
            "language": language,
        }
        subject = " ".join(render_to_string("practices/email/notice_subject.txt", context).split())
        text = render_to_string("practices/email/notice_message.txt", context)
        html = render_to_string("practices/email/notice_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True
