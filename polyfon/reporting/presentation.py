"""Indicator values made ready to show: a `Figure` per indicator with its totals over the years,
a table per break-down, the change from the year before and the chart. The annual report's
page, its PDF, its XLSX and the office's indicator pages are all drawn from Figures, so they
always agree; freezing a report stores exactly what its Figures show.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from polyfon.core.formatting import format_nok, format_number, format_percent

from . import breakdowns as bd
from . import charts, selectors
from .breakdowns import OTHER, Lookups
from .indicators import Result
from .models import AnnualReport, Chart, Indicator, ReportSection, SectionIndicator, Unit

ZERO = Decimal("0")
WHOLE_UNITS = (Unit.COUNT, Unit.NOK)
LabelOf = Callable[[str, str], tuple[str, int]]


def format_value(value: Decimal | None, unit: str, decimals: int = 0) -> str:
    if value is None:
        return "–"
    if unit == Unit.NOK:
        return format_nok(value)
    if unit == Unit.PERCENT:
        return format_percent(value, decimals=decimals)
    return format_number(value, decimals=decimals)


@dataclass
class Meta:
    """What a figure needs to know about its indicator (live, or as frozen in a report)."""

    indicator_id: int
    code: str
    name: str
    description: str
    unit: str
    decimals: int
    chart: str
    source: str
    breakdowns: list[tuple[str, str]]  # (code, label)

    def as_frozen(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "unit": self.unit,
            "decimals": self.decimals,
            "chart": self.chart,
            "source": self.source,
            "breakdowns": [list(b) for b in self.breakdowns],
        }

    @property
    def unit_label(self) -> str:
        return {
            Unit.NOK: _("NOK"),
            Unit.PERCENT: "%",
            Unit.FTE: _("full-time equivalents"),
        }.get(self.unit, "")


def meta_of(indicator: Indicator) -> Meta:
    """The indicator as it is now, in the active language."""
    return Meta(
        indicator_id=indicator.pk,
        code=indicator.code,
        name=indicator.display_name,
        description=indicator.display_description,
        unit=indicator.unit,
        decimals=indicator.decimals,
        chart=indicator.chart,
        source=indicator.source,
        breakdowns=[(code, bd.label_of(code)) for code in indicator.breakdowns or [] if bd.get(code)],
    )


def meta_from_frozen(section_indicator: SectionIndicator) -> Meta:
    frozen = section_indicator.frozen
    return Meta(
        indicator_id=section_indicator.indicator_id,
        code=frozen["code"],
        name=frozen["name"],
        description=frozen["description"],
        unit=frozen["unit"],
        decimals=frozen["decimals"],
        chart=frozen["chart"],
        source=frozen["source"],
        breakdowns=[tuple(b) for b in frozen["breakdowns"]],
    )


@dataclass
class Row:
    key: str
    label: str
    values: list[Decimal | None]
    formatted: list[str]


@dataclass
class Table:
    code: str
    label: str
    rows: list[Row]


@dataclass
class Figure:
    meta: Meta
    years: list[int]
    totals: list[Decimal | None]
    totals_formatted: list[str]
    tables: list[Table] = field(default_factory=list)
    chart: SafeString | str = ""
    chart_id: str = ""
    anchor: str = ""

    @property
    def year(self) -> int:
        return self.years[-1]

    @property
    def current(self) -> Decimal | None:
        return self.totals[-1]

    @property
    def current_formatted(self) -> str:
        return self.totals_formatted[-1]

    @property
    def previous(self) -> Decimal | None:
        return self.totals[-2] if len(self.totals) > 1 else None

    @property
    def years_and_totals(self) -> list[tuple[int, str]]:
        return list(zip(self.years, self.totals_formatted, strict=True))

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.totals)

    @property
    def change(self) -> dict | None:
        """The change from the year before: the difference, and in per cent when that means something."""
        if self.current is None or self.previous is None:
            return None
        delta = self.current - self.previous
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        magnitude = format_value(abs(delta), self.meta.unit, self.meta.decimals)
        if self.meta.unit == Unit.PERCENT:
            magnitude = format_number(abs(delta), decimals=self.meta.decimals) + " " + _("percentage points")
        percent = None
        if self.meta.unit != Unit.PERCENT and self.previous > 0:
            percent = format_percent(abs(delta) * 100 / self.previous, decimals=0)
        return {
            "direction": "up" if delta > 0 else ("down" if delta < 0 else "same"),
            "delta": f"{sign}{magnitude}",
            "percent": f"{sign}{percent}" if percent else "",
            "previous_year": self.years[-2],
        }


def live_label_of(lookups: Lookups) -> LabelOf:
    positions: dict[str, dict[str, int]] = {}

    def label_of(code: str, key: str) -> tuple[str, int]:
        if key == OTHER:
            return _("Others and not given"), 10_000
        if code not in positions:
            positions[code] = lookups.positions(code)
        return lookups.label(code, key), positions[code].get(key, 9_000)

    return label_of


def build_figure(
    meta: Meta,
    years: list[int],
    results: dict[tuple[int, int], Result],
    *,
    label_of: LabelOf,
    lookups: Lookups | None,
    chart_prefix: str,
) -> Figure:
    """The figure of one indicator over `years`. With `lookups` (live figures) the groups of
    small fixed break-downs are shown even when empty; without (frozen), the stored rows are."""
    per_year = [results.get((meta.indicator_id, year)) for year in years]
    totals = [r.total if r is not None else None for r in per_year]
    fmt = lambda value: format_value(value, meta.unit, meta.decimals)  # noqa: E731
    figure = Figure(
        meta=meta,
        years=years,
        totals=totals,
        totals_formatted=[fmt(v) for v in totals],
        chart_id=f"{chart_prefix}-{meta.code}",
        anchor=f"indicator-{chart_prefix}-{meta.code}",
    )
    for code, label in meta.breakdowns:
        breakdown = bd.get(code)
        keys = {key for r in per_year if r is not None for key in r.groups.get(code, {})}
        if lookups is not None and breakdown is not None and breakdown.show_empty:
            keys |= {key for key, _label in lookups.options(code)}
        rows = []
        for key in keys:
            values = []
            for r in per_year:
                if r is None or r.total is None:
                    values.append(None)
                else:
                    values.append(r.groups.get(code, {}).get(key, ZERO))
            hide_empty = key == OTHER or (breakdown is not None and not breakdown.show_empty)
            if lookups is not None and hide_empty and not any(v for v in values):
                continue
            row_label, position = label_of(code, key)
            rows.append((position, row_label, Row(key=key, label=row_label, values=values, formatted=[fmt(v) for v in values])))
        rows.sort(key=lambda item: (item[0], item[1]))
        if rows:
            figure.tables.append(Table(code=code, label=label, rows=[row for _p, _l, row in rows]))
    figure.chart = _chart(figure, fmt)
    return figure


def _chart(figure: Figure, fmt) -> SafeString | str:
    meta = figure.meta
    if meta.chart == Chart.NONE or not figure.has_data:
        return ""
    if meta.chart == Chart.BREAKDOWN and figure.tables and figure.current is not None:
        table = figure.tables[0]
        series = []
        if figure.previous is not None:
            series.append(charts.Series(str(figure.years[-2]), [row.values[-2] for row in table.rows]))
        series.append(charts.Series(str(figure.year), [row.values[-1] for row in table.rows]))
        names = {"indicator": meta.name, "breakdown": table.label.lower(), "year": figure.year}
        if figure.previous is not None:
            title = _("%(indicator)s by %(breakdown)s, %(previous)s and %(year)s") % {
                **names, "previous": figure.years[-2]
            }
        else:
            title = _("%(indicator)s by %(breakdown)s, %(year)s") % names
        return charts.bar_chart(
            chart_id=figure.chart_id,
            title=title,
            description="",
            categories=[row.label for row in table.rows],
            series=series,
            fmt=fmt,
            whole=meta.unit in WHOLE_UNITS,
        )
    return charts.column_chart(
        chart_id=figure.chart_id,
        title=_("%(indicator)s, %(first)s–%(last)s") % {"indicator": meta.name, "first": figure.years[0], "last": figure.year},
        description="",
        categories=[str(year) for year in figure.years],
        series=[charts.Series(meta.name, figure.totals)],
        fmt=fmt,
        whole=meta.unit in WHOLE_UNITS,
    )


# --- Whole pages ------------------------------------------------------------------------------------------------


def indicator_figure(indicator: Indicator, years: list[int], *, lookups: Lookups | None = None) -> Figure:
    """The live figure of one indicator (the office's indicator page), in the active language."""
    lookups = lookups or Lookups()
    results = selectors.collect_results([indicator], years, lookups=lookups)
    return build_figure(
        meta_of(indicator), years, results, label_of=live_label_of(lookups), lookups=lookups, chart_prefix="indicator"
    )


@dataclass
class SectionView:
    section: ReportSection
    anchor: str
    figures: list[Figure]


@dataclass
class ReportView:
    report: AnnualReport
    years: list[int]
    sections: list[SectionView]
    frozen: bool

    @property
    def figures(self) -> list[Figure]:
        """Every figure once (an indicator shown in two sections counts once)."""
        seen, unique = set(), []
        for section in self.sections:
            for figure in section.figures:
                if figure.meta.indicator_id not in seen:
                    seen.add(figure.meta.indicator_id)
                    unique.append(figure)
        return unique


def report_view(report: AnnualReport, *, frozen: bool | None = None, now=None) -> ReportView:
    """The annual report's sections with their figures, built in the report's language: from the
    frozen copy when the figures are frozen, else live."""
    frozen = report.is_frozen if frozen is None else frozen
    years = report.years
    sections = selectors.report_with_sections(report)
    with translation.override(report.language):
        if frozen:
            stored = selectors.frozen_results(report)
            results, lookups = stored.results, None

            def label_of(code: str, key: str) -> tuple[str, int]:
                return stored.labels.get((code, key), (key, 9_000))

        else:
            lookups = Lookups()
            indicators = list({si.indicator_id: si.indicator for s in sections for si in s.section_indicators.all()}.values())
            results = selectors.collect_results(indicators, years, lookups=lookups, now=now)
            label_of = live_label_of(lookups)
        views = []
        for section in sections:
            figures = []
            for si in section.section_indicators.all():
                if frozen and not si.frozen:
                    continue  # added after the freeze: it has no frozen figures
                meta = meta_from_frozen(si) if frozen else meta_of(si.indicator)
                figures.append(
                    build_figure(meta, years, results, label_of=label_of, lookups=lookups, chart_prefix=f"s{section.pk}")
                )
            views.append(SectionView(section=section, anchor=f"section-{section.pk}", figures=figures))
    return ReportView(report=report, years=years, sections=views, frozen=frozen)
