"""Invoices and credit notes as PDF (WeasyPrint), in Norwegian bokmål: A4, printable, with the
cluster's logo, the buyer's address where a window envelope shows it, and the bank details."""

import base64
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from stdnum.no import kontonr

from .models import Invoice

PDF_LANGUAGE = "nb"



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


def render_html(document, *, language: str = PDF_LANGUAGE) -> str:
    is_invoice = isinstance(document, Invoice)
    with translation.override(language):
        return render_to_string(
            "billing/pdf/document.html",
            {
                "document": document,
                "is_invoice": is_invoice,
                "lines": list(document.lines.all()),
                "CLUSTER": settings.CLUSTER,
                "logo": logo_data_uri(),
                "fonts": font_urls(),
                "account": document.bank_account_display,
                "iban": kontonr.to_iban(document.supplier_bank_account) if kontonr.is_valid(document.supplier_bank_account) else "",
                "language": language,
            },
        )


_local = threading.local()


def _font_config():
    """One font configuration per thread: loading the fonts anew for each PDF doubles the time."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def render_pdf(document, *, language: str = PDF_LANGUAGE) -> bytes:
    """The PDF as PDF/A-3u (for the archive the Bookkeeping Act asks for) with tags (for screen
    readers). Its title and author come from the HTML's <title> and <meta name="author">."""
    from weasyprint import HTML

    return HTML(string=render_html(document, language=language), base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=_font_config(), pdf_variant="pdf/a-3u", pdf_tags=True
    )
