"""Template helpers of the export and import links shown on the network list."""

from django import template

from ..permissions import can_import_networks as _can_import

register = template.Library()


@register.simple_tag(takes_context=True)
def export_query(context) -> str:
    """The list's current filters as a query string ("?province=3&status=active"), without the page number."""
    request = context.get("request")
    if request is None:
        return ""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


@register.simple_tag(takes_context=True)
def can_import_networks(context) -> bool:
    request = context.get("request")
    return bool(request is not None and _can_import(request.user))
