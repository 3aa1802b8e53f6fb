"""The performance section of the Word appendix: the headlines, a table per priority and a
small chart per indicator, as the PDF prints them."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from cspdesk.core.figures.performance import PERFORMANCE_COLUMNS, Row
from cspdesk.report.docx.tables import add_row, new_table, shade, write_lines

HEADINGS = ("Indicator", *PERFORMANCE_COLUMNS)
SHARES = (0.27, 0.17, 0.09, 0.11, 0.1, 0.09, 0.17)
DIRECTION_FILL = {"better": "#CDEBD5", "worse": "#F6D0CC", "same": "#E8E8E8"}


def performance_section(document: Any, rows: list[Row], width_cm: float = 26.7) -> None:
    from cspdesk.report.charts.figures import chart_words, has_chart, indicator_chart
    from cspdesk.report.charts.raster import to_png
    from cspdesk.report.docx import picture

    document.add_heading("Performance", level=1)
    for row in rows:
        if row.headline:
            document.add_paragraph(row.headline, style="List Bullet")
    widths = [width_cm * share for share in SHARES]
    for (_, priority), group in groupby(rows, key=lambda r: (r.priority_id, r.priority)):
        document.add_heading(priority, level=2)
        table = new_table(document, HEADINGS, widths)
        for row in group:
            cells = add_row(table, widths)
            name = [row.name + (f" ({row.action})" if row.action else "")]
            if row.source:
                name.append(f"Source: {row.source}")
            words = row.summary if not row.direction else f"{row.direction.capitalize()}: "
            words += row.summary if row.direction else ""
            values = (row.period, row.value, row.previous, row.change, row.percent_change)
            write_lines(cells[0], name)
            for cell, value in zip(cells[1:6], values, strict=True):
                write_lines(cell, [value])
            write_lines(cells[6], [words])
            if row.direction in DIRECTION_FILL:
                shade(cells[6], DIRECTION_FILL[row.direction])
    for row in rows:
        if has_chart(row):
            drawing = indicator_chart(row)
            picture(document, to_png(drawing), chart_words(row), drawing.width)
