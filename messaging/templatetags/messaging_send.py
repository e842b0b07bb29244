"""Template tags of messaging: the sub-navigation of the staff pages (messaging/_subnav.html)."""

from django import template

from ..nav_send import subnav_links

register = template.Library()


@register.simple_tag(takes_context=True)
def messaging_subnav(context) -> list[dict]:
    """The messaging pages the signed-in user may open, the current one marked."""
    request = context.get("request")
    if request is None:
        return []
    return subnav_links(request)


@register.filter
def message_markdown(text: str):
    """The Markdown of a message or tip as safe HTML (the same rendering as the e-mails)."""
    from practices.text import practice_html

    return practice_html(text or "")
