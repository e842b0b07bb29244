"""Who may read the audit trail."""

from django.db.models import Q

from .models import AuditEvent
from .roles import Role, has_role
from .scoping import scope_rule


def can_read_audit(user) -> bool:
    return has_role(user, Role.ADVP)


@scope_rule(AuditEvent)
def audit_event_rule(user, action: str) -> Q | None:
    # The trail names people and may hold personal values: ADVP reads it, nobody changes it.
    if action == "view" and can_read_audit(user):
        return Q()
    return None
