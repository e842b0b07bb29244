"""Who may see and change reference geography: everyone reads it; only ADVP corrects it."""

from django.db.models import Q

from core.roles import Role, has_role
from core.scoping import scope_rule

from .models import Academy, Municipality, PoliceZone, PostalCode, Province, Region


def _reference_rule(user, action: str) -> Q | None:
    if action == "view":
        return Q()
    if has_role(user, Role.ADVP):
        return Q()
    return None


for _model in (Region, Province, Municipality, PostalCode, PoliceZone, Academy):
    scope_rule(_model)(_reference_rule)
