"""Server-rendered SVG charts for the PDFs (WeasyPrint draws SVG; no JavaScript).

Colour never carries meaning alone: every bar has its value written next to it
and the RAG status is spelled out in the tables.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

FONT = 'font-family="DejaVu Sans, Noto Sans, sans-serif"'
RAG_COLOURS = {"green": "#2e7d44", "amber": "#c98a00", "red": "#b3261e", None: "#9aa5a0"}
TARGET_COLOUR = "#c9d6cf"
ACTUAL_COLOUR = "#1f4e3d"


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _num(value) -> str:
    value = Decimal(value)
    return f"{value:,.0f}" if value == value.to_integral() else f"{value:,.1f}"


def percent_of_target(rows: list[tuple[str, Decimal | None, str | None]]) -> str:
    """Horizontal bars: each indicator's actual as % of its target (capped at 150 %),
    with the 100 % line. ``rows`` are (label, percent or None, rag)."""
    width, left, bar, gap = 640, 250, 16, 8
    height = 30 + len(rows) * (bar + gap)
    scale = (width - left - 60) / 150
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
    ]
    x100 = left + 100 * scale
    for i, (label, percent, rag) in enumerate(rows):
        y = 10 + i * (bar + gap)
        short = label if len(label) <= 42 else label[:40] + "…"
        parts.append(
            f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end" font-size="10" {FONT}>'
            f"{escape(short)}</text>"
        )
        if percent is None:
            parts.append(
                f'<text x="{left + 4}" y="{y + bar - 4}" font-size="10" fill="#555" {FONT}>—</text>'
            )
            continue
        length = float(min(max(percent, Decimal(0)), Decimal(150))) * scale
        parts.append(
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="{RAG_COLOURS.get(rag, RAG_COLOURS[None])}"/>'
        )
        parts.append(
            f'<text x="{left + length + 4:.1f}" y="{y + bar - 4}" font-size="10" {FONT}>'
            f"{_num(percent)} %</text>"
        )
    bottom = height - 14
    parts.append(
        f'<line x1="{x100:.1f}" y1="4" x2="{x100:.1f}" y2="{bottom}" stroke="#333" '
        'stroke-dasharray="4 3" stroke-width="1"/>'
    )
    parts.append(
        f'<text x="{x100:.1f}" y="{height - 2}" text-anchor="middle" font-size="9" {FONT}>'
        "100 %</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def target_vs_actual(
    title: str, points: list[tuple[str, Decimal | None, Decimal | None]], unit: str = ""
) -> str:
    """Grouped columns per quarter: target (light) and verified actual (dark), values
    written above the columns. ``points`` are (quarter label, target, actual)."""
    width, height, top, bottom, left = 300, 150, 28, 22, 10
    values = [v for _q, t, a in points for v in (t, a) if v is not None]
    peak = max(values, default=Decimal(1)) or Decimal(1)
    plot = height - top - bottom
    group = (width - left * 2) / max(len(points), 1)
    col = min(group / 3, 26)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f'<text x="{left}" y="12" font-size="10" font-weight="bold" {FONT}>'
        f"{escape(title[:55])}</text>",
        f'<text x="{left}" y="23" font-size="8" fill="#444" {FONT}>'
        f'<tspan fill="{TARGET_COLOUR}">■</tspan> {escape(_("target"))}  '
        f'<tspan fill="{ACTUAL_COLOUR}">■</tspan> {escape(_("actual (verified)"))}'
        f"{escape(' · ' + unit if unit else '')}"
        "</text>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        'stroke="#666" stroke-width="0.8"/>',
    ]
    for i, (quarter, target, actual) in enumerate(points):
        x = left + i * group + (group - 2 * col) / 2
        for offset, value, colour in ((0, target, TARGET_COLOUR), (col, actual, ACTUAL_COLOUR)):
            if value is None:
                continue
            h = float(value / peak) * (plot - 10)
            y = height - bottom - h
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{y:.1f}" width="{col - 2:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{x + offset + (col - 2) / 2:.1f}" y="{y - 2:.1f}" '
                f'text-anchor="middle" font-size="7" {FONT}>{_num(value)}</text>'
            )
        parts.append(
            f'<text x="{x + col:.1f}" y="{height - 8}" text-anchor="middle" font-size="9" '
            f"{FONT}>{escape(quarter)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
