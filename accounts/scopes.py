"""Which kind of object each role's scope is, and which roles this installation can offer.

`core.roles.ROLE_SCOPE_MODEL` names the scope model of each role as "app_label.Model". A role whose
scope model belongs to an app that is not installed cannot be given: it is left out of every choice
and refused by the services.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from core.roles import ROLE_SCOPE_MODEL, Role


class ScopeModelMissing(LookupError):
    """The role needs a kind of scope whose app is not installed."""


def scope_model_for(role: str) -> type[models.Model] | None:
    """The model a role's scope points at, None for roles without scope; raises ScopeModelMissing when
    the model's app is not installed."""
    label = ROLE_SCOPE_MODEL[role]
    if label is None:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        raise ScopeModelMissing(label) from None


def role_is_offered(role: str) -> bool:
    if role not in ROLE_SCOPE_MODEL:
        return False
    try:
        scope_model_for(role)
    except ScopeModelMissing:
        return False
    return True


def offered_roles() -> list[tuple[str, str]]:
    """(value, label) of the roles that can be given in this installation, in the order of `Role`."""
    return [(value, label) for value, label in Role.choices if role_is_offered(value)]


def scope_models() -> list[type[models.Model]]:
    """The installed scope models, each once, in the order roles first use them."""
    found: list[type[models.Model]] = []
    for role in Role.values:
        if not role_is_offered(role):
            continue
        model = scope_model_for(role)
        if model is not None and model not in found:
            found.append(model)
    return found


def scope_choices(model: type[models.Model], user) -> models.QuerySet:
    """The objects `user` may choose as a scope: those they can see that are still current (or active)."""
    queryset = model._default_manager.for_user(user, "view")
    field_names = {field.name for field in model._meta.get_fields()}
    if "is_current" in field_names:
        queryset = queryset.filter(is_current=True)
    if "is_active" in field_names:
        queryset = queryset.filter(is_active=True)
    return queryset


def is_valid_scope(model: type[models.Model], obj: models.Model) -> bool:
    """Whether `obj` may still be used as a scope: current (not merged away or ended), active, not final
    (a dissolved or merged network)."""
    if getattr(obj, "is_current", True) is False:
        return False
    if getattr(obj, "is_final", False) is True:
        return False
    return getattr(obj, "is_active", True) is not False


# Scopes too many to list in a select (some 15,000 networks) are typed by their natural key instead.
SCOPE_TEXT_KEYS: dict[str, str] = {"networks.Network": "code"}


def scope_text_key(model: type[models.Model]) -> str | None:
    """The field a scope of this model is typed by (a network's code), or None when it is chosen in a select."""
    return SCOPE_TEXT_KEYS.get(model._meta.label)
