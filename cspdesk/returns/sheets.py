"""Write one partner return workbook (cover, protected actions sheet, hidden stamp).

Written with XlsxWriter row by row (its classes in returns/writer.py): openpyxl's object
model took about 5 s for the 40 returns of a 10,000-action plan (benchmarks/bench_returns.py).
Every text goes in as a text cell, so nothing becomes a formula; text that starts like one
also gets Excel's quote prefix, so editing it in Excel keeps it text. Rows get heights from
their wrapped text (io/cells.py), and both visible sheets are set up to print: A4 landscape,
one page wide, the heading row repeated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cspdesk.core.plan.model import RagStatus
from cspdesk.errors import CspdeskError
from cspdesk.io.cells import (
    FONT_POINTS,
    LINE_POINTS,
    MAX_ROW_POINTS,
    CellTooLong,
    checked_text,
    looks_like_formula,
    wrapped_lines,
)
from cspdesk.io.xlsx_book import TOKEN_PROPERTY, column_letter
from cspdesk.returns.cells import EXCEL_EPOCH
from cspdesk.returns.cover import cover_lines
from cspdesk.returns.layout import (
    ACTIONS_SHEET,
    COLUMN_INDEX,
    COLUMNS,
    COVER_SHEET,
    DATE_FORMAT,
    FORMAT,
    MANIFEST_KEY,
    MILESTONE_MARK,
    PLAN_PARTS,
    STAMP_SHEET,
    VERSION,
    WORKSPACE_PROPERTY,
    digest,
    encode_manifest,
    row_id,
)
from cspdesk.returns.moved import plan_stamps
from cspdesk.returns.scope import ActionRow, Lead, PlanInfo
from cspdesk.returns.writer import CellEntry, return_sheet_class, return_workbook_class

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

INPUT_FILL = "#FFF8DC"
HEADER_FILL = "#DDE4EE"
NEW_WORK_BORDER = "#A6A6A6"
# Empty yellow rows under the actions for new work; the reader lists what is typed there as
# added rows for the officer to place. They keep the default height, so Excel and LibreOffice
# grow them as a partner types (neither grows a row whose height the file sets).
NEW_WORK_ROWS = 15
COVER_WIDTHS = (18.0, 100.0)
A4 = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}  # inches
PAGE_WIDTH = (297 / 25.4 - MARGINS["left"] - MARGINS["right"]) * 72  # A4 landscape, points
PAGE_HEIGHT = (210 / 25.4 - MARGINS["top"] - MARGINS["bottom"]) * 72
PAGE_SLACK_ROWS = 2
DIGIT_PIXELS = (7.0, 7.5, 8.0, 8.5, 9.0)  # a character's width in pixels, by font
# Measured CPU for the bench's 40 returns: 2.1 s assembling the zip in memory, 2.3-2.4 s
# with temporary files or streaming rows (constant_memory); the largest return is ~1 MB.
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

_CELL = {"text_wrap": True, "valign": "top"}
_INPUT = {**_CELL, "bg_color": INPUT_FILL, "locked": False}
LOOKS: dict[str, dict[str, Any]] = {
    "plain": _CELL,
    "bold": {**_CELL, "bold": True},
    "date": {**_CELL, "num_format": DATE_FORMAT},
    "input": _INPUT,
    "input_date": {**_INPUT, "num_format": DATE_FORMAT},
    "header": {**_CELL, "bold": True, "bg_color": HEADER_FILL},
    # The rows for new work are empty: borders show where each one is.
    "new": {**_INPUT, "border": 1, "border_color": NEW_WORK_BORDER},
    "new_date": {**_INPUT, "border": 1, "border_color": NEW_WORK_BORDER, "num_format": DATE_FORMAT},
    "cover_title": {"bold": True, "font_size": 14, "valign": "top"},
    "cover_subtitle": {"bold": True, "font_size": 12, "valign": "top"},
    "cover_heading": {"bold": True, "valign": "top"},
    "cover_label": {"valign": "top"},
    "cover_text": {"text_wrap": True, "valign": "top"},
    "cover_input": {**_INPUT, "border": 1, "border_color": NEW_WORK_BORDER},
}


@dataclass(frozen=True)
class Stamp:
    """Where a return belongs: workspace, plan, quarter, lead, and its own token."""

    plan: PlanInfo
    quarter: int
    lead: Lead
    token: str
    made_at: dt.datetime
    due: dt.date

    def values(self) -> dict[str, str]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "workspace": self.plan.workspace_uid,
            "partnership": self.plan.partnership,
            "plan_id": str(self.plan.id),
            "plan_year": self.plan.year,
            "quarter": str(self.quarter),
            "agency_id": "" if self.lead.agency_id is None else str(self.lead.agency_id),
            "lead": self.lead.name,
            "token": self.token,
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "due_date": self.due.isoformat(),
            "sheet": ACTIONS_SHEET,
        }

    @property
    def title(self) -> str:
        return f"{self.plan.year} Q{self.quarter} return – {self.lead.name}"


class Looks:
    """The workbook's cell formats by name, made once each (and once more with the quote
    prefix for text that starts like a formula)."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[bool, dict[str, Format]] = {False: {}, True: {}}  # by quote prefix
        self._looks = dict(LOOKS)
        self._fonts: dict[str, tuple[float, bool]] = {}

    def add(self, name: str, properties: dict[str, Any]) -> None:
        self._looks[name] = properties
        self._fonts.pop(name, None)
        for made in self._made.values():
            made.pop(name, None)

    def filled(self, name: str) -> bool:
        return "bg_color" in self._looks[name]

    def font(self, name: str) -> tuple[float, bool]:
        """(size in points, bold) of the look's text."""
        found = self._fonts.get(name)
        if found is None:
            properties = self._looks[name]
            found = properties.get("font_size", FONT_POINTS), bool(properties.get("bold"))
            self._fonts[name] = found
        return found

    def __call__(self, name: str, text: str | None = None) -> Format:
        quoted = text is not None and looks_like_formula(text)
        made = self._made[quoted].get(name)
        if made is None:
            properties = {**self._looks[name], **({"quote_prefix": True} if quoted else {})}
            made = self._made[quoted][name] = self._workbook.add_format(properties)
        return made


