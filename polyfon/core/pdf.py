"""PDF from HTML (WeasyPrint): the one place every app's documents are printed.

Invoices, certificates, application copies, minutes and annual reports are templates rendered
to HTML and handed to `html_to_pdf`. The logo and the self-hosted Inter font are given to the
templates as local resources, so printing never makes a web request.
"""

import base64
import logging
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_local = threading.local()


@lru_cache(maxsize=1)
def logo_data_uri() -> str:
    """The cluster's logo (the site's emblem) inlined, so the PDF needs no web request."""
    path = finders.find("polyfon/favicon.svg")
    if not path:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")


@lru_cache(maxsize=1)
def font_urls() -> dict:
    """The self-hosted Inter font, when the front-end files are in place (else a system sans)."""
    fonts = {}
    for key, name in [("normal", "inter-latin-wght-normal.woff2"), ("ext", "inter-latin-ext-wght-normal.woff2")]:
        path = finders.find(f"vendor/inter/{name}")
        if path:
            fonts[key] = Path(path).as_uri()
    return fonts


def _font_config():
    """One font configuration per thread: loading the fonts anew for each PDF doubles the time."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def html_to_pdf(html: str, *, variant: str | None = None, tags: bool = False) -> bytes:
    """Print `html` (relative URLs resolve from the project folder). `variant` names a PDF
    variant WeasyPrint knows ("pdf/a-3u" for the archive, "pdf/ua-1" for accessibility);
    `tags` adds the structure screen readers use."""
    from weasyprint import HTML  # imported when needed: loading it takes a moment

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=_font_config(), pdf_variant=variant, pdf_tags=tags
    )
