"""Rendering the Markdown of a practice: a small, safe subset (DESIGN §3 "no script, no remote images").

Markdown is turned into HTML, then nh3 keeps only the tags of the allow-list below: no images, no tables. The author's
raw HTML is escaped (shown as text, never interpreted); links keep only http(s) and mailto targets and are marked
rel="nofollow noopener noreferrer".
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Removed together with everything inside them, rather than leaving their text behind.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}


class _NoRawHtml(markdown.Extension):
    """The author's own HTML is shown as text, not interpreted: Markdown's raw HTML block and inline handlers are
    switched off, so `<b>` reads as `<b>` (escaped) and nh3 below is a second line of defence."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's hook name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def practice_html(markdown_text: str) -> SafeString:
    """The Markdown of one text field of a practice, as HTML safe to put in a page."""
    html = markdown.markdown(markdown_text or "", extensions=["sane_lists", _NoRawHtml()], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with the allow-list above  # nosec B308 B703