Cells = dict[int, tuple[object, str]]  # column -> (value, look)


def write_workbook(
    target: Path | str, stamp: Stamp, actions: list[ActionRow], scheme: list[RagStatus]
) -> None:
    """Write the return of ``stamp.lead`` for ``actions`` to ``target``."""
    from xlsxwriter.exceptions import FileCreateError

    workbook = return_workbook_class()(str(target), OPTIONS)
    try:
        looks = Looks(workbook)
        sheet = return_sheet_class()
        _cover(workbook.add_worksheet(COVER_SHEET, sheet), looks, stamp, len(actions), scheme)
        _actions(workbook.add_worksheet(ACTIONS_SHEET, sheet), looks, stamp, actions, scheme)
        _stamp(workbook.add_worksheet(STAMP_SHEET, sheet), stamp, actions)
        workbook.set_custom_property(TOKEN_PROPERTY, stamp.token, "text")
        workbook.set_custom_property(WORKSPACE_PROPERTY, stamp.plan.workspace_uid, "text")
        workbook.define_name(TOKEN_PROPERTY, f'="{stamp.token}"')
        workbook.set_properties({"title": stamp.title, "author": stamp.plan.partnership})
    except BaseException:
        with contextlib.suppress(Exception):
            workbook.close()
        raise
    try:
        workbook.close()
    except FileCreateError as error:
        raise OSError(str(error)) from error


@functools.lru_cache(maxsize=65536)  # the same titles and contexts recur in many returns
def _wrapped_lines(text: str, width: float, bold: bool) -> int:
    return wrapped_lines(text, width, bold=bold)


def _too_long(sheet: str, row: int, col: int, error: CellTooLong) -> CspdeskError:
    return CspdeskError(
        f"sheet {sheet!r}, row {row + 1}, column {column_letter(col)}: {error}; "
        "shorten that text and make the returns again"
    )


