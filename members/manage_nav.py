"""The "Members" entry of the main navigation: for those who manage members (coordinators, mandated officers) and for
those who see member counts (ADVP, the Knowledge Centre, municipal officials)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from core.navigation import register_nav

    from .manage_selectors import can_use_members_area

    register_nav(_("Members"), "members_manage:index", visible=can_use_members_area, order=25)
