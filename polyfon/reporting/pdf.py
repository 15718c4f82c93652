"""The annual report as PDF (WeasyPrint), from the same Figures as the web page: A4, the charts
as vector graphics (the page's inline SVG), a table of contents with page numbers, tagged for
screen readers (PDF/UA-1) in the report's language."""

import logging
import threading

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from polyfon.billing.pdf import font_urls, logo_data_uri

from .models import AnnualReport
from .presentation import ReportView, report_view

for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

_local = threading.local()


def _font_config():
    """One font configuration per thread: loading the fonts for each PDF doubles the time."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def report_html(report: AnnualReport, view: ReportView | None = None) -> str:
    view = view or report_view(report)
    with translation.override(report.language):
        return render_to_string(
            "reporting/pdf/report.html",
            {"report": report, "view": view, "CLUSTER": settings.CLUSTER, "logo": logo_data_uri(), "fonts": font_urls(),
             "for_pdf": True},
        )


def report_pdf(report: AnnualReport, view: ReportView | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(report, view), base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=_font_config(), pdf_variant="pdf/ua-1"
    )


def pdf_filename(report: AnnualReport) -> str:
    return f"{settings.CLUSTER['name'].lower()}-arsmelding-{report.year}.pdf"
