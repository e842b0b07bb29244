from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from core.navigation import register_nav

        register_nav(_("Statistics"), "dashboard:public_statistics", order=65)
