"""An action's row of the printed appendix (the accessible PDF) cut into pieces a page tall.

A browser printing a table row taller than a page cuts it wherever the page ends, with nothing
on the next page saying whose row goes on. So for paper, a row whose text would outgrow a page
(an update of a thousand words, thirty milestones) is cut here instead, as the print PDF cuts
it (``pdf.rows.piece_starts``): between lines, never inside a milestone, each later piece
headed "Action …  (continued)" and showing the RAG again. Lines are measured with the print
PDF's metrics (Liberation Sans, which Chromium sets Arial in) at the printed size.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from cspdesk.report.model import LEADS_COLUMN, OUTCOMES_COLUMN, ReportAction, ReportModel
from cspdesk.report.pdf.blocks import SIZE, wrap_lines
from cspdesk.report.pdf.rows import OBJECTIVE_WIDTHS, piece_starts, shorten

MM = 72 / 25.4
TEXT_WIDTH = (297 - 24) * MM  # A4 landscape less the @page side margins
TEXT_HEIGHT = (210 - 14 - 16) * MM
HEADER_LINES = 5  # the caption and a header row whose narrow headings wrap, and padding
CELL_PAD = 10.6  # .4rem each side and the rule, in points
LIST_INDENT = 14.4  # ul's 1.2rem


@dataclass(frozen=True)
class Line:
    """One printed line: the paragraph (``block``) it belongs to, how that is set, its words."""

    block: int
    kind: str  # "p", "strong" (the timescale) or "li" (a milestone)
    words: str


def _lines(blocks: list[tuple[str, str]], width: float, size: float) -> list[Line]:
    lines: list[Line] = []
    for index, (kind, body) in enumerate(blocks):
        room = (width - CELL_PAD - (LIST_INDENT if kind == "li" else 0)) * SIZE / size
        lines += [Line(index, kind, words) for words in wrap_lines(body, room) or [""]]
    return lines


def _html(lines: list[Line]) -> str:
    from cspdesk.report.html import text  # the page's escaping

    out: list[str] = []
    items: list[str] = []
    for (_, kind), group in groupby(lines, key=lambda line: (line.block, line.kind)):
        words = text(" ".join(line.words for line in group))
        if kind == "li":
            items.append(f"<li>{words}</li>")
            continue
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
            items = []
        out.append(f"<p><strong>{words}</strong></p>" if kind == "strong" else f"<p>{words}</p>")
    if items:
        out.append(f"<ul>{''.join(items)}</ul>")
    return "".join(out)


def printed_pieces(
    model: ReportModel,
    action: ReportAction,
    columns: tuple[str, ...],
    cells: dict[str, str],
    size: float,
) -> list[dict[str, str]] | None:
    """The row's cells for each piece, or None when the row fits on a page as it is."""
    share = TEXT_WIDTH / sum(OBJECTIVE_WIDTHS[c] for c in columns)
    width = {c: OBJECTIVE_WIDTHS[c] * share for c in columns}
    action_blocks = [("p", action.title)]
    if model.include_milestones and action.milestones:
        action_blocks.append(("p", "Milestones:"))
        for m in action.milestones:
            bits = [m.title, m.when, model.rag_label(m.rag) if m.rag else ""]
            action_blocks.append(("li", " – ".join(b for b in bits if b)))
    update = [("strong", action.timescale)] if action.timescale else []
    update += [("p", part) for part in (action.update or "No update this quarter.").split("\n")]
    text_columns = {
        "Actions": _lines(action_blocks, width["Actions"], size),
        "Timescales / Updates": _lines(update, width["Timescales / Updates"], size),
    }
    for name, value in (
        (OUTCOMES_COLUMN, action.outcomes),
        (LEADS_COLUMN, "\n".join(action.leads)),
    ):
        if name in width:
            text_columns[name] = _lines([("p", v) for v in value.split("\n")], width[name], size)
    per_page = int(TEXT_HEIGHT / (size * 1.4)) - HEADER_LINES
    most = max(len(lines) for lines in text_columns.values())
    if most <= per_page:
        return None
    keep: list[tuple[int, int]] = []
    for block, group in groupby(enumerate(text_columns["Actions"]), key=lambda x: x[1].block):
        numbers = [n for n, _ in group]
        if action_blocks[block][0] == "li":
            keep.append((numbers[0], numbers[-1] + 1))
    head = [Line(-1, "p", f"{shorten(action.title)} (continued)")]
    later = per_page - len(_lines([("p", head[0].words)], width["Actions"], size))
    starts = piece_starts(most, max(per_page // 2, 1), max(later, 2), keep)
    pieces = []
    for start, stop in zip(starts, [*starts[1:], most], strict=True):
        piece = {name: "" for name in cells if name in columns}  # the objective: its own cell
        piece["RAG"] = cells["RAG"]
        for name, lines in text_columns.items():
            part = lines[start:stop]
            if start and name == "Actions":
                part = head + part
            piece[name] = _html(part)
        pieces.append(piece)
    return pieces
