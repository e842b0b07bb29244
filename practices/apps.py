from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = _("Good practices")

    def ready(self) -> None:
        from . import (
            home,
            nav,
            permissions,  # noqa: F401  (scope rules)
        )

        nav.register()
        nav.register_contributor_entry()
        home.register()
