from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from core.navigation import register_nav
        from members.models import Membership

        from .dashboard_selectors import can_see_board
        from .opendata_selectors import note_membership_deleted

        register_nav(_("Statistics"), "dashboard:public_statistics", order=65)
        register_nav(_("Dashboard"), "dashboard:board", visible=can_see_board, order=66)
        post_delete.connect(note_membership_deleted, sender=Membership, dispatch_uid="dashboard-membership-deleted")
