from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from core.navigation import register_nav

        from .dashboard_selectors import can_see_board

        register_nav(_("Statistics"), "dashboard:public_statistics", order=65)
        register_nav(_("Dashboard"), "dashboard:board", visible=can_see_board, order=66)
