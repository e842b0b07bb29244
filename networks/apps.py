from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks register")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import charter_nav, permissions  # noqa: F401  (scope rules)
        from .checklist import checklist_seed_on_migrate

        # The charter checklist is reference data: seeded (missing codes only) after every migrate.
        post_migrate.connect(checklist_seed_on_migrate, sender=self, dispatch_uid="networks_checklist_seed")
        from core.navigation import register_nav

        from . import home
        from .permissions import can_see_networks

        register_nav(_("Networks"), "networks:network_list", visible=can_see_networks, order=20)
        home.register()
        charter_nav.register()  # ADVP's review queue and sanctions register: navigation and home section
