from django import template

from practices.text_plain import plain_excerpt

register = template.Library()


@register.filter
def excerpt(text: str, length: int = 240) -> str:
    """A plain-text excerpt of a Markdown field (autoescaped by the template)."""
    return plain_excerpt(text, int(length))
