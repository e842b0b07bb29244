from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messages")

    def ready(self) -> None:
        from . import nav_follow, nav_member, nav_send, permissions, tasks  # noqa: F401  (scope rules, periodic tasks)

        nav_send.register()
        nav_member.register()
        nav_follow.register()
