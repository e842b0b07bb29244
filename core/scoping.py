"""One scoping mechanism for every access path (DESIGN §4, STYLE: "scope is data").

Each scoped model uses `ScopedManager`; its app registers one rule with `@scope_rule(Model)` in its
`permissions.py`. A rule answers, for a user and an action ("view", "change", ...), a `Q` filter
(`Q()` for everything) or `None` for nothing. Lists, details, API querysets, exports and form
choices all start from `Model.objects.for_user(user, action)`; a model without a rule raises, so a
forgotten rule fails closed in the first test that touches it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

ScopeRule = Callable[[object, str], Q | None]
_rules: dict[type[models.Model], ScopeRule] = {}


def scope_rule(model: type[models.Model]) -> Callable[[ScopeRule], ScopeRule]:
    def register(rule: ScopeRule) -> ScopeRule:
        _rules[model] = rule
        return rule

    return register


def rule_for(model: type[models.Model]) -> ScopeRule:
    concrete = model._meta.concrete_model
    try:
        return _rules[concrete]
    except KeyError:
        raise ImproperlyConfigured(f"No scope rule registered for {concrete._meta.label}") from None


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> ScopedQuerySet:
        condition = rule_for(self.model)(user, action)
        if condition is None:
            return self.none()
        return self.filter(condition)


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


def can(user, action: str, obj: models.Model) -> bool:
    """Whether `user` may do `action` on this very object."""
    condition = rule_for(type(obj))(user, action)
    if condition is None:
        return False
    if condition == Q():
        return True
    return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def get_for_user(queryset: models.QuerySet, user, action: str = "view", **lookup) -> models.Model:
    """The object, or 404 when it does not exist or is out of the user's sight; 403 when it is
    visible but `action` is not allowed. Hidden and missing objects answer alike, so ids do not leak."""
    try:
        obj = queryset.for_user(user, "view").filter(**lookup).first()
    except (TypeError, ValueError, ValidationError):  # a malformed id ("abc" for an integer) is a missing object
        obj = None
    if obj is None:
        raise Http404
    if action != "view" and not can(user, action, obj):
        raise PermissionDenied
    return obj
