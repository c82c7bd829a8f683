"""Charts drawn on the server as inline SVG: no script, readable by screen readers, printable.

Each chart is an <svg role="img" aria-labelledby="…"> with a <title> and a <desc> (what it shows and the
largest values in words), and carries its data as a table (columns and rows of already formatted text)
that the page shows under it: the table is the chart's text alternative, and the numbers to quote.

Colour is never the only cue: series also differ by pattern (bars) or by dash and marker (lines), the
legend names them, and every bar is labelled with its value. The colours have at least 3:1 contrast
against white (WCAG 1.4.11).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PALETTE = ("#1d4f91", "#00703c", "#7a4100", "#5b2c83", "#b3261e", "#0f6b75", "#8a3b63", "#4a5568")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
WIDTH = 640
FONT = 13
LABEL_WIDTH = 180


@dataclass
class Series:
    name: str
    values: list[float]


@dataclass
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    empty: bool = False


def number(value: float | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _text_width(text: str) -> float:
    """Rough rendered width at FONT px: wide (Hangul, CJK) characters are about one em, others half."""
    return sum(FONT if ord(ch) >= 0x1100 else FONT * 0.58 for ch in text)


def _fit(text: str, width: float) -> str:
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exponent >= value:
            return step * exponent
    return 10 * exponent


def _nice_step(value: float) -> float:
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * exponent >= value:
            return max(step * exponent, 1)  # counts: never a fractional step
    return 10 * exponent


def _svg(chart_id: str, title: str, description: str, height: float, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
        f'preserveAspectRatio="xMinYMin meet" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text above is escaped


def _patterns(chart_id: str, count: int) -> list[str]:
    """Fills per series: solid for the first, then hatched, so print and colour-blind readers can tell."""
    defs = ["<defs>"]
    for index in range(1, count):
        color = PALETTE[index % len(PALETTE)]
        angle = (45, -45, 0, 90)[(index - 1) % 4]
        defs.append(
            f'<pattern id="{chart_id}-p{index}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate({angle})"><rect width="6" height="6" fill="{color}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>'
        )
    defs.append("</defs>")
    return defs


def _fill(chart_id: str, index: int) -> str:
    return PALETTE[0] if index == 0 else f"url(#{chart_id}-p{index})"


def _dash(index: int) -> str:
    dash = DASHES[index % len(DASHES)]
    return f' stroke-dasharray="{dash}"' if dash else ""


def _legend(chart_id: str, names: Sequence[str], y: float, *, lines: bool = False) -> tuple[list[str], float]:
    body, x = [], 0.0
    for index, name in enumerate(names):
        width = 28 + _text_width(name) + 16
        if x and x + width > WIDTH:
            x, y = 0.0, y + 22
        color = PALETTE[index % len(PALETTE)]
        if lines:
            body.append(
                f'<line x1="{x:.0f}" y1="{y + 8}" x2="{x + 20:.0f}" y2="{y + 8}" stroke="{color}" '
                f'stroke-width="3"{_dash(index)}/>'
            )
        else:
            body.append(
                f'<rect x="{x:.0f}" y="{y + 1}" width="16" height="14" fill="{_fill(chart_id, index)}" '
                f'stroke="{color}"/>'
            )
        body.append(
            f'<text x="{x + 24:.0f}" y="{y + 13}" font-size="{FONT}" fill="#0b1f3a">{escape(name)}</text>'
        )
        x += width
    return body, y + 26


def _describe(title: str, categories: Sequence[str], series: Sequence[Series], fmt, *, add_up: bool) -> str:
    """A sentence for <desc>: what is compared and the largest values (of the totals when the series add
    up, as stacked parts do; else of the first series, as side-by-side measures do not)."""
    if not categories or not any(any(s.values) for s in series):
        return _("%(title)s: no data for this period.") % {"title": title}
    if add_up or len(series) == 1:
        values, measure = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))], ""
    else:
        values, measure = [v or 0 for v in series[0].values], f" ({series[0].name})"
    ranked = sorted(range(len(categories)), key=lambda i: -values[i])[:3]
    top = ", ".join(f"{categories[i]} {fmt(values[i])}" for i in ranked)
    return _("%(title)s, %(count)d rows. Largest%(measure)s: %(top)s. The table below gives every value.") % {
        "title": title,
        "count": len(categories),
        "measure": measure,
        "top": top,
    }


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    category_header: str = "",
    stacked: bool = False,
    fmt: Callable[[float | None], str] = number,
    max_value: float | None = None,
    description: str = "",
) -> Chart:
    """Horizontal bars, one row per category; several series are grouped (side by side) or stacked."""
    series = list(series)
    bar_area = WIDTH - LABEL_WIDTH - 70
    bar_height = 18 if stacked or len(series) == 1 else 12
    row_height = (bar_height if stacked else bar_height * len(series)) + 10
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    values = totals if stacked else [v or 0 for s in series for v in s.values]
    peak = max_value or _nice_max(max(values, default=0))
    body = _patterns(chart_id, len(series))
    y = 4.0
    if len(series) > 1:
        legend, y = _legend(chart_id, [s.name for s in series], y)
        body += legend
    top = y
    for row, category in enumerate(categories):
        row_y = top + row * row_height
        body.append(f"<g><title>{escape(category)}</title>")
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{row_y + (row_height - 10) / 2 + 5:.1f}" text-anchor="end" '
            f'font-size="{FONT}" fill="#0b1f3a">{escape(_fit(category, LABEL_WIDTH - 12))}</text>'
        )
        x = float(LABEL_WIDTH)
        for index, s in enumerate(series):
            value = s.values[row] or 0
            width = bar_area * min(value, peak) / peak if peak else 0
            bar_y = row_y if stacked else row_y + index * bar_height
            if width > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{width:.1f}" height="{bar_height - 2}" '
                    f'fill="{_fill(chart_id, index)}" stroke="{PALETTE[index % len(PALETTE)]}" '
                    f'stroke-width="0.5"/>'
                )
            if stacked:
                x += width
            else:
                body.append(
                    f'<text x="{LABEL_WIDTH + width + 4:.1f}" y="{bar_y + bar_height - 3:.1f}" '
                    f'font-size="{FONT - 1}" fill="#0b1f3a">{escape(fmt(s.values[row]))}</text>'
                )
        if stacked:
            body.append(
                f'<text x="{x + 4:.1f}" y="{row_y + bar_height - 3:.1f}" font-size="{FONT - 1}" '
                f'fill="#0b1f3a">{escape(fmt(totals[row]))}</text>'
            )
        body.append("</g>")
    height = top + max(len(categories), 1) * row_height + 4
    body.append(
        f'<line x1="{LABEL_WIDTH}" y1="{top - 2}" x2="{LABEL_WIDTH}" y2="{height - 4}" stroke="#4a5568"/>'
    )
    empty = not categories or not any(any(v for v in s.values) for s in series)
    description = description or _describe(title, categories, series, fmt, add_up=stacked)
    columns = [category_header] + [s.name for s in series] + ([_("Total")] if stacked else [])
    rows = [
        [category] + [fmt(s.values[i]) for s in series] + ([fmt(totals[i])] if stacked else [])
        for i, category in enumerate(categories)
    ]
    return Chart(
        chart_id, title, description, _svg(chart_id, title, description, height, body), columns, rows, empty
    )


def line_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    category_header: str = "",
    fmt: Callable[[float | None], str] = number,
    description: str = "",
) -> Chart:
    """Lines over ordered categories (months), one per series, with a value axis from zero.

    A line needs two points: a period within one month would draw two lone dots that read as nothing,
    so a single category is drawn as grouped bars instead (the same data table goes with it)."""
    if len(categories) < 2:
        return bar_chart(
            chart_id,
            title,
            categories,
            series,
            category_header=category_header,
            fmt=fmt,
            description=description,
        )
    series = list(series)
    body: list[str] = []
    y = 4.0
    if len(series) > 1:
        legend, y = _legend(chart_id, [s.name for s in series], y, lines=True)
        body += legend
    left, right, plot_top, plot_height = 56.0, WIDTH - 16.0, y + 6, 180.0
    bottom = plot_top + plot_height
    # Four equal steps of a round size (1, 2 or 5 × 10ⁿ), so the axis labels are round numbers.
    step = _nice_step(max([v or 0 for s in series for v in s.values] or [0]) / 4)
    peak = step * 4
    for tick in range(5):
        value = peak * tick / 4
        tick_y = bottom - plot_height * tick / 4
        body.append(
            f'<line x1="{left}" y1="{tick_y:.1f}" x2="{right}" y2="{tick_y:.1f}" '
            f'stroke="{"#4a5568" if tick == 0 else "#d5dae1"}"/>'
            f'<text x="{left - 6}" y="{tick_y + 4:.1f}" text-anchor="end" font-size="{FONT - 1}" '
            f'fill="#0b1f3a">{escape(fmt(value))}</text>'
        )
    count = len(categories)
    step = (right - left) / max(count, 1)
    widest = max((_text_width(c) for c in categories), default=0) + 12
    label_every = max(1, math.ceil(count * widest / (right - left)))

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    for i, category in enumerate(categories):
        if i % label_every == 0:
            body.append(
                f'<text x="{x_of(i):.1f}" y="{bottom + 18:.1f}" text-anchor="middle" font-size="{FONT - 1}" '
                f'fill="#0b1f3a">{escape(category)}</text>'
            )
    for index, s in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        points = [(x_of(i), bottom - plot_height * (v or 0) / peak) for i, v in enumerate(s.values)]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"{_dash(index)}/>'
            )
        for i, (px, py) in enumerate(points):
            label = escape(f"{s.name}, {categories[i]}: {fmt(s.values[i])}")
            if index % 2:
                marker = f'<rect x="{px - 4:.1f}" y="{py - 4:.1f}" width="8" height="8" fill="{color}"/>'
            else:
                marker = f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{color}"/>'
            body.append(f"<g><title>{label}</title>{marker}</g>")
    height = bottom + 28
    empty = not categories or not any(any(v for v in s.values) for s in series)
    description = description or _describe(title, categories, series, fmt, add_up=False)
    columns = [category_header] + [s.name for s in series]
    rows = [[category] + [fmt(s.values[i]) for s in series] for i, category in enumerate(categories)]
    return Chart(
        chart_id, title, description, _svg(chart_id, title, description, height, body), columns, rows, empty
    )
