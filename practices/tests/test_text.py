"""practices.text.practice_html: Markdown with a small safe subset."""

import pytest

from practices.text import practice_html


def test_it_renders_the_allowed_markdown():
    html = practice_html("### Steps\n\n- **one**\n- *two*\n\n> quoted\n\n`code` [site](https://example.be)")
    assert "<h3>Steps</h3>" in html
    assert "<strong>one</strong>" in html and "<em>two</em>" in html
    assert "<blockquote>" in html and "<code>code</code>" in html
    assert '<a href="https://example.be" rel="nofollow noopener noreferrer">site</a>' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<iframe src="https://evil.example"></iframe>',
        '<a href="https://x.be" onclick="alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
    ],
)
def test_it_leaves_raw_html_inert(payload):
    html = practice_html(f"Before {payload} after")
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<svg" not in html
    assert "<style" not in html
    assert "onerror" not in html or "&lt;img" in html  # shown as text, never an attribute
    assert "Before" in html and "after" in html


def test_it_drops_images_even_in_markdown_syntax():
    html = practice_html("![tracker](https://evil.example/pixel.png)")
    assert "<img" not in html and "evil.example" not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>"])
def test_it_removes_dangerous_link_targets(link):
    html = practice_html(f"[click]({link})")
    assert "javascript" not in html.lower() and "data:" not in html
    assert "click" in html


def test_it_keeps_headings_outside_the_allow_list_as_text():
    html = practice_html("# Big title\n\n<table><tr><td>x</td></tr></table>")
    assert "<h1>" not in html and "Big title" in html
    assert "<table>" not in html
