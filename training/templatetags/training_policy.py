"""`{% urgent_types_blocked as blocked %}`: whether ADVP's training policy takes the urgent message types away from the
signed-in mandated officer (messaging's compose page says why). One query, for mandated officers only."""

from django import template

from core.roles import Role, has_role

register = template.Library()


@register.simple_tag(takes_context=True)
def urgent_types_blocked(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not has_role(user, Role.ZONE_OFFICER):
        return False
    from training.selectors_coverage import urgent_types_blocked as blocked

    return blocked(user)
