"""Bar charts as inline SVG, drawn here in Python: the same markup on the web page and in the
PDF (WeasyPrint draws SVG as vector graphics), with no JavaScript and nothing from elsewhere.

Every chart is an image with a text alternative: role="img", a <title> and a <desc> that states
each value, referenced by aria-labelledby. The page shows the same numbers in a table beside it.
The colours have at least 4.5:1 contrast against white, and every bar carries its value as text,
so no information depends on colour alone.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ["#1f4e8c", "#a34d00", "#00705f", "#6b3fa0", "#a3193f", "#3d5a00"]
TEXT, MUTED, GRID = "#1a1a1a", "#4a4f55", "#c9ced4"
FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"
ZERO = Decimal("0")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | None]


def _nice_scale(largest: Decimal, ticks: int = 4, *, whole: bool = False) -> tuple[Decimal, Decimal]:
    """(top of the axis, step between grid lines): round numbers just above the largest value;
    with `whole`, the steps are whole numbers (things counted, kroner)."""
    if largest <= 0:
        return (Decimal("1"), Decimal("1")) if whole else (Decimal("1"), Decimal("0.25"))
    raw = largest / ticks
    magnitude = Decimal(10) ** raw.adjusted()
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        step = magnitude * factor
        if step >= raw:
            break
    if whole and step < 1:
        step = Decimal("1")
    if whole and step != step.to_integral_value():  # 2.5, 25 % steps of 10: keep to whole numbers
        step = step * 2
    top = step * ((largest / step).to_integral_value(rounding="ROUND_CEILING"))
    return top, step


def _n(value: Decimal) -> str:
    """A coordinate with one decimal."""
    return f"{Decimal(value).quantize(Decimal('0.1'))}"


def _describe(description: str, categories: Sequence[str], series: Sequence[Series], fmt) -> str:
    """The text alternative: the description, then every value."""
    parts = []
    for index, category in enumerate(categories):
        if len(series) == 1:
            value = series[0].values[index]
            parts.append(f"{category}: {fmt(value) if value is not None else _('no data')}")
        else:
            values = ", ".join(
                f"{s.name} {fmt(s.values[index]) if s.values[index] is not None else _('no data')}" for s in series
            )
            parts.append(f"{category}: {values}")
    text = "; ".join(parts) + "."
    return f"{description} {text}".strip() if description else text


def _open(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="12" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _legend(series: Sequence[Series], x: int, y: int) -> list[str]:
    parts, offset = [], 0
    for index, s in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x + offset}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + offset + 17}" y="{y}" fill="{TEXT}">{escape(s.name)}</text>')
        offset += 30 + 7 * len(s.name)
    return parts


def _largest(series: Sequence[Series]) -> Decimal:
    values = [v for s in series for v in s.values if v is not None]
    return max(values, default=ZERO)


def column_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[Decimal], str],
    width: int = 640,
    height: int = 280,
    whole: bool = False,
) -> SafeString:
    """Vertical bars: a group per category (the years, say), a bar per series, values on top."""
    axis_top, step = _nice_scale(_largest(series), whole=whole)
    tick_labels = []
    tick = ZERO
    while tick <= axis_top:
        tick_labels.append((tick, fmt(tick)))
        tick += step
    left = 16 + 7 * max(len(label) for _tick, label in tick_labels)
    right, top, bottom = 12, 34 if len(series) > 1 else 18, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = _open(chart_id, width, height, title, _describe(description, categories, series, fmt))
    if len(series) > 1:
        parts += _legend(series, left, 16)
    for tick, label in tick_labels:
        y = top + plot_h - plot_h * tick / axis_top
        parts.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" fill="{MUTED}">{escape(label)}</text>')
    group_w = Decimal(plot_w) / max(len(categories), 1)
    bar_w = min(group_w * Decimal("0.7") / max(len(series), 1), Decimal(56))
    value_size = 11 if group_w / max(len(series), 1) >= 70 else 9
    for index, category in enumerate(categories):
        group_x = left + group_w * index
        start = group_x + (group_w - bar_w * len(series)) / 2
        for s_index, s in enumerate(series):
            value = s.values[index]
            x = start + bar_w * s_index
            if value is None:
                parts.append(
                    f'<text x="{_n(x + bar_w / 2)}" y="{_n(top + plot_h - 4)}" text-anchor="middle" fill="{MUTED}">–</text>'
                )
                continue
            h = plot_h * max(value, ZERO) / axis_top
            y = top + plot_h - h
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar_w - 2)}" height="{_n(h)}" fill="{colour}"/>')
            parts.append(
                f'<text x="{_n(x + (bar_w - 2) / 2)}" y="{_n(y - 4)}" text-anchor="middle" font-size="{value_size}" '
                f'fill="{TEXT}">{escape(fmt(value))}</text>'
            )
        parts.append(
            f'<text x="{_n(group_x + group_w / 2)}" y="{height - bottom + 18}" text-anchor="middle" '
            f'fill="{TEXT}">{escape(category)}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{MUTED}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[Decimal], str],
    width: int = 640,
    whole: bool = False,
) -> SafeString:
    """Horizontal bars: a row per category (the groups of a break-down), a bar per series (the
    years compared), values at the end of the bars. Long group names are shortened in the
    picture; the text alternative and the table beside it carry them whole."""
    label_chars = min(max((len(c) for c in categories), default=10), 34)
    left, right, top = 12 + int(label_chars * 6.6), 70, 34 if len(series) > 1 else 10
    bar_h, gap = 16, 12
    row_h = bar_h * len(series) + gap
    height = top + row_h * max(len(categories), 1) + 10
    plot_w = width - left - right
    axis_top, _step = _nice_scale(_largest(series), whole=whole)
    parts = _open(chart_id, width, height, title, _describe(description, categories, series, fmt))
    if len(series) > 1:
        parts += _legend(series, left, 16)
    for index, category in enumerate(categories):
        row_y = top + row_h * index
        parts.append(
            f'<text x="{left - 8}" y="{_n(row_y + row_h / 2)}" text-anchor="end" fill="{TEXT}">'
            f"{escape(_shorten(category, label_chars))}</text>"
        )
        for s_index, s in enumerate(series):
            value = s.values[index]
            y = row_y + bar_h * s_index
            if value is None:
                parts.append(f'<text x="{left + 4}" y="{_n(y + bar_h - 4)}" fill="{MUTED}">–</text>')
                continue
            w = Decimal(plot_w) * max(value, ZERO) / axis_top
            colour = PALETTE[s_index % len(PALETTE)]
            parts.append(f'<rect x="{left}" y="{_n(y)}" width="{_n(w)}" height="{bar_h - 2}" fill="{colour}"/>')
            parts.append(
                f'<text x="{_n(left + w + 4)}" y="{_n(y + bar_h - 4)}" font-size="11" fill="{TEXT}">{escape(fmt(value))}</text>'
            )
    parts.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - 10}" stroke="{MUTED}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
