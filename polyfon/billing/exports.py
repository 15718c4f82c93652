"""The economy overview as an XLSX workbook: a summary sheet, one by fee category, one by participant."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from polyfon.core.downloads import attachment_response
from polyfon.core.exports import XLSX_TYPE, workbook_bytes, xlsx_row

from .selectors import Economy, EconomyRow

MONEY_FORMAT = "#,##0.00"


def _row(sheet, values, *, bold=False, money_from=None):
    xlsx_row(sheet, values, bold=bold, number_format=None if bold or money_from is None else MONEY_FORMAT,
             format_from=money_from or 0)


def _table(sheet, first_header: str, rows: list[EconomyRow], totals: EconomyRow) -> None:
    _row(sheet, [first_header, _("Invoices"), _("Invoiced"), _("Credited"), _("Paid"), _("Outstanding"), _("Overpaid")],
         bold=True)
    for row in [*rows, totals]:
        _row(sheet, [row.label, row.count, row.invoiced, row.credited, row.paid, row.outstanding, row.overpaid], money_from=2)


def economy_workbook(economy: Economy) -> bytes:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary")[:31])
    _row(summary, [_("Economy %(year)s") % {"year": economy.year}, ""], bold=True)
    lines = [
        (_("Invoiced (incl. VAT)"), economy.totals.invoiced),
        (_("Credited (incl. VAT)"), economy.totals.credited),
        (_("Paid"), economy.totals.paid),
        (_("Outstanding"), economy.totals.outstanding),
        (_("Overpaid, to pay back"), economy.totals.overpaid),
        (_("Fee income excl. VAT"), economy.income),
        (_("Target share returned to participants (%)"), economy.return_share),
        (_("Target amount returned to participants"), economy.return_target),
        (_("Granted to participants (project and seed funds)"), economy.granted),
        (_("Still to return to reach the target"), economy.remaining_to_return),
    ]
    for label, value in lines:
        _row(summary, [label, value], money_from=1)
    _table(workbook.create_sheet(_("By fee category")[:31]), _("Fee category"), economy.by_category, economy.totals)
    _table(workbook.create_sheet(_("By participant")[:31]), _("Participant"), economy.by_participant, economy.totals)
    return workbook_bytes(workbook)


def economy_response(economy: Economy) -> HttpResponse:
    return attachment_response(economy_workbook(economy), filename=f"okonomi-{economy.year}.xlsx", content_type=XLSX_TYPE)
