"""The public annual reports: the list, each year's report, its PDF and its data (XLSX)."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from polyfon.core.downloads import attachment_response
from polyfon.core.permissions import public

from .. import presentation, selectors
from ..exports import XLSX_TYPE, report_xlsx
from ..models import AnnualReport
from ..pdf import pdf_filename, report_pdf


def _published(year: int) -> AnnualReport:
    report = selectors.published_reports().filter(year=year).first()
    if report is None:
        raise Http404
    return report


@public
def public_report_list(request):
    return render(request, "reporting/public/report_list.html", {"reports": selectors.published_reports()})


@public
def public_report(request, year):
    report = _published(year)
    return render(
        request,
        "reporting/public/report.html",
        {"report": report, "view": presentation.report_view(report), "others": selectors.published_reports().exclude(pk=report.pk)},
    )


@public
def public_report_pdf(request, year):
    """The PDF the worker rendered at publication, or rendered now if it is not ready yet."""
    report = _published(year)
    if report.pdf and report.pdf_sha256:
        return FileResponse(report.pdf.open("rb"), as_attachment=True, filename=pdf_filename(report), content_type="application/pdf")
    return attachment_response(report_pdf(report), filename=pdf_filename(report))


@public
def public_report_xlsx(request, year):
    report = _published(year)
    return attachment_response(
        report_xlsx(report, presentation.report_view(report)),
        filename=f"arsmelding-{report.year}-data.xlsx",
        content_type=XLSX_TYPE,
    )
