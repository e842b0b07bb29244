"""The accounts app's contributions to the home page and the main navigation (registered in `apps.py`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.permissions import can_read_audit
from core.roles import Role, has_role

from .permissions import can_manage_users
from .selectors import pending_invitation_count, recent_audit_events, role_counts


def is_knowledge_centre(user) -> bool:
    return has_role(user, Role.KNOWLEDGE_CENTRE)


def advp_context(request) -> dict:
    return {
        "role_counts": role_counts(actor=request.user),
        "pending_invitations": pending_invitation_count(actor=request.user),
        "recent_events": recent_audit_events(actor=request.user, limit=10),
    }


def knowledge_centre_context(request) -> dict:
    from geography.models import Academy, Municipality, PoliceZone, PostalCode, Province, Region

    user = request.user
    counts = [
        (_("Regions"), Region.objects.for_user(user, "view").count()),
        (_("Provinces"), Province.objects.for_user(user, "view").count()),
        (_("Municipalities"), Municipality.objects.for_user(user, "view").filter(is_current=True).count()),
        (_("Police zones"), PoliceZone.objects.for_user(user, "view").filter(is_current=True).count()),
        (_("Postal codes"), PostalCode.objects.for_user(user, "view").values("code").distinct().count()),
        (_("Police academies"), Academy.objects.for_user(user, "view").filter(is_active=True).count()),
    ]
    return {"reference_counts": counts, "reference_url": reverse("geography:index")}


def register() -> None:
    from core.home import register_home_section

    register_nav(_("Users"), "accounts:user_list", visible=can_manage_users, order=80)
    register_nav(_("Invitations"), "accounts:invitation_list", visible=can_manage_users, order=81)
    register_nav(_("Audit trail"), "core:audit_list", visible=can_read_audit, order=90)
    register_home_section("accounts/partials/_home_advp.html", visible=can_manage_users, context=advp_context, order=10)
    register_home_section(
        "accounts/partials/_home_knowledge_centre.html",
        visible=is_knowledge_centre,
        context=knowledge_centre_context,
        order=20,
    )
