from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "geography"
    verbose_name = _("Reference geography")

    def ready(self) -> None:
        from core.navigation import register_nav

        from . import home, permissions  # noqa: F401  (scope rules)

        register_nav(_("Reference data"), "geography:index", order=70)
        register_nav(_("Map"), "geography:map", order=71)
        home.register()