def _write_row(
    ws: Worksheet,
    looks: Looks,
    row: int,
    cells: Cells,
    widths: list[float],
    heights: dict[int, float] | None = None,
) -> int:
    """Write ``cells`` on ``row`` (0-based), the row as tall as its most wrapped text; the
    last row used. Text taller than Excel's tallest row (409 pt) is not cut: the item takes
    as many rows as its text needs, each column merged down them. ``heights``: each row's
    height in points is noted there (rows of one line are left out)."""
    written: list[CellEntry] = []
    height = LINE_POINTS
    for col, (value, look) in cells.items():
        if value is None:
            if looks.filled(look):  # an empty cell with no fill of its own need not be written
                written.append((col, None, looks(look)))
            continue
        if isinstance(value, dt.date):
            # A date cell is its day number with a date format; counting the days here is
            # much cheaper than write_datetime's general conversion.
            day = value.date() if isinstance(value, dt.datetime) else value
            written.append((col, (day - EXCEL_EPOCH).days, looks(look)))
            continue
        try:
            text = checked_text(value)
        except CellTooLong as error:
            raise _too_long(ws.name, row, col, error) from error
        written.append((col, text, looks(look, text)))
        size, bold = looks.font(look)
        if size == FONT_POINTS:
            if len(text) > widths[col] or "\n" in text:
                height = max(height, LINE_POINTS * _wrapped_lines(text, widths[col], bold))
        else:
            scale = size / FONT_POINTS  # larger text: fewer characters a line, taller lines
            lines = _wrapped_lines(text, widths[col] / scale, bold)
            height = max(height, LINE_POINTS * scale * lines)
    spill = 0
    if height > LINE_POINTS:
        spill = math.ceil(height / MAX_ROW_POINTS) - 1  # rows added below for the rest
        for number in range(row, row + spill + 1):
            ws.set_row(number, height / (spill + 1))
            if heights is not None:
                heights[number] = height / (spill + 1)
    if spill:
        texts = {col: value for col, value, _ in written if type(value) is str}
        for col in range(len(widths)):
            value, look = cells.get(col, (None, "plain"))
            ws.merge_range(row, col, row + spill, col, "", looks(look, texts.get(col)))
    if written:
        ws.put_cells(row, written)  # type: ignore[attr-defined]
    return row + spill


def _footer(stamp: Stamp) -> str:
    # "&" starts a header code; "&&" prints one. Excel allows 255 characters in all.
    return f"&L{stamp.title.replace('&', '&&')[:180]}&RPage &P of &N"


def _print_setup(ws: Worksheet, stamp: Stamp, last_row: int, last_col: int) -> None:
    ws.set_landscape()
    ws.set_paper(A4)
    ws.set_margins(**MARGINS)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_footer(_footer(stamp))


def _cover(ws: Worksheet, looks: Looks, stamp: Stamp, count: int, scheme: list[RagStatus]) -> None:
    lines = cover_lines(
        stamp.plan.partnership,
        stamp.plan.year,
        stamp.quarter,
        stamp.lead.name,
        stamp.due,
        count,
        stamp.token,
    )
    rows: list[Cells] = [
        {0: (label or None, "cover_label"), 1: (text or None, look)} for label, text, look in lines
    ]
    for status in scheme:
        name = f"rag_{status.code}"
        looks.add(
            name,
            {
                "bold": True,
                "valign": "top",
                "bg_color": status.colour,
                "font_color": status.text_colour,
            },
        )
        rows.append({0: (status.label, name), 1: (status.meaning or None, "cover_text")})
    for col, width in enumerate(COVER_WIDTHS):
        ws.set_column(col, col, width)
    for row, cells in enumerate(rows):
        _write_row(ws, looks, row, cells, list(COVER_WIDTHS))
    ws.hide_gridlines(2)
    ws.protect()
    _print_setup(ws, stamp, len(rows) - 1, len(COVER_WIDTHS) - 1)
    ws.fit_to_pages(1, 1)


def _actions(
    ws: Worksheet, looks: Looks, stamp: Stamp, actions: list[ActionRow], scheme: list[RagStatus]
) -> None:
    labels = {s.code: s.label for s in scheme}
    widths = [c.width for c in COLUMNS]
    col = COLUMN_INDEX
    for index, column in enumerate(COLUMNS):
        ws.set_column(index, index, column.width, None, {"hidden": column.key == "id"})
    heights: dict[int, float] = {}
    header: Cells = {i: (c.heading, "header") for i, c in enumerate(COLUMNS)}
    _write_row(ws, looks, 0, header, widths, heights)
    ws.freeze_panes(1, col["context"] + 1)
    agency_id = stamp.lead.agency_id
    row = 0
    for action in actions:
        row += 1
        shown_text, shown_rag = action.shown_to(agency_id)
        cells: Cells = {
            col["id"]: (row_id("action", action.id), "plain"),
            col["context"]: (f"{action.priority} › {action.objective}", "plain"),
            col["title"]: (action.title, "bold"),
            col["outcomes"]: (action.outcomes or None, "plain"),
            col["timescale"]: (action.timescale or None, "plain"),
            col["last"]: (action.last_update or None, "plain"),
            col["update"]: (shown_text or None, "input"),
            col["rag"]: (labels.get(shown_rag or ""), "input"),
        }
        row = _write_row(ws, looks, row, cells, widths, heights)
        for milestone in action.milestones:
            row += 1
            cells = {
                col["id"]: (row_id("milestone", milestone.id), "plain"),
                col["title"]: (MILESTONE_MARK + milestone.title, "plain"),
                col["timescale"]: (milestone.due_date, "date"),
                col["rag"]: (labels.get(milestone.rag or ""), "input"),
                col["done"]: (milestone.done_date, "input_date"),
            }
            row = _write_row(ws, looks, row, cells, widths, heights)
    last_action_row = max(row, 1)
    new_work: Cells = {
        i: (None, "new_date" if c.key == "done" else "new")
        for i, c in enumerate(COLUMNS)
        if c.key != "id"
    }
    for _ in range(NEW_WORK_ROWS):
        row += 1
        _write_row(ws, looks, row, new_work, widths)
    rag = col["rag"]
    choices = [s.label.replace(",", " ") for s in scheme]
    ws.data_validation(
        1,
        rag,
        last_action_row,
        rag,
        {
            "validate": "list",
            "source": choices,
            "ignore_blank": True,
            "show_error": True,
            "error_type": "warning",
            "error_title": "RAG status",
            "error_message": f"Please choose one of: {', '.join(choices)}",
        },
    )
    for status in scheme:
        name = f"marked_{status.code}"
        looks.add(name, {"bg_color": status.colour, "font_color": status.text_colour})
        ws.conditional_format(
            1,
            rag,
            row,
            rag,
            {
                "type": "cell",
                "criteria": "equal to",
                "value": '"' + status.label.replace('"', '""') + '"',  # a formula's string
                "format": looks(name),
            },
        )
    # Let partners widen columns and rows to read long text (no password is set).
    ws.protect("", {"format_columns": True, "format_rows": True})
    ws.repeat_rows(0)
    ws.hide_gridlines(0)  # print them too: the rows of a long return are hard to follow without
    _print_setup(ws, stamp, printed_rows(heights, last_action_row, row), len(COLUMNS) - 1)
    ws.fit_to_pages(1, 0)


