from django import template

from ..nav import subnav_links

register = template.Library()


@register.simple_tag(takes_context=True)
def training_subnav(context) -> list[dict]:
    request = context.get("request")
    return subnav_links(request) if request is not None else []
