"""Navigation entries of the practices library (registered by practices.apps)."""

from django.utils.translation import gettext_lazy as _

from .permissions import can_contribute, is_moderator


def register() -> None:
    from core.navigation import register_nav

    register_nav(_("Good practices"), "practices:practice_list", order=60)
    register_nav(_("Practice moderation"), "practices:moderation_queue", visible=is_moderator, order=61)


def register_contributor_entry() -> None:
    """ "My practices" for field actors (optional: the library page links to it as well)."""
    from core.navigation import register_nav

    register_nav(_("My practices"), "practices:my_practices", visible=can_contribute, order=62)
