from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("BIN course")

    def ready(self) -> None:
        from . import nav, permissions, tasks  # noqa: F401  (scope rules, periodic tasks)

        nav.register()
