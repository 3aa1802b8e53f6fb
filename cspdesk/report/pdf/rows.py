"""The appendix's table rows: the report model's actions as wrapped cells in RowsBlocks."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from cspdesk.report.model import (
    DIRECTION_WORDS,
    LEADS_COLUMN,
    OUTCOMES_COLUMN,
    ReportAction,
    ReportModel,
    ReportObjective,
    ReportSection,
    readable_text_colour,
)
from cspdesk.report.pdf.blocks import (
    BOLD,
    FONT,
    HPAD,
    LEADING,
    PAD,
    Cell,
    RagMark,
    RowsBlock,
    Span,
    direction_width,
    text_cell,
    wrap_lines,
)

# Each objective-layout column's share of the width (shared out again when one is left out).
OBJECTIVE_WIDTHS = {
    "Strategic Objective": 0.145,
    "Actions": 0.205,
    OUTCOMES_COLUMN: 0.175,
    LEADS_COLUMN: 0.14,
    "Timescales / Updates": 0.255,
    "RAG": 0.08,
}
MILESTONE_COLUMNS = (
    ("Key Milestones", 0.40),
    ("RAG", 0.08),
    ("Outcomes & Outputs", 0.44),
    ("RAG", 0.08),
)
NO_UPDATE = "No update this quarter."


def _widths(columns: tuple[tuple[str, float], ...], total: float) -> list[float]:
    return _rag_fitted([fraction * total for _, fraction in columns], [n for n, _ in columns])


@functools.cache
def rag_min_width() -> float:
    """A RAG column's width that holds the widest direction of travel ("▶ No change") on one
    line: in large print its share of the page is narrower than that."""
    return max(map(direction_width, DIRECTION_WORDS.values())) + 2 * HPAD


def _rag_fitted(widths: list[float], names: Sequence[str]) -> list[float]:
    """The columns' ``widths`` with each RAG column at least ``rag_min_width``, the others
    narrowed to keep the total."""
    least = rag_min_width()
    rag = [name == "RAG" for name in names]
    grown = sum(least - w for w, is_rag in zip(widths, rag, strict=True) if is_rag and w < least)
    if grown <= 0:
        return widths
    others = sum(w for w, is_rag in zip(widths, rag, strict=True) if not is_rag)
    scale = (others - grown) / others
    return [max(w, least) if is_rag else w * scale for w, is_rag in zip(widths, rag, strict=True)]


@functools.lru_cache(maxsize=256)  # a few labels, asked for on every RAG cell
def _label_lines(label: str, width: float, font: str) -> tuple[str, ...]:
    return tuple(wrap_lines(label, width - 2 * HPAD, font))


def rag_cell(
    model: ReportModel,
    code: str | None,
    direction: str | None = None,
    label: str = "",
    width: float = 0,
) -> Cell:
    """The RAG as colour and label text ("Green (Q2)" when carried: ``label``), with the
    direction of travel when known; the label wrapped to the column's ``width``."""
    key = model.rag(code)
    label = label or model.rag_label(code)
    word = DIRECTION_WORDS.get(direction or "", "")
    font = BOLD  # the label's, as in the HTML's chip
    label_lines = list(_label_lines(label, width, font)) if width else [label]
    lines = label_lines + ([word] if word else [])
    fonts = ((0, font), (len(label_lines), FONT)) if word else ((0, font),)
    if key is None:  # "Not rated": no colour, so no mark; the direction word as text
        return Cell(lines, fonts=fonts, min_lines=len(lines))
    ink = readable_text_colour(key.colour, key.text_colour)
    mark = RagMark(label_lines, font, ink, direction, word) if word else None
    return Cell(
        lines,
        fill=key.colour,
        text_colour=ink,
        fonts=fonts,
        min_lines=len(lines),
        mark=mark,
    )


