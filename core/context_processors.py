from django.conf import settings

from .navigation import nav_for
from .roles import user_roles


def site(request):
    user = getattr(request, "user", None)
    return {
        "demo_mode": settings.BINPLP_DEMO_MODE,
        "nav_items": nav_for(request) if user is not None else [],
        "user_roles": user_roles(user) if user is not None else set(),
    }
