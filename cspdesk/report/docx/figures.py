"""The performance section of the Word appendix: the headlines, a table per priority and a
small chart per indicator (a picture with its text alternative), as the PDF prints them."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from cspdesk.core.figures.performance import PERFORMANCE_COLUMNS, Row
from cspdesk.report.docx.tables import Cell, heading, paragraph, place, table

HEADINGS = ("Indicator", *PERFORMANCE_COLUMNS)
SHARES = (0.27, 0.17, 0.09, 0.11, 0.1, 0.09, 0.17)
DIRECTION_FILL = {"better": "#CDEBD5", "worse": "#F6D0CC", "same": "#E8E8E8"}


def _row(row: Row) -> list[Cell]:
    name = [row.name + (f" ({row.action})" if row.action else "")]
    if row.source:
        name.append(f"Source: {row.source}")
    words = f"{row.direction.capitalize()}: {row.summary}" if row.direction else row.summary
    values = (row.period, row.value, row.previous, row.change, row.percent_change)
    return [
        Cell(name),
        *(Cell([v]) for v in values),
        Cell([words], fill=DIRECTION_FILL.get(row.direction, "")),
    ]


def performance_section(document: Any, rows: list[Row], width_cm: float = 26.7) -> None:
    from cspdesk.report.charts.figures import chart_words, has_chart, indicator_chart
    from cspdesk.report.charts.raster import to_png
    from cspdesk.report.docx import picture

    part = [heading("Performance", 1, new_page=True)]
    part += [paragraph(row.headline, "ListBullet") for row in rows if row.headline]
    widths = [width_cm * share for share in SHARES]
    for (_, priority), group in groupby(rows, key=lambda r: (r.priority_id, r.priority)):
        part += [heading(priority, 2), table(HEADINGS, widths, [_row(r) for r in group])]
    place(document, part)
    for row in rows:
        if has_chart(row):
            drawing = indicator_chart(row)
            picture(document, to_png(drawing), chart_words(row), drawing.width)
