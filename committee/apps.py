from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Steering committee")

    def ready(self) -> None:
        from . import nav, permissions, tasks  # noqa: F401  (scope rules, periodic tasks)

        nav.register()
