"""Reading practices for the work pages: the detail page with its language versions, my practices, the
moderation queue. Everything starts from `Practice.objects.for_user`."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.scoping import can, get_for_user

from .choices import Facet, PracticeStatus, Theme
from .models import ModerationComment, Practice, PracticeTag
from .permissions import can_contribute, is_moderator


def practice_get_for_user(*, user, pk: int, action: str = "view") -> Practice:
    """The practice with what its page shows; 404 when hidden or missing, 403 when visible but not allowed."""
    queryset = Practice.objects.select_related("region", "author", "original").prefetch_related(
        Prefetch("tags", queryset=PracticeTag.objects.order_by("facet", "value")),
        "networks",
        "attachments",
    )
    return get_for_user(queryset, user, action, pk=pk)


def practice_facets(practice: Practice) -> dict[str, list[str]]:
    """Labels of the practice's themes and kinds of network (from the prefetched tags)."""
    from networks.choices import NetworkKind

    themes = dict(Theme.choices)
    kinds = dict(NetworkKind.choices)
    result = {"themes": [], "kinds": [], "theme_values": [], "kind_values": []}
    for tag in practice.tags.all():
        if tag.facet == Facet.THEME:
            result["themes"].append(themes.get(tag.value, tag.value))
            result["theme_values"].append(tag.value)
        elif tag.facet == Facet.KIND:
            result["kinds"].append(kinds.get(tag.value, tag.value))
            result["kind_values"].append(tag.value)
    return result


def language_versions(*, practice: Practice, user, language: str) -> dict:
    """The practice's other language versions the reader can see, and what the page should say about them:
    `in_reader_language` (a version in the reader's language when this one is in another), `original` (when this
    one is a translation), `others` (every other visible version), `only_in` (this practice exists in no version
    in the reader's language)."""
    root_id = practice.original_id or practice.pk
    group = list(
        Practice.objects.for_user(user, "view")
        .filter(Q(pk=root_id) | Q(original_id=root_id))
        .only("pk", "language", "title", "original_id", "status")
        .order_by("language")
    )
    names = dict(settings.LANGUAGES)
    others = [version for version in group if version.pk != practice.pk]
    in_reader_language = None
    if practice.language != language:
        in_reader_language = next((version for version in others if version.language == language), None)
    original = next((version for version in others if version.pk == practice.original_id), None)
    for version in others:
        version.language_name = names.get(version.language, version.language)
    return {
        "language_name": names.get(practice.language, practice.language),
        "reader_language_name": names.get(language, language),
        "in_reader_language": in_reader_language,
        "original": original,
        "others": others,
        "only_in": practice.language != language and in_reader_language is None,
    }


def practice_permissions(*, practice: Practice, user) -> dict[str, bool]:
    moderator = is_moderator(user)
    is_author = bool(user.is_authenticated and practice.author_id == user.pk)
    return {
        "is_author": is_author,
        "is_moderator": moderator,
        "can_change": bool(user.is_authenticated and can(user, "change", practice)),
        "can_submit": (is_author or moderator)
        and practice.status in (PracticeStatus.DRAFT, PracticeStatus.CHANGES_REQUESTED),
        "can_translate": practice.status == PracticeStatus.PUBLISHED
        and user.is_authenticated
        and can(user, "translate", practice.original or practice),
        "sees_thread": moderator or is_author,
    }


def practice_thread(*, practice: Practice, user) -> QuerySet[ModerationComment]:
    return ModerationComment.objects.for_user(user, "view").filter(practice=practice).select_related("author")


def my_practices(*, user) -> QuerySet[Practice]:
    return (
        Practice.objects.for_user(user, "view")
        .filter(author=user)
        .select_related("original")
        .order_by("-updated_at", "-pk")
    )


def moderation_queue(*, user) -> dict[str, list[Practice]]:
    """Submitted practices, oldest first (with their age in days), and those waiting for the author's changes."""
    queryset = Practice.objects.for_user(user, "moderate").select_related("author", "original")
    now = timezone.now()
    submitted = list(queryset.filter(status=PracticeStatus.SUBMITTED).order_by("submitted_at", "pk"))
    for practice in submitted:
        practice.age_days = (now - (practice.submitted_at or practice.created_at)).days
    changes = list(queryset.filter(status=PracticeStatus.CHANGES_REQUESTED).order_by("updated_at", "pk"))
    return {"submitted": submitted, "changes_requested": changes}


def moderation_waiting_count(*, user) -> int:
    return Practice.objects.for_user(user, "moderate").filter(status=PracticeStatus.SUBMITTED).count()


def contributor_counts(*, user) -> dict[str, int]:
    if not can_contribute(user):
        return {}
    mine = Practice.objects.filter(author=user)
    return {
        "drafts": mine.filter(status=PracticeStatus.DRAFT).count(),
        "changes_requested": mine.filter(status=PracticeStatus.CHANGES_REQUESTED).count(),
        "published": mine.filter(status=PracticeStatus.PUBLISHED).count(),
    }
