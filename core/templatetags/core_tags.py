from django import template
from django.contrib.contenttypes.models import ContentType

from core.models import AuditEvent
from core.permissions import can_read_audit

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (for pagination and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.inclusion_tag("core/partials/_history.html", takes_context=True)
def object_history(context, obj, limit: int = 50):
    """The audit history of one object, for readers of the audit trail (ADVP); nothing for others."""
    user = context["request"].user
    if not can_read_audit(user):
        return {"visible": False}
    events = AuditEvent.objects.for_user(user).filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=str(obj.pk)
    )[:limit]
    return {"visible": True, "events": list(events), "request": context["request"]}
