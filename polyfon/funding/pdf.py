"""The application as a PDF (WeasyPrint): the copy sent with the receipt, and the download."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from polyfon.core.pdf import html_to_pdf

from . import selectors


def application_pdf(application_pk: int, *, language: str | None = None) -> bytes:
    """Render the application as it stands now, in `language` (the applicant's by default)."""
    application = selectors.application_detail(pk=application_pk)
    language = language or application.applicant.language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "funding/pdf/application.html",
            {
                "application": application,
                "totals": selectors.budget_totals(application),
                "CLUSTER": settings.CLUSTER,
                "printed_at": timezone.now(),
                "language": language,
            },
        )
    return html_to_pdf(html)


def pdf_filename(application) -> str:
    return f"{application.reference}.pdf"
