"""HTML to PDF with WeasyPrint, for every PDF the platform writes (charter letters, certificates, annual reports).

The documents may load only the fonts shipped in networks/letters/fonts (DejaVu Sans, its licence beside it):
nothing a user types — a name, a title, a foreword — can make WeasyPrint fetch a URL or read another file. Charts
are inline SVG in the HTML, so they need no fetching either. Loading the fonts is most of the cost of the first
document; each thread keeps its font configuration and fetcher.
"""

from __future__ import annotations

import threading
from pathlib import Path

LETTERS_DIR = Path(__file__).resolve().parent.parent / "networks" / "letters"
FONTS = {
    "regular": (LETTERS_DIR / "fonts" / "DejaVuSans.ttf").as_uri(),
    "bold": (LETTERS_DIR / "fonts" / "DejaVuSans-Bold.ttf").as_uri(),
}

_local = threading.local()


def _url_fetcher():
    fetcher = getattr(_local, "url_fetcher", None)
    if fetcher is None:
        from weasyprint.urls import URLFetcher

        class FontsOnlyURLFetcher(URLFetcher):
            def fetch(self, url, headers=None):
                if url not in FONTS.values():
                    raise ValueError(f"Our PDFs do not load {url!r}")
                return super().fetch(url, headers)

        fetcher = _local.url_fetcher = FontsOnlyURLFetcher(allowed_protocols=("file",))
    return fetcher


def _font_config():
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document whose stylesheet loads its fonts from `FONTS`."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(LETTERS_DIR), url_fetcher=_url_fetcher()).write_pdf(
        font_config=_font_config()
    )