def _text(text: str, width: float) -> list[str]:
    """``text`` wrapped to a column ``width`` wide in the regular font, a Cell's default (any
    other font: ``text_cell``, which gives the Cell the font it wrapped in)."""
    return wrap_lines(text, width - 2 * HPAD, FONT) if text else []


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


MIN_TAIL = 4  # lines: a row's last piece is never shorter, so no page holds a scrap of it


def piece_starts(
    most: int, first: int, later: int, keep: Sequence[tuple[int, int]] = ()
) -> list[int]:
    """Where each piece of a row ``most`` lines tall starts: ``first`` lines in the first piece,
    ``later`` in the others; never inside a ``keep`` range (a milestone with its status), and
    the last piece at least ``MIN_TAIL`` lines."""
    starts = [0]
    step = first
    while starts[-1] + step < most:
        stop = starts[-1] + step
        if most - stop < MIN_TAIL:  # widow: the last piece takes lines from the one before
            stop = max(most - MIN_TAIL, starts[-1] + 1)
        stop = next((a for a, b in keep if a < stop < b and a > starts[-1]), stop)
        starts.append(stop)
        step = later
    return starts


def chunk_rows(
    row: list[Cell | None],
    max_height: float,
    continued: Callable[[], dict[int, Cell]] | None = None,
    keep: Sequence[tuple[int, int]] = (),
) -> list[list[Cell | None]]:
    """One row, or several when it is taller than a page (each cell's lines shared out).

    The first piece is half a page, so it can start under a heading or other rows instead of
    leaving the rest of the page empty; the others are a page each. Each later piece starts
    with the lines ``continued()`` gives for its column ("Action 3: … (continued)") and
    repeats the RAG; no piece ends inside a ``keep`` range of lines (a milestone with its
    status), and the last piece holds at least ``MIN_TAIL`` lines."""
    per_row = max(int((max_height - 2 * PAD) // LEADING), 1)
    most = max((len(c.lines) for c in row if c is not None and c.mark is None), default=0)
    if most <= per_row:
        return [row]
    heads = continued() if continued is not None else {}
    head = max((len(cell.lines) for cell in heads.values()), default=0)
    starts = piece_starts(most, max(per_row // 2, 1), max(per_row - head, 2), keep)
    parts: list[list[Cell | None]] = []
    for start, stop in zip(starts, [*starts[1:], most], strict=True):
        part: list[Cell | None] = []
        for column, cell in enumerate(row):
            if cell is None:
                part.append(None)
            elif cell.mark is not None or cell.fill:  # the RAG: on every piece
                part.append(cell)
            else:
                part.append(cell.part(start, stop, heads.get(column) if start else None))
        parts.append(part)
    return parts


def _milestone_lines(
    model: ReportModel, action: ReportAction, width: float, first: int
) -> tuple[list[str], list[tuple[int, int]]]:
    """The milestones as bullets, and each bullet's range of lines (counted from ``first``):
    a milestone's status is never parted from it by a page break."""
    lines: list[str] = []
    keep: list[tuple[int, int]] = []
    for milestone in action.milestones:
        when = milestone.when
        bits = [milestone.title, when, model.rag_label(milestone.rag) if milestone.rag else ""]
        bullet = _text("• " + " – ".join(b for b in bits if b), width)
        keep.append((first + len(lines), first + len(lines) + len(bullet)))
        lines += bullet
    return lines, keep


def objective_block(
    model: ReportModel,
    objective: ReportObjective,
    frame_width: float,
    max_height: float,
    on_rows: Callable[[int], None],
    columns: tuple[str, ...],
) -> RowsBlock:
    """Seed 000's table for one strategic objective, the objective cell spanning its actions;
    ``columns``: the appendix's (``ReportModel.objective_columns``, worked out once)."""
    share = frame_width / sum(OBJECTIVE_WIDTHS[c] for c in columns)
    fitted = _rag_fitted([OBJECTIVE_WIDTHS[c] * share for c in columns], columns)
    width = dict(zip(columns, fitted, strict=True))
    rows: list[list[Cell | None]] = []
    for action in objective.actions:
        title = _text(action.title, width["Actions"])
        keep: list[tuple[int, int]] = []
        if model.include_milestones and action.milestones:
            title.append("Milestones:")
            bullets, keep = _milestone_lines(model, action, width["Actions"], len(title))
            title += bullets
        cells: dict[str, Cell | None] = {"Strategic Objective": None, "Actions": Cell(title)}
        if OUTCOMES_COLUMN in width:
            cells[OUTCOMES_COLUMN] = Cell(_text(action.outcomes, width[OUTCOMES_COLUMN]))
        if LEADS_COLUMN in width:
            leads: list[str] = []
            for lead in action.leads:
                leads += _text(lead, width[LEADS_COLUMN])
            cells[LEADS_COLUMN] = Cell(leads)
        cells["Timescales / Updates"] = text_cell(
            width["Timescales / Updates"],
            (action.timescale, BOLD),
            (action.update or NO_UPDATE, FONT),
        )
        label = model.action_rag_label(action)
        cells["RAG"] = rag_cell(model, action.rag, action.direction, label, width["RAG"])

        def continued(title: str = action.title) -> dict[int, Cell]:
            more = text_cell(width["Actions"], (f"{shorten(title)} (continued)", FONT))
            return {columns.index("Actions"): more}

        rows += chunk_rows([cells[c] for c in columns], max_height, continued, keep)
    if not rows:
        rows.append([None, Cell(["No actions to report."]), *[None] * (len(columns) - 2)])
    heading = objective.title or "(No objective title)"
    objective_width = width["Strategic Objective"]
    span = Span(
        0,
        0,
        len(rows) - 1,
        text_cell(objective_width, (heading, BOLD)),
        continued=text_cell(objective_width, (f"{shorten(heading)} (continued)", BOLD)),
        keep_whole=True,
    )
    widths = [width[c] for c in columns]
    return RowsBlock(
        list(columns), widths, rows, [span], on_rows=on_rows, max_row_height=max_height
    )


def milestone_block(
    model: ReportModel,
    section: ReportSection,
    frame_width: float,
    max_height: float,
    on_rows: Callable[[int], None],
) -> RowsBlock:
    """Seed 004's table for a priority: each milestone with its RAG; beside them the action's
    outcomes and update, and the action's RAG for the quarter, spanning its milestones."""
    widths = _widths(MILESTONE_COLUMNS, frame_width)
    rows: list[list[Cell | None]] = []
    spans: list[Span] = []
    for action in section.actions():
        first = len(rows)
        milestones = action.milestones if model.include_milestones else []
        for milestone in milestones:
            lines = _text(milestone.title, widths[0]) + _text(milestone.when_capital, widths[0])
            rows += chunk_rows(
                [Cell(lines), rag_cell(model, milestone.rag, width=widths[1]), None, None],
                max_height,
            )
        if not milestones:
            rows.append([text_cell(widths[0], (action.title, BOLD)), None, None, None])
        outcomes = _text(f"Action: {action.title}", widths[2]) if milestones else []
        outcomes += _text(action.outcomes, widths[2])
        if action.leads:
            outcomes += _text("Lead: " + "; ".join(action.leads), widths[2])
        outcomes += _text("Update: " + (action.update or NO_UPDATE), widths[2])
        last = len(rows) - 1
        continued = text_cell(widths[2], (f"Action: {shorten(action.title)} (continued)", FONT))
        spans.append(Span(2, first, last, Cell(outcomes), continued=continued))
        label = model.action_rag_label(action)
        rag = rag_cell(model, action.rag, action.direction, label, widths[3])
        spans.append(Span(3, first, last, rag))
    if not rows:
        rows.append([Cell(["No actions to report."]), None, None, None])
    header = [name for name, _ in MILESTONE_COLUMNS]
    return RowsBlock(header, widths, rows, spans, on_rows=on_rows, max_row_height=max_height)
