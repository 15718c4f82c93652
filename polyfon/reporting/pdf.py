"""The annual report as PDF (WeasyPrint), from the same Figures as the web page: A4, the charts
as vector graphics (the page's inline SVG), a table of contents with page numbers, tagged for
screen readers (PDF/UA-1) in the report's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from polyfon.core.pdf import font_urls, html_to_pdf, logo_data_uri

from .models import AnnualReport
from .presentation import ReportView, report_view


def report_html(report: AnnualReport, view: ReportView | None = None) -> str:
    view = view or report_view(report)
    with translation.override(report.language):
        return render_to_string(
            "reporting/pdf/report.html",
            {"report": report, "view": view, "CLUSTER": settings.CLUSTER, "logo": logo_data_uri(), "fonts": font_urls(),
             "for_pdf": True},
        )


def report_pdf(report: AnnualReport, view: ReportView | None = None) -> bytes:
    return html_to_pdf(report_html(report, view), variant="pdf/ua-1")


def pdf_filename(report: AnnualReport) -> str:
    return f"{settings.CLUSTER['name'].lower()}-arsmelding-{report.year}.pdf"
