"""The annual report's data as XLSX, and a round's answers as a table (CSV or XLSX)."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from polyfon.core.exports import XLSX_TYPE, workbook_bytes, xlsx_row

from .models import AnnualReport, Source, SubmissionStatus
from .presentation import ReportView

__all__ = ["XLSX_TYPE", "report_xlsx", "round_answer_table"]


def _header(sheet, labels):
    xlsx_row(sheet, [str(label) for label in labels], bold=True)


def report_xlsx(report: AnnualReport, view: ReportView) -> bytes:
    """Three sheets: the totals per year, every break-down per year, and what each indicator is."""
    workbook = Workbook(write_only=True)
    figures = view.figures
    with translation.override(report.language):
        totals = workbook.create_sheet(title=_("Totals")[:31])
        _header(totals, [_("Indicator"), _("Code"), _("Unit"), *view.years])
        for figure in figures:
            xlsx_row(totals, [figure.meta.name, figure.meta.code, figure.meta.unit_label or _("number"), *figure.totals])
        groups = workbook.create_sheet(title=_("Break-downs")[:31])
        _header(groups, [_("Indicator"), _("Code"), _("Break-down"), _("Group"), *view.years])
        for figure in figures:
            for table in figure.tables:
                for row in table.rows:
                    xlsx_row(groups, [figure.meta.name, figure.meta.code, table.label, row.label, *row.values])
        about = workbook.create_sheet(title=_("About the data")[:31])
        _header(about, [_("Indicator"), _("Code"), _("Source"), _("Description")])
        for figure in figures:
            xlsx_row(about, [figure.meta.name, figure.meta.code, str(Source(figure.meta.source).label), figure.meta.description])
        xlsx_row(about, [])
        if view.frozen and report.frozen_at:
            state = _("Frozen figures from %(date)s") % {"date": timezone.localdate(report.frozen_at).isoformat()}
        else:
            state = _("Live figures (not frozen)")
        xlsx_row(about, [report.title, state])
    return workbook_bytes(workbook)


def round_answer_table(reporting_round, indicators, work_areas, reports) -> tuple[list, list]:
    """(headers, rows) of every report of a round: one column per indicator (per work area when
    it is asked per area)."""
    columns = []
    for indicator in indicators:
        if indicator.per_work_area:
            columns += [((indicator.pk, area.pk), f"{indicator.display_name} – {area.display_name}") for area in work_areas]
        else:
            columns.append(((indicator.pk, None), indicator.display_name))
    headers = [_("Participant"), _("Status"), _("Submitted"), *[label for _key, label in columns], _("Comments")]
    rows = []
    for report in reports:
        values = {(v.indicator_id, v.work_area_id): v.value for v in report.values.all()}
        rows.append(
            [
                report.participant.name,
                SubmissionStatus(report.status).label,
                report.submitted_at,
                *[values.get(key) for key, _label in columns],
                report.comment,
            ]
        )
    return headers, rows
