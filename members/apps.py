from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from core.navigation import register_nav

        from . import (
            home,
            join_nav,
            manage_nav,
            permissions,  # noqa: F401  (scope rules)
            portal_nav,
        )

        register_nav(_("Find a network"), "members:find", order=10)
        portal_nav.register()
        join_nav.register()
        manage_nav.register()
        home.register()
