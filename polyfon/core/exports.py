"""Tables out as CSV (semicolon-separated, UTF-8 with BOM: what Norwegian Excel opens
correctly) or XLSX (openpyxl, write-only, so large exports stream with little memory)."""

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


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, date | Decimal | int):
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
            if isinstance(value, Decimal):
                value = str(value).replace(".", ",")
            elif isinstance(value, datetime):
                value = value.strftime("%d.%m.%Y %H:%M")
            elif isinstance(value, date):
                value = value.strftime("%d.%m.%Y")
            cells.append(value)
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=str(h))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_plain(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_response(*, filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return attachment_response(xlsx_bytes(headers, rows, title=filename), filename=f"{filename}.xlsx", content_type=XLSX_TYPE)
    return attachment_response(csv_bytes(headers, rows), filename=f"{filename}.csv", content_type="text/csv; charset=utf-8")