def printed_rows(heights: dict[int, float], last_action: int, last: int) -> int:
    """The last row to print (0-based): every action's row, and the rows for new work that
    fit on the page of the last action, so that no page holds only the heading and empty
    rows. Pages are laid out as Excel and LibreOffice lay them out (whole rows, the heading
    repeated, the columns scaled to the page's width), for each width a font may give a
    character (7 pixels in Calibri or Carlito, up to 9 in a wider font put in their place):
    the rows printed fit with every one, a row or two in hand."""
    visible = [c.width for c in COLUMNS if c.key != "id"]
    room = last - last_action
    for pixels in DIGIT_PIXELS:
        width = sum(pixels * w + 5 for w in visible) * 0.75  # points (96 pixels an inch)
        page = PAGE_HEIGHT / min(1.0, PAGE_WIDTH / width) - heights.get(0, LINE_POINTS)
        used = 0.0
        for number in range(1, last_action + 1):
            height = heights.get(number, LINE_POINTS)
            if used and used + height > page:
                used = 0.0  # a new page
            used += height
        room = min(room, int((page - used) // LINE_POINTS) - PAGE_SLACK_ROWS)
    return last_action + max(room, 0)


_ID = operator.attrgetter("id")


def manifest_of(actions: list[ActionRow], agency_id: int | None) -> dict[str, Any]:
    """Every row the return holds and the values it shows (to tell who changed what)."""
    shown = {a.id: a.shown_to(agency_id) for a in actions}
    manifest: dict[str, Any] = {
        "a": {str(a.id): [digest(shown[a.id][0]), shown[a.id][1]] for a in actions},
        "m": {
            str(m.id): [m.done_date.isoformat() if m.done_date else None, m.rag]
            for a in actions
            for m in a.milestones
        },
    }
    # The plan's text each row shows, so an officer's edit since is not the partner's: one
    # digest for each row listed above, in the order of their ids.
    rows = sorted(actions, key=_ID)
    milestones = sorted([m for a in actions for m in a.milestones], key=_ID)
    if len(rows) != len(manifest["a"]) or len(milestones) != len(manifest["m"]):
        rows = list({a.id: a for a in rows}.values())  # a row given twice is listed once
        milestones = list({m.id: m for m in milestones}.values())
    stamps = plan_stamps(rows, milestones)
    manifest[PLAN_PARTS["action"]], manifest[PLAN_PARTS["milestone"]] = stamps
    return manifest


def _stamp(ws: Worksheet, stamp: Stamp, actions: list[ActionRow]) -> None:
    pairs = list(stamp.values().items())
    pairs += [
        (MANIFEST_KEY, c) for c in encode_manifest(manifest_of(actions, stamp.lead.agency_id))
    ]
    for row, (key, value) in enumerate(pairs):
        ws.write_string(row, 0, key)
        try:
            ws.write_string(row, 1, checked_text(value))
        except CellTooLong as error:
            raise _too_long(ws.name, row, 1, error) from error
    ws.very_hidden()
    ws.protect()
