"""An action's row of a printed appendix (the accessible PDF, the Word file) cut into pieces a
page tall.

A browser or Word printing a table row taller than a page cuts it wherever the page ends,
with nothing on the next page saying whose row goes on. So a row whose text would outgrow a
page (an update of a thousand words, thirty milestones) is cut here instead, as the print PDF
cuts it (``pdf.rows.piece_starts``): between lines, never inside a milestone, each later piece
headed "Action …  (continued)" and showing the RAG again. Lines are measured with the print
PDF's metrics (Liberation Sans, metric-compatible with the Arial both set it in) at the
printed size.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from cspdesk.report.model import LEADS_COLUMN, OUTCOMES_COLUMN, ReportAction, ReportModel
from cspdesk.report.pdf.blocks import BOLD, FONT, SIZE, wrap_lines
from cspdesk.report.pdf.rows import piece_starts, shorten

LIST_INDENT = 14.4  # points a milestone's bullet indents its lines


@dataclass(frozen=True)
class Line:
    """One printed line: the paragraph (``block``) it belongs to, how that is set, its words."""

    block: int
    kind: str  # "p", "strong" (the timescale) or "li" (a milestone)
    words: str


@dataclass(frozen=True)
class Paper:
    """How a format prints a row: its columns' widths and the lines a page holds (points)."""

    widths: dict[str, float]
    size: float  # the text's size
    cell_pad: float  # left and right padding of a cell, and its rule
    page_lines: int  # lines of text a page holds under the table's header


def paragraphs(lines: list[Line]) -> list[tuple[str, str]]:
    """The lines joined back into their paragraphs: (kind, words)."""
    return [
        (kind, " ".join(line.words for line in group))
        for (_, kind), group in groupby(lines, key=lambda line: (line.block, line.kind))
    ]


def _lines(blocks: list[tuple[str, str]], width: float, paper: Paper) -> list[Line]:
    lines: list[Line] = []
    for index, (kind, body) in enumerate(blocks):
        room = (width - paper.cell_pad - (LIST_INDENT if kind == "li" else 0)) * SIZE / paper.size
        font = BOLD if kind == "strong" else FONT  # the timescale is printed bold
        lines += [Line(index, kind, words) for words in wrap_lines(body, room, font) or [""]]
    return lines


def _may_outgrow(model: ReportModel, action: ReportAction, paper: Paper) -> bool:
    """Whether any column could be taller than a page, by a bound cheap enough to ask of every
    row: no line holds fewer characters than its width over 0.75 of the text's size (wider
    than Arial's capitals on average)."""

    def bound(texts: list[str], name: str) -> int:
        per_line = max((paper.widths[name] - paper.cell_pad - LIST_INDENT) / (0.75 * paper.size), 1)
        return sum(len(t) // int(per_line) + 1 + t.count("\n") for t in texts)

    milestones = [f"• {m.title} – {m.when} – {model.rag_label(m.rag)}" for m in action.milestones]
    if bound([action.title, "", *(milestones if model.include_milestones else [])], "Actions") > (
        paper.page_lines
    ):
        return True
    update = [action.timescale, action.update or ""]
    return bound(update, "Timescales / Updates") > paper.page_lines or any(
        name in paper.widths and bound([text], name) > paper.page_lines
        for name, text in (
            (OUTCOMES_COLUMN, action.outcomes),
            (LEADS_COLUMN, "\n".join(action.leads)),
        )
    )


def cut_row(
    model: ReportModel, action: ReportAction, paper: Paper
) -> list[dict[str, list[Line]]] | None:
    """Each piece's lines by column (Actions, outcomes, leads, Timescales / Updates), or None
    when the row fits on a page as it is."""
    width = paper.widths
    if not _may_outgrow(model, action, paper):
        return None
    action_blocks = [("p", action.title)]
    if model.include_milestones and action.milestones:
        action_blocks.append(("p", "Milestones:"))
        for m in action.milestones:
            bits = [m.title, m.when, model.rag_label(m.rag) if m.rag else ""]
            action_blocks.append(("li", " – ".join(b for b in bits if b)))
    update = [("strong", action.timescale)] if action.timescale else []
    update += [("p", part) for part in (action.update or "No update this quarter.").split("\n")]
    columns = {
        "Actions": _lines(action_blocks, width["Actions"], paper),
        "Timescales / Updates": _lines(update, width["Timescales / Updates"], paper),
    }
    for name, value in (
        (OUTCOMES_COLUMN, action.outcomes),
        (LEADS_COLUMN, "\n".join(action.leads)),
    ):
        if name in width:
            columns[name] = _lines([("p", v) for v in value.split("\n")], width[name], paper)
    most = max(len(lines) for lines in columns.values())
    if most <= paper.page_lines:
        return None
    keep: list[tuple[int, int]] = []
    for block, group in groupby(enumerate(columns["Actions"]), key=lambda x: x[1].block):
        numbers = [n for n, _ in group]
        if action_blocks[block][0] == "li":
            keep.append((numbers[0], numbers[-1] + 1))
    head = [Line(-1, "p", f"{shorten(action.title)} (continued)")]
    later = paper.page_lines - len(_lines([("p", head[0].words)], width["Actions"], paper))
    starts = piece_starts(most, max(paper.page_lines // 2, 1), max(later, 2), keep)
    return [
        {
            name: (head if start and name == "Actions" else []) + lines[start:stop]
            for name, lines in columns.items()
        }
        for start, stop in zip(starts, [*starts[1:], most], strict=True)
    ]


def cut_cell(
    blocks: list[str], width: float, paper: Paper, continued: str
) -> list[list[str]] | None:
    """One cell's paragraphs cut into pieces a page tall, each later one headed ``continued``;
    None when they fit on a page."""
    lines = _lines([("p", block) for block in blocks], width, paper)
    if len(lines) <= paper.page_lines:
        return None
    head = [Line(-1, "p", continued)]
    later = paper.page_lines - len(_lines([("p", continued)], width, paper))
    starts = piece_starts(len(lines), max(paper.page_lines // 2, 1), max(later, 2))
    return [
        [words for _, words in paragraphs((head if start else []) + lines[start:stop])]
        for start, stop in zip(starts, [*starts[1:], len(lines)], strict=True)
    ]
