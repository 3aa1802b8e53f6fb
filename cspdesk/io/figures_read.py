"""Import of performance figures from a workbook laid out as police performance summaries are:
a row per category (crime type, ASB, solved rate), a column per period, usually the period and
the same period last year side by side, often with change columns (which we recompute).

Three steps, like the plan import: ``read_figures`` here (the file alone, through io.gate),
then io.figures_import's ``preview_figures`` (against a plan) and ``apply_figures``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from cspdesk.core.figures.comparison import parse_figure
from cspdesk.io.gate import ImportRefused, open_workbook
from cspdesk.io.period_headers import Period, heading_kind, parse_period
from cspdesk.io.xlsx_fast import reader_failures

HEADER_SCAN_ROWS = 30
# Far above any count or rate a partnership reports, and within what Decimal handles exactly.
MAX_FIGURE = Decimal(10) ** 12
MAX_PRINTED_DECIMALS = 3  # the finest % change the performance table prints
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def describe(self) -> str:
        where = [f"sheet {self.sheet!r}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class ReadValue:
    period: Period
    value: Decimal | None
    previous: Decimal | None
    row: int
    column: str


@dataclass(frozen=True)
class ReadRow:
    name: str
    row: int
    rate: bool
    values: tuple[ReadValue, ...]
    decimals: int | None = None  # as the sheet's own % change column prints it


@dataclass(frozen=True)
class ReadSheet:
    path: Path
    sheet: str
    category_heading: str
    source: str
    rows: tuple[ReadRow, ...]
    problems: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]


@dataclass(frozen=True)
class _Column:
    index: int
    heading: str
    period: Period | None
    previous_of: int | None = None  # the column this one is last year's figure for
    difference: bool = False  # holds this year less last year, not last year's figure


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _find_header(rows: list[tuple[Any, ...]]) -> int | None:
    """The heading row: a plain heading (the categories') left of period or figure headings,
    or at least two such headings."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        kinds = [(i, heading_kind(_text(v))) for i, v in enumerate(row) if _text(v)]
        valued = [i for i, kind in kinds if kind in ("period", "previous", "current")]
        plain = [i for i, kind in kinds if kind is None]
        if valued and (len(valued) >= 2 or (plain and plain[0] < valued[0])):
            return index
    return None


def _columns(
    header: list[str], title_period: Period | None, first: int
) -> tuple[list[_Column], list[str]]:
    """The value columns, each with its period and, for last year's, the column it pairs with.

    A "difference" column ("No. change") is read as last year's figure too, as the figure
    less the difference: seed 003's table gives only the total and the change.
    """
    columns: list[_Column] = []
    ignored: list[str] = []
    for index, heading in enumerate(header):
        if index <= first or not heading:
            continue
        kind = heading_kind(heading)
        current = next((c for c in reversed(columns) if c.previous_of is None), None)
        if kind == "period":
            columns.append(_Column(index, heading, parse_period(heading)))
        elif kind in ("previous", "difference") and current is not None:
            base = current.period
            columns.append(
                _Column(
                    index,
                    heading,
                    base.shifted(-1) if base else None,
                    current.index,
                    kind == "difference",
                )
            )
        elif kind == "current":
            columns.append(_Column(index, heading, title_period))
        else:
            ignored.append(heading)
    # Two dated columns a year apart: the earlier is last year's figure for the later.
    by_period = {c.period: c for c in columns if c.period is not None and c.previous_of is None}
    paired: list[_Column] = []
    for column in columns:
        if column.previous_of is None and column.period is not None:
            later = by_period.get(column.period.shifted(1))
            if later is not None:
                column = _Column(column.index, column.heading, column.period, later.index)
        paired.append(column)
    return paired, ignored


class FigureOutOfRange(ValueError):
    """A number no crime or performance figure can be (1e308, 400 digits)."""


def _number(cell_value: Any, number_format: str) -> tuple[Decimal | None, bool]:
    """(exact figure, is a percentage) of a cell; ValueError if it is not a figure."""
    if isinstance(cell_value, int | float) and not isinstance(cell_value, bool):
        number = _in_range(Decimal(str(cell_value)))
        if "%" in (number_format or ""):
            return _tidy(number * 100), True
        return _tidy(number), False
    text = _text(cell_value)
    figure = parse_figure(text)
    return (None if figure is None else _in_range(figure)), text.endswith("%")


def _in_range(number: Decimal) -> Decimal:
    if not number.is_finite() or abs(number) >= MAX_FIGURE:
        raise FigureOutOfRange(f"{number:.3g} is too large to be a figure")
    return number


def _places_printed(cell_value: Any, number_format: str) -> int | None:
    """Decimal places of a printed % change ("+8.7%", or 0.087 formatted "0.0%")."""
    if isinstance(cell_value, int | float) and not isinstance(cell_value, bool):
        match = re.search(r"0\.(0+)%", number_format or "")
        if match:
            return len(match.group(1))
        if "%" in (number_format or ""):
            return 0
        try:
            number = _in_range(Decimal(str(cell_value)))
        except ValueError:
            return None
        exponent = _tidy(number * 100).as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else None
    match = re.fullmatch(r"[-+−]?\s*\d+(?:\.(\d+))?\s*%", _text(cell_value))
    if match is None:
        return None
    return len(match.group(1) or "")


def _tidy(number: Decimal) -> Decimal:
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def read_figures(
    path: Path | str, *, sheet_name: str | None = None, progress: Progress | None = None
) -> ReadSheet:
    """Read the first sheet with a performance table (or ``sheet_name``) of a gated workbook."""
    path = Path(path)
    workbook = open_workbook(path, read_only=False)
    try:
        sheets = [workbook[sheet_name]] if sheet_name else workbook.worksheets
    except KeyError as error:
        raise ImportRefused(path, f"there is no sheet {sheet_name!r}") from error
    for sheet in sheets:
        with reader_failures(path, sheet=sheet.title):
            grid = [tuple(c.value for c in row) for row in sheet.iter_rows()]
        formats = [tuple(_format(path, sheet.title, c) for c in row) for row in sheet.iter_rows()]
        header_index = _find_header(grid)
        if header_index is not None:
            return _read_sheet(path, sheet.title, grid, formats, header_index, progress)
    where = f"sheet {sheet_name!r}" if sheet_name else "any sheet"
    raise ImportRefused(
        path,
        f"no table of figures found in {where}: expected a heading row with periods such as "
        "'1 Apr – 31 Dec 2013' or 'Same period last year' above a row per category",
    )


def _format(path: Path, sheet: str, cell: Any) -> str:
    """A cell's number format; refused, naming the cell, when its style points at a format
    the workbook never declares (whether the figure is a percentage cannot be told)."""
    try:
        number_format = cell.number_format
        # openpyxl reads a format id below 0 as "General": its style array is the one place
        # that still says what the file wrote.
        if getattr(getattr(cell, "_style", None), "numFmtId", 0) < 0:
            raise IndexError("a negative number format id")
        return str(number_format)
    except (IndexError, KeyError, TypeError) as error:
        raise ImportRefused(
            path,
            "the cell's number format is missing from the workbook, so whether it holds a "
            "percentage cannot be told; open the file in Excel, save it again and retry",
            sheet=sheet,
            row=cell.row,
            column=cell.column_letter,
        ) from error


def _read_sheet(
    path: Path,
    sheet: str,
    grid: list[tuple[Any, ...]],
    formats: list[tuple[str, ...]],
    header_index: int,
    progress: Progress | None,
) -> ReadSheet:
    header = [_text(v) for v in grid[header_index]]
    first = next((i for i, t in enumerate(header) if t and heading_kind(t) is None), 0)
    above = [_text(v) for row in grid[:header_index] for v in row if _text(v)]
    title_period = next((p for t in above if (p := parse_period(t)) is not None), None)
    source = next(
        (
            re.sub(r"^source\s*:?\s*", "", t, flags=re.I)
            for t in above
            if t.lower().startswith("source")
        ),
        "",
    )
    columns, ignored = _columns(header, title_period, first)
    percent_columns = [
        i
        for i, h in enumerate(header)
        if i > first and heading_kind(h) == "computed" and ("%" in h or "cent" in h.lower())
    ]
    problems: list[Problem] = []
    for column in columns:
        if column.period is None:
            problems.append(
                Problem(
                    sheet,
                    header_index + 1,
                    get_column_letter(column.index + 1),
                    f"the heading {column.heading!r} names no period, and none is "
                    "given above the table; write the dates in the heading",
                )
            )
    rows: list[ReadRow] = []
    total = len(grid) - header_index - 1
    for offset, line in enumerate(grid[header_index + 1 :], start=1):
        if progress is not None and offset % 50 == 0:
            progress(offset, total)
        excel_row = header_index + 1 + offset
        name = _text(line[first] if first < len(line) else None)
        if not name:
            continue
        numbers: dict[int, Decimal | None] = {}
        rate = "rate" in name.lower() or "%" in name
        for column in columns:
            raw = line[column.index] if column.index < len(line) else None
            try:
                number, percent = _number(
                    raw,
                    formats[header_index + offset][column.index]
                    if column.index < len(formats[header_index + offset])
                    else "",
                )
            except ValueError as error:
                why = (
                    str(error)
                    if isinstance(error, FigureOutOfRange)
                    else (f"{_text(raw)!r} is not a figure")
                )
                problems.append(
                    Problem(
                        sheet,
                        excel_row,
                        get_column_letter(column.index + 1),
                        f"{why} (for {name!r})",
                    )
                )
                continue
            numbers[column.index] = number
            rate = rate or percent
        blank = all(_text(line[c.index] if c.index < len(line) else None) == "" for c in columns)
        if blank:
            continue  # a section heading; "n/a" in the cells is a figure unavailable
        values = tuple(
            ReadValue(
                column.period,
                numbers.get(column.index),
                _last_year(columns, numbers, column.index),
                excel_row,
                get_column_letter(column.index + 1),
            )
            for column in columns
            if column.previous_of is None and column.period is not None
        )
        line_formats = formats[header_index + offset]
        printed = [
            _places_printed(line[i], line_formats[i]) for i in percent_columns if i < len(line)
        ]
        decimals = max((d for d in printed if d is not None), default=None)
        if decimals is not None:  # a raw fraction (0.009531374106433678) prints no finer
            decimals = min(decimals, MAX_PRINTED_DECIMALS)
        rows.append(ReadRow(name, excel_row, rate, values, decimals))
    seen: dict[str, int] = {}
    for row in rows:
        key = normalise(row.name)
        if key in seen:
            problems.append(
                Problem(
                    sheet,
                    row.row,
                    get_column_letter(first + 1),
                    f"{row.name!r} appears twice (first in row {seen[key]})",
                )
            )
        seen.setdefault(key, row.row)
    if not rows and not problems:
        problems.append(Problem(sheet, header_index + 2, None, "no figures under the headings"))
    return ReadSheet(
        path, sheet, header[first], source, tuple(rows), tuple(problems), tuple(ignored)
    )


def _last_year(
    columns: list[_Column], numbers: dict[int, Decimal | None], index: int
) -> Decimal | None:
    for column in columns:
        if column.previous_of == index:
            number = numbers.get(column.index)
            if not column.difference:
                return number
            current = numbers.get(index)
            return None if number is None or current is None else current - number
    return None


def normalise(name: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", name.casefold()).strip()
