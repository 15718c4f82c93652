"""Indicator values from outside sources, imported from CSV.

The file is uploaded and kept as it came; the coordinator maps its columns (the year, the group
of the break-down such as the health region, and one column per indicator), checks what would
happen to every row, and imports. Every row that fails is kept with the reason. Nothing is
imported twice: the same file is refused while it stands imported, a value another file already
imported is skipped when it is the same and refused when it differs, and a value given twice
in one file is refused the second time.

The CSV file: a header row, then one row per year (and group). Semicolons, commas or tabs
between columns; UTF-8 or Windows-1252; numbers as 1 234, 1234 or 1 234,5. For example:

    År;Helseregion;Kontakter
    2024;Helse Vest;1 812
    2024;Helse Sør-Øst;2 940
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.errors import DomainError
from polyfon.core.validators import sha256_of

from .. import breakdowns as bd
from .. import lifecycle
from ..breakdowns import Lookups
from ..models import (
    FIRST_YEAR,
    ImportRow,
    ImportStatus,
    Indicator,
    IndicatorImport,
    IndicatorValue,
    RowOutcome,
    Source,
    Unit,
)

MAX_ROWS = 20_000
ALLOWED_EXTENSIONS = (".csv", ".txt")


# --- Reading the file -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCsv:
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


def _decode(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise DomainError(_("The file is not a text file (CSV)."), field="file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("The file is not text in UTF-8 or Windows-1252."), field="file")


def parse_csv(raw: bytes) -> ParsedCsv:
    text = _decode(raw)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DomainError(_("The file is empty or its first row (the column names) is empty."), field="file")
    counts = {d: lines[0].count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        table = list(reader)
    except csv.Error as error:
        raise DomainError(_("The file cannot be read as CSV: %(error)s") % {"error": error}, field="file") from None
    headers = [h.strip() for h in table[0]]
    if any(not h for h in headers):
        raise DomainError(_("Every column needs a name in the first row."), field="file")
    if len(set(headers)) != len(headers):
        raise DomainError(_("Two columns have the same name in the first row."), field="file")
    rows = [(index + 2, [c.strip() for c in cells]) for index, cells in enumerate(table[1:]) if any(c.strip() for c in cells)]
    if not rows:
        raise DomainError(_("The file has column names but no rows."), field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS}, field="file")
    return ParsedCsv(delimiter=delimiter, headers=headers, rows=rows)


def parse_number(text: str) -> Decimal | None:
    """'1 234' -> 1234; '1234,5' -> 1234.5; '1.234,5' -> 1234.5; '' -> None. Raises ValueError."""
    text = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


# --- Uploading ------------------------------------------------------------------------------------------------------


def _imported_before(sha256: str) -> IndicatorImport | None:
    return IndicatorImport.objects.filter(sha256=sha256, status=ImportStatus.IMPORTED).first()


def import_upload(*, uploaded, actor, source_name: str = "") -> IndicatorImport:
    """Keep the file and read its columns; nothing is imported before the columns are mapped."""
    if uploaded.size > settings.MAX_IMPORT_UPLOAD_BYTES:
        raise DomainError(
            _("The file is too large; the limit is %(limit)s MB.") % {"limit": settings.MAX_IMPORT_UPLOAD_BYTES // 1_048_576},
            field="file",
        )
    if not uploaded.name.lower().endswith(ALLOWED_EXTENSIONS):
        raise DomainError(_("Upload a CSV file (.csv or .txt)."), field="file")
    raw = uploaded.read()
    uploaded.seek(0)
    parsed = parse_csv(raw)
    digest = sha256_of(uploaded)
    earlier = _imported_before(digest)
    if earlier is not None:
        raise DomainError(
            _("This file was imported on %(date)s (%(name)s). Undo that import first to import it again.")
            % {"date": date_format(timezone.localtime(earlier.imported_at), "SHORT_DATE_FORMAT"), "name": earlier.original_name},
            field="file",
        )
    with transaction.atomic():
        source_import = IndicatorImport(
            original_name=uploaded.name[:255],
            size=uploaded.size,
            sha256=digest,
            source_name=source_name,
            delimiter=parsed.delimiter,
            headers=parsed.headers,
            row_count=len(parsed.rows),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        source_import.file.save("import.csv", uploaded, save=False)
        source_import.save()
        audit_log(
            obj=source_import,
            action="polyfon.reporting.import.uploaded",
            actor=actor,
            payload={"file": source_import.original_name, "rows": source_import.row_count, "sha256": digest},
        )
    return source_import


# --- Mapping and checking -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapping:
    """Which column holds what. `columns` maps a column name to the code of an indicator."""

    columns: dict[str, str]
    year_column: str = ""
    fixed_year: int | None = None
    key_column: str = ""

    def as_json(self) -> dict:
        return {
            "columns": self.columns,
            "year_column": self.year_column,
            "fixed_year": self.fixed_year,
            "key_column": self.key_column,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Mapping":
        return cls(
            columns=dict(data.get("columns") or {}),
            year_column=data.get("year_column") or "",
            fixed_year=data.get("fixed_year"),
            key_column=data.get("key_column") or "",
        )


@dataclass
class PlannedValue:
    indicator: Indicator
    year: int
    breakdown: str
    key: str
    value: Decimal


@dataclass
class RowPlan:
    line_number: int
    raw: list[str]
    values: list[PlannedValue] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.values:
            return RowOutcome.PARTLY if self.errors else RowOutcome.IMPORTED
        if self.errors:
            return RowOutcome.FAILED
        return RowOutcome.SKIPPED

    @property
    def messages(self) -> list[str]:
        return [*self.errors, *self.notes]


@dataclass
class Plan:
    breakdown: str
    rows: list[RowPlan]

    @property
    def value_count(self) -> int:
        return sum(len(r.values) for r in self.rows)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def failed(self) -> list[RowPlan]:
        return [r for r in self.rows if r.errors]


def _mapping_problems(source_import: IndicatorImport, mapping: Mapping) -> tuple[dict[str, Indicator], str]:
    headers = source_import.headers
    if not mapping.columns:
        raise DomainError(_("Choose at least one column with values, and the indicator it holds."))
    for column in [*mapping.columns, mapping.year_column, mapping.key_column]:
        if column and column not in headers:
            raise DomainError(_("The file has no column named “%(column)s”.") % {"column": column})
    if bool(mapping.year_column) == bool(mapping.fixed_year):
        raise DomainError(_("Choose the column with the year, or give the year every row is for (not both)."))
    if mapping.fixed_year and not FIRST_YEAR <= mapping.fixed_year <= timezone.localdate().year:
        raise DomainError(_("The year must lie between %(first)s and this year.") % {"first": FIRST_YEAR})
    used = {mapping.year_column, mapping.key_column} - {""}
    if used & set(mapping.columns):
        raise DomainError(_("A column cannot hold both values and the year or the group."))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=mapping.columns.values())}
    by_column = {}
    for column, code in mapping.columns.items():
        indicator = indicators.get(code)
        if indicator is None or indicator.source != Source.IMPORTED or not indicator.is_active:
            raise DomainError(_("Values can be imported only into active imported indicators."))
        by_column[column] = indicator
    if len(set(mapping.columns.values())) != len(mapping.columns):
        raise DomainError(_("Two columns are mapped to the same indicator."))
    breakdown = ""
    if mapping.key_column:
        kinds = {tuple(i.breakdowns or []) for i in by_column.values()}
        if len(kinds) != 1 or len(next(iter(kinds))) != 1:
            raise DomainError(
                _(
                    "With a column of groups, every indicator imported must have the same single break-down "
                    "(for example health region)."
                )
            )
        breakdown = next(iter(kinds))[0]
    return by_column, breakdown


def import_plan(*, source_import: IndicatorImport, mapping: Mapping, parsed: ParsedCsv | None = None) -> Plan:
    """What importing with `mapping` would do to every row, without changing anything."""
    by_column, breakdown = _mapping_problems(source_import, mapping)
    if parsed is None:
        with source_import.file.open("rb") as f:
            parsed = parse_csv(f.read())
    index = {header: i for i, header in enumerate(parsed.headers)}
    lookups = Lookups()
    this_year = timezone.localdate().year
    existing = {
        (indicator_id, year, b, key): (value, name)
        for indicator_id, year, b, key, value, name in IndicatorValue.objects.filter(
            report__isnull=True, indicator__in=list(by_column.values())
        )
        .exclude(source_import=source_import)
        .values_list("indicator_id", "year", "breakdown", "key", "value", "source_import__original_name")
    }
    seen: dict[tuple, int] = {}
    plan = Plan(breakdown=breakdown, rows=[])

    def cell(cells, column):
        position = index[column]
        return cells[position] if position < len(cells) else ""

    for line, cells in parsed.rows:
        row = RowPlan(line_number=line, raw=cells)
        plan.rows.append(row)
        if len(cells) > len(parsed.headers):
            row.errors.append(_("The row has more columns than the first row."))
            continue
        year = mapping.fixed_year
        if mapping.year_column:
            text = cell(cells, mapping.year_column)
            if not re.fullmatch(r"\d{4}", text or ""):
                row.errors.append(_("“%(value)s” is not a year.") % {"value": text})
                continue
            year = int(text)
            if not FIRST_YEAR <= year <= this_year:
                row.errors.append(_("The year %(year)s lies outside %(first)s–%(last)s.") % {
                    "year": year, "first": FIRST_YEAR, "last": this_year})
                continue
        key = ""
        if breakdown:
            text = cell(cells, mapping.key_column)
            key = lookups.match(breakdown, text) or ""
            if not key:
                row.errors.append(
                    _("“%(value)s” is not a known %(breakdown)s.") % {"value": text, "breakdown": bd.label_of(breakdown).lower()}
                )
                continue
        for column, indicator in by_column.items():
            text = cell(cells, column)
            try:
                value = parse_number(text)
            except ValueError:
                row.errors.append(_("%(column)s: “%(value)s” is not a number.") % {"column": column, "value": text})
                continue
            if value is None:
                row.notes.append(_("%(column)s: empty, nothing to import.") % {"column": column})
                continue
            if value < 0:
                row.errors.append(_("%(column)s: a negative value cannot be imported.") % {"column": column})
                continue
            if indicator.unit == Unit.COUNT and value != value.to_integral_value():
                row.errors.append(_("%(column)s: %(indicator)s is a whole number.") % {"column": column, "indicator": indicator})
                continue
            target = (indicator.pk, year, breakdown, key)
            if target in seen:
                row.errors.append(
                    _("%(column)s: the same value is given on line %(line)s.") % {"column": column, "line": seen[target]}
                )
                continue
            seen[target] = line
            if target in existing:
                earlier, name = existing[target]
                if earlier == value:
                    row.notes.append(
                        _("%(column)s: already imported from %(file)s.") % {"column": column, "file": name}
                    )
                else:
                    row.errors.append(
                        _("%(column)s: %(file)s has already imported %(value)s for this; undo that import first.")
                        % {"column": column, "file": name, "value": earlier.normalize()}
                    )
                continue
            row.values.append(PlannedValue(indicator=indicator, year=year, breakdown=breakdown, key=key, value=value))
    return plan


# --- Importing, discarding, undoing ---------------------------------------------------------------------------------------


def _begin(source_import: IndicatorImport, move: str) -> IndicatorImport:
    locked = IndicatorImport.objects.select_for_update().get(pk=source_import.pk)
    if not lifecycle.IMPORT_MOVES.allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the import is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def import_execute(*, source_import: IndicatorImport, mapping: Mapping, actor) -> IndicatorImport:
    """Import every value that passes the checks and keep every row's outcome."""
    try:
        with transaction.atomic():
            source_import = _begin(source_import, "import")
            if _imported_before(source_import.sha256):
                raise DomainError(_("This file has been imported already."))
            plan = import_plan(source_import=source_import, mapping=mapping)
            if not plan.value_count:
                raise DomainError(_("Nothing in the file can be imported; see what is wrong with each row below."))
            IndicatorValue.objects.bulk_create(
                [
                    IndicatorValue(
                        indicator=v.indicator, year=v.year, breakdown=v.breakdown, key=v.key, value=v.value,
                        source_import=source_import,
                    )
                    for row in plan.rows
                    for v in row.values
                ]
            )
            ImportRow.objects.bulk_create(
                [
                    ImportRow(
                        source_import=source_import, line_number=row.line_number, outcome=row.outcome,
                        messages=row.messages, raw=row.raw,
                    )
                    for row in plan.rows
                ],
                batch_size=2000,
            )
            source_import.mapping = mapping.as_json()
            source_import.status = ImportStatus.IMPORTED
            source_import.value_count = plan.value_count
            source_import.failed_count = len(plan.failed)
            source_import.skipped_count = plan.count(RowOutcome.SKIPPED)
            source_import.imported_at = timezone.now()
            source_import.imported_by = actor if getattr(actor, "is_authenticated", False) else None
            source_import.save(
                update_fields=["mapping", "status", "value_count", "failed_count", "skipped_count", "imported_at", "imported_by"]
            )
            audit_log(
                obj=source_import,
                action="polyfon.reporting.import.imported",
                actor=actor,
                payload={
                    "values": plan.value_count,
                    "failed_rows": source_import.failed_count,
                    "skipped_rows": source_import.skipped_count,
                    "mapping": mapping.as_json(),
                },
            )
    except IntegrityError:
        raise DomainError(_("Another import wrote some of the same values at the same moment; check the file again.")) from None
    return source_import


def import_discard(*, source_import: IndicatorImport, actor) -> IndicatorImport:
    with transaction.atomic():
        source_import = _begin(source_import, "discard")
        source_import.status = ImportStatus.DISCARDED
        source_import.save(update_fields=["status"])
        audit_log(obj=source_import, action="polyfon.reporting.import.discarded", actor=actor)
    return source_import


def import_undo(*, source_import: IndicatorImport, actor) -> IndicatorImport:
    """Remove the values the file imported (frozen copies in annual reports stay as they are)."""
    with transaction.atomic():
        source_import = _begin(source_import, "undo")
        removed, _detail = IndicatorValue.objects.filter(source_import=source_import, report__isnull=True).delete()
        source_import.status = ImportStatus.UNDONE
        source_import.undone_at = timezone.now()
        source_import.save(update_fields=["status", "undone_at"])
        audit_log(
            obj=source_import, action="polyfon.reporting.import.undone", actor=actor, payload={"values_removed": removed}
        )
    return source_import
