"""Exports: Norwegian CSV and XLSX, and text that looks like a formula stays text."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from polyfon.core.exports import csv_bytes, xlsx_bytes

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"klikk\")", "+47 22 33 44 55", "-1+1", "@SUM(A1)", "Kari Nordmann"]


def test_csv_is_norwegian_excel_friendly_and_formulas_stay_text():
    data = csv_bytes(["Navn", "Beløp", "Dato", "Deltar"], [[HOSTILE[0], Decimal("1500.50"), date(2027, 2, 1), True]]
                     + [[text, None, None, False] for text in HOSTILE[1:]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["'" + HOSTILE[0], "1500,50", "01.02.2027", "ja"]
    assert [row[0] for row in rows[2:]] == ["'+47 22 33 44 55", "'-1+1", "'@SUM(A1)", "Kari Nordmann"]


def test_xlsx_keeps_types_and_writes_formula_like_text_as_text():
    data = xlsx_bytes(["Navn", "Beløp"], [[text, Decimal("10")] for text in HOSTILE] + [[None, 3.5]])
    sheet = load_workbook(io.BytesIO(data)).active
    names = [(cell.value, cell.data_type) for (cell,) in sheet.iter_rows(min_row=2, max_col=1)]
    assert names[:5] == [(text, "s") for text in HOSTILE]
    assert names[5][0] is None
    assert sheet["B2"].value == 10 and sheet["B7"].value == 3.5
