"""The "Performance" sheet of the plan export, written with XlsxWriter (and the sheet writer
the "Funding" sheet shares).

Text goes in with ``write_string`` (never a formula). Figures are numbers, each with
the number format that prints it as the report does: 1833 but 13,058, 26.1%, +1.8 points,
+22.6%.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from cspdesk.core.figures.comparison import GROUP_FROM
from cspdesk.core.figures.performance import Row
from cspdesk.errors import CspdeskError
from cspdesk.io.cells import (
    CellTooLong,
    checked_text,
    looks_like_formula,
    row_points,
    wrapped_lines,
)
from cspdesk.io.xlsx_page import print_setup

PERFORMANCE_SHEET = "Performance"
CRIME_SHEET = "Police recorded crime"  # written by io.xlsx_crime

CELL: dict[str, Any] = {"valign": "top", "font_size": 10, "border": 1, "text_wrap": True}
HEADING = {**CELL, "bold": True, "bg_color": "#DCE6F0"}
DIRECTION_COLOURS = {"better": "#CDEBD5", "worse": "#F6D0CC", "same": "#E8E8E8"}
BETTER_WHEN = {"down": "lower", "up": "higher"}

# (heading, width in characters, wrapped): the wrapped ones decide the row's height.
PERFORMANCE_COLUMNS = (
    ("Priority", 26, True),
    ("Action", 26, True),
    ("Indicator", 30, True),
    ("Unit", 10, False),
    ("Source", 20, True),
    ("Better when", 9, False),
    ("Period", 22, True),
    ("This year", 10, False),
    ("Same period last year", 11, False),
    ("Change", 12, False),
    ("% change", 10, False),
    ("Better or worse", 10, False),
    ("Summary", 44, True),
    ("Baseline", 16, True),
    ("Target", 16, True),
)


def headline(row: Row) -> str:
    """The line seed 004 heads a figure with: "22.6% increase (38 crimes) in Burglary Dwelling";
    the indicator's name first when there is nothing to compare ("...: figure unavailable")."""
    return row.headline or f"{row.name}: {row.summary}"


def digits(number: Decimal, places: int | None = None) -> str:
    """The number format of ``number`` with its own decimal places (or ``places``), grouped
    with commas only from 10,000 as the report prints figures (1833, 13,058)."""
    if places is None:
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    whole = "#,##0" if abs(number) >= GROUP_FROM else "0"
    return whole + ("." + "0" * places if places else "")


def signed(body: str) -> str:
    """A format that prints "+28", "-5" and "0" as the report does."""
    return f"+{body};-{body};{body}"


class Formats:
    """XlsxWriter formats made once per workbook, keyed by their properties."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def __call__(self, properties: dict[str, Any]) -> Any:
        key = tuple(sorted(properties.items()))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._workbook.add_format(properties)
        return made


class SheetWriter:
    """One worksheet: text cells always as strings, numbers with their formats."""

    def __init__(self, workbook: Any, name: str, formats: Formats) -> None:
        self.sheet = workbook.add_worksheet(name)
        self.formats = formats

    def text(self, row: int, col: int, value: str, look: dict[str, Any] = CELL) -> None:
        if not value:
            self.sheet.write_blank(row, col, None, self.formats(look))
            return
        try:
            text = checked_text(value)
        except CellTooLong as error:
            raise CspdeskError(
                f"sheet {self.sheet.name!r}, row {row + 1}: {error}. Shorten that text and "
                "export again"
            ) from error
        if looks_like_formula(text):
            look = {**look, "quote_prefix": True}  # editing it in Excel keeps it text
        self.sheet.write_string(row, col, text, self.formats(look))

    def number(
        self, row: int, col: int, number: Decimal | None, fmt: str, look: dict[str, Any] = CELL
    ) -> None:
        if number is None:
            self.sheet.write_blank(row, col, None, self.formats(look))
            return
        look = {**look, "num_format": fmt, "text_wrap": False}
        self.sheet.write_number(row, col, float(number), self.formats(look))

    def headings(self, row: int, columns: Sequence[tuple[Any, ...]]) -> None:
        for col, (heading, width, *_) in enumerate(columns):
            self.sheet.set_column(col, col, width)
            self.text(row, col, heading, HEADING)
        lines = max(wrapped_lines(heading, width, bold=True) for heading, width, *_ in columns)
        self.sheet.set_row(row, row_points(lines))


def _performance_line(out: SheetWriter, r: int, row: Row) -> None:
    c = row.comparison
    texts = (
        row.priority,
        row.action,
        row.name,
        row.unit,
        row.source,
        BETTER_WHEN.get(row.better, row.better),
        row.period,
    )
    for col, text in enumerate(texts):
        out.text(r, col, text)
    rate_suffix = '"%"' if c.rate else ""
    for col, figure in ((7, c.value), (8, c.previous)):
        out.number(r, col, figure, digits(figure or Decimal(0)) + rate_suffix)
    difference = c.difference
    points = '" points"' if c.rate else ""
    out.number(r, 9, difference, signed(digits(difference or Decimal(0)) + points))
    percent = c.percent
    if percent is not None:
        # The rounded percentage as a fraction: the cell shows what the report prints.
        out.number(r, 10, percent / 100, signed(digits(percent, row.decimals) + "%"))
    else:
        out.text(r, 10, row.percent_change)  # "n/a" from a zero last year; blank for rates
    colour = DIRECTION_COLOURS.get(row.direction)
    out.text(r, 11, row.direction.capitalize(), {**CELL, "bg_color": colour} if colour else CELL)
    for col, text in ((12, headline(row)), (13, row.baseline), (14, row.target)):
        out.text(r, col, text)


def write_performance_sheet(
    workbook: Any, rows: Sequence[Row], *, title: str = PERFORMANCE_SHEET
) -> Any:
    """One line per indicator: the period, this year, last year, the change in number and in
    %, better or worse, and the summary line."""
    out = SheetWriter(workbook, title[:31], Formats(workbook))
    out.headings(0, PERFORMANCE_COLUMNS)
    for r, row in enumerate(rows, start=1):
        _performance_line(out, r, row)
        wrapped = (row.priority, row.action, row.name, row.source, row.period, headline(row),
                   row.baseline, row.target)  # fmt: skip
        widths = [width for _, width, wraps in PERFORMANCE_COLUMNS if wraps]
        lines = max(wrapped_lines(text, width) for text, width in zip(wrapped, widths, strict=True))
        out.sheet.set_row(r, row_points(lines))
    out.sheet.freeze_panes(1, 3)
    out.sheet.autofilter(0, 0, max(len(rows), 1), len(PERFORMANCE_COLUMNS) - 1)
    print_setup(out.sheet, 0)
    return out.sheet
