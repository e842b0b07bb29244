"""Template helpers of member management used on other apps' pages."""

from django import template

from ..permissions import can_manage_members

register = template.Library()


@register.inclusion_tag("members/manage/partials/_network_members_link.html", takes_context=True)
def network_members_link(context, network):
    """On a network's page, the links to its members and requests, for the people who manage them only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = bool(user is not None and user.is_authenticated and can_manage_members(user, network))
    return {"shown": shown, "network": network}
