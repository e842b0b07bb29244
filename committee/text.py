"""Minutes are Markdown, rendered and cleaned exactly like the text of a good practice (practices/text.py)."""

from practices.text import practice_html as minutes_html

__all__ = ["minutes_html"]
