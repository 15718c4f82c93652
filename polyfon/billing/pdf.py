"""Invoices and credit notes as PDF (WeasyPrint), in Norwegian bokmål: A4, printable, with the
cluster's logo, the buyer's address where a window envelope shows it, and the bank details."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from stdnum.no import kontonr

from polyfon.core.pdf import font_urls, html_to_pdf, logo_data_uri

from .models import Invoice

PDF_LANGUAGE = "nb"


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


def render_pdf(document, *, language: str = PDF_LANGUAGE) -> bytes:
    """The PDF as PDF/A-3u (for the archive the Bookkeeping Act asks for) with tags (for screen
    readers). Its title and author come from the HTML's <title> and <meta name="author">."""
    return html_to_pdf(render_html(document, language=language), variant="pdf/a-3u", tags=True)
