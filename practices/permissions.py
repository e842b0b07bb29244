"""Who sees and changes which practices. Published practices are public. Drafts, submitted practices, practices
waiting for changes and archived ones are seen by their author and the moderators (the Knowledge Centre) only.

Actions: "view"; "change" (edit the text and attachments: the author while it is a draft or changes were requested,
the moderators always); "moderate" (comment, request changes, publish, archive: the Knowledge Centre); "translate"
(add a translation of a published practice: the moderators and the original's author).
"""

from __future__ import annotations

from django.db.models import Q

from core.roles import Role, has_role
from core.scoping import scope_rule

from .choices import EDITABLE_STATUSES, PracticeStatus
from .models import HelpfulMark, ModerationComment, Practice, PracticeAttachment, PracticeRevision, PracticeTag

# Field actors who may submit practices (DESIGN §3 "submitted by any field actor").
CONTRIBUTOR_ROLES = (
    Role.COORDINATOR,
    Role.ZONE_OFFICER,
    Role.MUNICIPAL_OFFICIAL,
    Role.TRAINER,
    Role.KNOWLEDGE_CENTRE,
    Role.ADVP,
)


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_moderator(user) -> bool:
    return _signed_in(user) and has_role(user, Role.KNOWLEDGE_CENTRE)


def can_contribute(user) -> bool:
    return _signed_in(user) and has_role(user, *CONTRIBUTOR_ROLES)


def practice_condition(user, action: str, prefix: str = "") -> Q | None:
    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    published = q(status=PracticeStatus.PUBLISHED)
    if action == "view":
        if is_moderator(user):
            return Q()
        if _signed_in(user):
            return published | q(author=user)
        return published
    if action == "change":
        if is_moderator(user):
            return Q()
        if _signed_in(user):
            return q(author=user, status__in=sorted(EDITABLE_STATUSES))
        return None
    if action == "moderate":
        return Q() if is_moderator(user) else None
    if action == "translate":
        if is_moderator(user):
            return published
        if can_contribute(user):
            return published & q(author=user)
        return None
    return None


@scope_rule(Practice)
def practice_rule(user, action: str) -> Q | None:
    return practice_condition(user, action)


def _follows_practice(user, action: str) -> Q | None:
    return practice_condition(user, action, "practice__")


for _model in (PracticeTag, PracticeRevision, PracticeAttachment, HelpfulMark):
    scope_rule(_model)(_follows_practice)


@scope_rule(ModerationComment)
def comment_rule(user, action: str) -> Q | None:
    """The exchange between moderators and author is theirs: never public, even on a published practice."""
    if is_moderator(user):
        return Q()
    if _signed_in(user) and action == "view":
        return Q(practice__author=user)
    return None
