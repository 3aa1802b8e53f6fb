"""The appendix's table rows: the report model's actions as wrapped cells in RowsBlocks."""

from __future__ import annotations

from collections.abc import Callable

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
    return [fraction * total for _, fraction in columns]


def rag_cell(
    model: ReportModel, code: str | None, direction: str | None = None, label: str = ""
) -> Cell:
    """The RAG as colour and label text ("Green (Q2)" when carried: ``label``), with the
    direction of travel when known."""
    key = model.rag(code)
    label = label or model.rag_label(code)
    word = DIRECTION_WORDS.get(direction or "", "")
    lines = [label] + ([word] if word else [])
    if key is None:
        return Cell(lines, min_lines=2 if word else 1)
    ink = readable_text_colour(key.colour, key.text_colour)
    mark = RagMark(label, ink, direction, word) if word else None
    return Cell(
        lines,
        fill=key.colour,
        text_colour=ink,
        font=BOLD,
        min_lines=2 if word else 1,
        mark=mark,
    )


def _text(text: str, width: float, font: str = FONT) -> list[str]:
    return wrap_lines(text, width - 2 * HPAD, font) if text else []


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def chunk_rows(row: list[Cell | None], max_height: float) -> list[list[Cell | None]]:
    """One row, or several when it is taller than a page (each cell's lines shared out).

    The first piece is half a page, so it can start under a heading or other rows instead of
    leaving the rest of the page empty; the others are a page each."""
    per_row = max(int((max_height - 2 * PAD) // LEADING), 1)
    most = max((len(c.lines) for c in row if c is not None and c.mark is None), default=0)
    if most <= per_row:
        return [row]
    starts = [0, *range(max(per_row // 2, 1), most, per_row)]
    parts: list[list[Cell | None]] = []
    for start, stop in zip(starts, [*starts[1:], most], strict=True):
        part: list[Cell | None] = []
        for cell in row:
            if cell is None or cell.mark is not None:
                part.append(cell if start == 0 else None)
            elif start == 0 or cell.lines[start:]:
                part.append(Cell(cell.lines[start:stop], cell.fill, cell.text_colour, cell.font))
            else:
                part.append(None)
        parts.append(part)
    return parts


def _milestone_lines(model: ReportModel, action: ReportAction, width: float) -> list[str]:
    lines: list[str] = []
    for milestone in action.milestones:
        when = milestone.when
        bits = [milestone.title, when, model.rag_label(milestone.rag) if milestone.rag else ""]
        lines += _text("• " + " – ".join(b for b in bits if b), width)
    return lines


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
    width = {c: OBJECTIVE_WIDTHS[c] * share for c in columns}
    rows: list[list[Cell | None]] = []
    for action in objective.actions:
        title = _text(action.title, width["Actions"])
        if model.include_milestones and action.milestones:
            title += ["Milestones:", *_milestone_lines(model, action, width["Actions"])]
        cells: dict[str, Cell | None] = {"Strategic Objective": None, "Actions": Cell(title)}
        if OUTCOMES_COLUMN in width:
            cells[OUTCOMES_COLUMN] = Cell(_text(action.outcomes, width[OUTCOMES_COLUMN]))
        if LEADS_COLUMN in width:
            leads: list[str] = []
            for lead in action.leads:
                leads += _text(lead, width[LEADS_COLUMN])
            cells[LEADS_COLUMN] = Cell(leads)
        update_width = width["Timescales / Updates"]
        timescale = _text(action.timescale, update_width, BOLD)
        cells["Timescales / Updates"] = Cell(
            timescale + _text(action.update or NO_UPDATE, update_width)
        )
        cells["RAG"] = rag_cell(model, action.rag, action.direction, model.action_rag_label(action))
        rows += chunk_rows([cells[c] for c in columns], max_height)
    if not rows:
        rows.append([None, Cell(["No actions to report."]), *[None] * (len(columns) - 2)])
    heading = objective.title or "(No objective title)"
    objective_width = width["Strategic Objective"]
    span = Span(
        0,
        0,
        len(rows) - 1,
        _text(heading, objective_width, BOLD),
        continued=_text(f"{_shorten(heading)} (continued)", objective_width, BOLD),
        font=BOLD,
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
                [Cell(lines), rag_cell(model, milestone.rag), None, None], max_height
            )
        if not milestones:
            rows.append([Cell(_text(action.title, widths[0], BOLD), font=BOLD), None, None, None])
        outcomes = _text(f"Action: {action.title}", widths[2]) if milestones else []
        outcomes += _text(action.outcomes, widths[2])
        if action.leads:
            outcomes += _text("Lead: " + "; ".join(action.leads), widths[2])
        outcomes += _text("Update: " + (action.update or NO_UPDATE), widths[2])
        last = len(rows) - 1
        continued = _text(f"Action: {_shorten(action.title)} (continued)", widths[2])
        spans.append(Span(2, first, last, outcomes, continued=continued))
        rag = rag_cell(model, action.rag, action.direction, model.action_rag_label(action))
        spans.append(
            Span(
                3,
                first,
                last,
                rag.lines,
                fill=rag.fill,
                text_colour=rag.text_colour,
                font=rag.font,
                mark=rag.mark,
                continued=[],
            )
        )
    if not rows:
        rows.append([Cell(["No actions to report."]), None, None, None])
    header = [name for name, _ in MILESTONE_COLUMNS]
    return RowsBlock(header, widths, rows, spans, on_rows=on_rows, max_row_height=max_height)
