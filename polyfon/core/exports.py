"""Tables out as CSV (semicolon-separated, UTF-8 with BOM: what Norwegian Excel opens
correctly) or XLSX (openpyxl, write-only, so large exports stream with little memory).

Every workbook and CSV file of the site is written here. Text typed by the public (names,
answers, titles) could start like a formula; a spreadsheet must show it, never run it (CSV
injection, OWASP): CSV text starting with = + - @ or a control character gets a leading
apostrophe, and XLSX text is written as typed text.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .downloads import attachment_response

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, date | Decimal | int | float):
        return value
    return str(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(h) for h in headers])
    for row in rows:
        cells = []
        for value in row:
            value = _plain(value)
            if isinstance(value, Decimal | float):
                value = str(value).replace(".", ",")
            elif isinstance(value, datetime):
                value = value.strftime("%d.%m.%Y %H:%M")
            elif isinstance(value, date):
                value = value.strftime("%d.%m.%Y")
            elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
                value = "'" + value
            cells.append(value)
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet, value, *, bold: bool = False, number_format: str | None = None) -> WriteOnlyCell:
    """One cell of a write-only sheet: the value in spreadsheet form; text stays text."""
    value = None if value is None else _plain(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"  # typed text that starts with "=", shown as it was typed
    if bold:
        cell.font = Font(bold=True)
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_row(sheet, values, *, bold: bool = False, number_format: str | None = None, format_from: int = 0) -> None:
    """Append a row; `number_format` applies to the cells from index `format_from` on."""
    sheet.append(
        [xlsx_cell(sheet, value, bold=bold, number_format=number_format if index >= format_from else None)
         for index, value in enumerate(values)]
    )


def workbook_bytes(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    xlsx_row(sheet, [str(h) for h in headers], bold=True)
    for row in rows:
        xlsx_row(sheet, row)
    return workbook_bytes(workbook)


def table_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return attachment_response(xlsx_bytes(headers, rows, title=filename), filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
    return attachment_response(csv_bytes(headers, rows), filename=f"{filename}.csv", content_type="text/csv; charset=utf-8")
