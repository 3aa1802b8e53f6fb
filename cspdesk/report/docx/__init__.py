"""The committee appendix as a Word document (python-docx), from the same report model as the
PDF and the HTML, for committee services to drop into their agenda template.

A4 landscape; the title block as text; Heading 1 for each part and priority, Heading 2 for each
strategic objective; real tables whose header row repeats on every page; each RAG in words with
its colour as shading; the summary, performance and funding sections; the charts as pictures
with the HTML's text alternative; the document's title and language set. The same words as the
PDF: every line comes from the model's own wording.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.io.output_target import WORD_MARK
from cspdesk.report.docx.tables import Cell, heading, paragraph, place, table
from cspdesk.report.model import (
    DIRECTION_WORDS,
    LEADS_COLUMN,
    OUTCOMES_COLUMN,
    RagKey,
    ReportAction,
    ReportModel,
    ReportSection,
    readable_text_colour,
)
from cspdesk.report.pdf.rows import shorten
from cspdesk.report.pieces import Line, Paper, cut_cell, cut_row, paragraphs

Progress = Callable[[int, int], None]
LANGUAGE = "en-GB"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 29.7, 21.0, 1.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
NO_UPDATE = "No update this quarter."
# Each column's share of the width, as the PDF's (the objective is the Heading 2 above).
SHARES = {
    "Actions": 0.26,
    OUTCOMES_COLUMN: 0.2,
    LEADS_COLUMN: 0.16,
    "Timescales / Updates": 0.28,
    "RAG": 0.1,
}


def _page_setup(document: Any, large_print: bool) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(12 if large_print else 10)
    # The language every run is checked and read aloud in.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), LANGUAGE)


def _footer(document: Any, text: str) -> None:
    """ "Partnership – title    Page x of y" at the foot of every page."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run(f"{text}    Page ")
    for field in ("PAGE", "NUMPAGES"):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        words = OxmlElement("w:t")
        words.text = "1"
        run.append(words)
        simple.append(run)
        footer._p.append(simple)
        if field == "PAGE":
            footer._p.append(footer.add_run(" of ")._r)
    for run in footer.runs:
        run.font.size = Pt(8)


def _ink(key: RagKey) -> str:
    return readable_text_colour(key.colour, key.text_colour)


def rag_cell(model: ReportModel, code: str | None, label: str, direction: str = "") -> Cell:
    """The RAG in words (and the direction of travel), shaded with the scheme's colour."""
    key = model.rag(code)
    word = DIRECTION_WORDS.get(direction, "")
    lines = [label] + ([word] if word else [])
    if key is None:
        return Cell(lines)
    return Cell(lines, bold=True, colour=_ink(key), fill=key.colour)


def _front_matter(model: ReportModel) -> list[str]:
    from cspdesk.report.pdf import default_introduction

    block = model.title_block
    out = []
    if block.appendix_label:
        out.append(paragraph(block.appendix_label, bold=True))
    if block.meeting_line():
        out.append(paragraph(block.meeting_line()))
    out += [paragraph(model.partnership, "Title"), paragraph(model.title, "Subtitle")]
    for line in (model.version_line, model.printed, f"Position {model.as_at}"):
        if line:
            out.append(paragraph(line))
    out.append(heading("Introduction", 1))
    for text in (model.introduction or default_introduction(model)).split("\n\n"):
        out.append(paragraph(text.strip()))
    out.append(heading("RAG key", 2))
    rows = [
        [Cell([key.label], bold=True, colour=_ink(key), fill=key.colour), Cell([key.meaning])]
        for key in model.rag_scheme
    ]
    out.append(table(["Status", "Meaning"], [3.5, TEXT_WIDTH_CM - 3.5], rows))
    return out


def _summary_table(model: ReportModel) -> str:
    codes: list[str | None] = [key.code for key in model.rag_scheme]
    counts = [s.rag_counts() for s in model.sections]
    if any(c.get(None) for c in counts):
        codes.append(None)
    rows: list[list[Cell]] = []
    for section, count in zip(model.sections, counts, strict=True):
        numbers = [str(count.get(c, 0)) for c in codes] + [str(sum(count.values()))]
        rows.append([Cell([f"{section.number}. {section.title}"]), *(Cell([n]) for n in numbers)])
    totals = [sum(c.get(code, 0) for c in counts) for code in codes]
    rows.append(
        [Cell([t], bold=True) for t in ["All priorities", *map(str, totals), str(sum(totals))]]
    )
    headings: list[str | Cell] = ["Priority"]
    for code in codes:
        key = model.rag(code)
        label = model.rag_label(code)
        headings.append(Cell([label], colour=_ink(key), fill=key.colour) if key else label)
    headings.append("Total")
    return table(headings, [9.0] + [2.2] * (len(codes) + 1), rows)


def picture(document: Any, png: bytes, words: str, width_pt: float) -> None:
    """A chart as a picture whose alternative text says every number in it."""
    width = Cm(min(width_pt / 72 * 2.54, TEXT_WIDTH_CM))
    shape = document.add_picture(io.BytesIO(png), width=width)
    properties = shape._inline.docPr
    properties.set("descr", words)
    properties.set("title", words.split(". ", 1)[0])


def _action_lines(model: ReportModel, action: ReportAction) -> list[str]:
    lines = [action.title]
    if model.include_milestones and action.milestones:
        lines.append("Milestones:")
        for m in action.milestones:
            bits = [m.title, m.when, model.rag_label(m.rag) if m.rag else ""]
            lines.append("• " + " – ".join(b for b in bits if b))
    return lines


def _paper(columns: list[str], size: float) -> Paper:
    """How Word prints an objective's table: the columns' widths, and the lines a page holds
    under the heading and the header row (a line is about 1.2 times the text's size)."""
    share = TEXT_WIDTH_CM / sum(SHARES[c] for c in columns) * 72 / 2.54
    height = (PAGE_HEIGHT_CM - 2 * MARGIN_CM) * 72 / 2.54
    return Paper(
        widths={c: SHARES[c] * share for c in columns},
        size=size,
        cell_pad=11.0,  # Word's 0.19 cm cell margins and the rule
        page_lines=int(height / (size * 1.2)) - 8,
    )


def _piece(lines: list[Line]) -> Cell:
    shown = paragraphs(lines)
    return Cell(
        ["• " + words if kind == "li" else words for kind, words in shown],
        bold_lines=sum(kind == "strong" for kind, _ in shown),
    )


def _action_rows(
    model: ReportModel, action: ReportAction, columns: list[str], size: float
) -> list[list[Cell]]:
    """The action's row, cut into pieces (each later one "(continued)") when taller than a
    page: Word would cut it anywhere, with nothing saying whose row goes on."""
    update = [action.timescale] if action.timescale else []
    cells = {
        "Actions": Cell(_action_lines(model, action)),
        OUTCOMES_COLUMN: Cell(action.outcomes.split("\n")),
        LEADS_COLUMN: Cell(action.leads),
        "Timescales / Updates": Cell(
            update + (action.update or NO_UPDATE).split("\n"), bold_lines=len(update)
        ),
        "RAG": rag_cell(model, action.rag, model.action_rag_label(action), action.direction or ""),
    }
    pieces = cut_row(model, action, _paper(columns, size))
    if pieces is None:
        return [[cells[c] for c in columns]]
    return [
        [cells["RAG"] if c == "RAG" else _piece(piece.get(c, [])) for c in columns]
        for piece in pieces
    ]


def _objectives(
    model: ReportModel, section: ReportSection, columns: list[str], size: float
) -> list[str]:
    share = TEXT_WIDTH_CM / sum(SHARES[c] for c in columns)
    widths = [SHARES[c] * share for c in columns]
    out = []
    for objective in section.objectives:
        out.append(heading(f"Strategic Objective: {objective.title or '(No objective title)'}", 2))
        rows = []
        for action in objective.actions:
            rows += _action_rows(model, action, columns, size)
        if not objective.actions:
            rows.append([Cell(["No actions to report."]), *(Cell([]) for _ in columns[1:])])
        out.append(table(columns, widths, rows))
    return out


def _fields(rows: list[tuple[str, str]]) -> list[str]:
    """A priority's named fields as a two-column table whose first column heads each row."""
    if not rows:
        return []
    body = [[Cell([name], bold=True), Cell(value.split("\n"))] for name, value in rows]
    return [table(["Field", "Value"], [5.0, TEXT_WIDTH_CM - 5.0], body)]


def _milestones(model: ReportModel, section: ReportSection, size: float) -> list[str]:
    """Seed 004's layout: each milestone with its RAG; the action's outcomes and RAG beside
    its first milestone."""
    out = _fields(
        [
            (name, value)
            for name, value in (
                ("Performance Indicators", section.indicators),
                ("Baseline", section.baseline),
                ("Target", section.target),
                ("CSP Lead Agencies", section.lead_agencies),
                ("CSP Resources", section.resources),
            )
            if value
        ]
    )
    rows: list[list[Cell]] = []
    paper = _paper(["Actions", "Timescales / Updates"], size)
    for action in section.actions():
        milestones = action.milestones if model.include_milestones else []
        outcomes = [action.title, action.outcomes]
        if action.leads:
            outcomes.append("Lead: " + "; ".join(action.leads))
        outcomes.append("Update: " + (action.update or NO_UPDATE))
        label = model.action_rag_label(action)
        action_rag = rag_cell(model, action.rag, label, action.direction or "")
        outcomes = [line for line in outcomes if line]
        continued = f"Action: {shorten(action.title)} (continued)"
        pieces = cut_cell(outcomes, TEXT_WIDTH_CM * 0.42 * 72 / 2.54, paper, continued)
        for index, milestone in enumerate(milestones or [None]):
            if milestone is None:
                row = [Cell([action.title]), Cell([])]
            else:
                rag = rag_cell(model, milestone.rag, model.rag_label(milestone.rag))
                row = [Cell([milestone.title, milestone.when_capital]), rag]
            if index == 0:
                row += [Cell(pieces[0] if pieces else outcomes), action_rag]
            else:
                row += [Cell([]), Cell([])]
            rows.append(row)
            if index == 0:  # an outcome taller than a page goes on, "(continued)", under it
                rows += [[Cell([]), Cell([]), Cell(p), action_rag] for p in (pieces or [])[1:]]
    headings = ["Key Milestones", "Milestone RAG", "Outcomes & Outputs", "Action RAG"]
    out.append(table(headings, [TEXT_WIDTH_CM * s for s in (0.38, 0.1, 0.42, 0.1)], rows))
    out += _fields(
        [
            (name, value)
            for name, value in (
                ("Key Risks to Achieving", section.key_risks),
                ("Key Actions to Mitigate Risk", section.mitigations),
            )
            if value
        ]
    )
    return out


@paused_gc()  # collections walking the model's objects would find nothing to free
def write_docx(
    model: ReportModel,
    target: Path,
    *,
    layout: str = "objectives",
    progress: Progress | None = None,
    large_print: bool = False,
) -> None:
    """Write the appendix to ``target`` (.docx) through a temporary file. ``large_print``:
    12 pt text instead of 10 (Word reflows the tables)."""
    from cspdesk.io.atomic import write_with
    from cspdesk.report.charts import report_charts
    from cspdesk.report.charts.raster import to_png
    from cspdesk.report.docx.figures import performance_section
    from cspdesk.report.docx.funding import funding_section

    document = Document()
    _page_setup(document, large_print)
    properties = document.core_properties
    properties.title = f"{model.partnership} – {model.title}"
    properties.language = LANGUAGE
    properties.author = model.partnership
    properties.subject = f"Partnership Plan {model.year}, quarter {model.quarter} update"
    properties.comments = WORD_MARK  # lets a later run replace this file, and no other
    _footer(document, f"{model.partnership} – {model.title}")
    place(document, _front_matter(model))
    place(document, [heading("Summary", 1, new_page=True), _summary_table(model)])
    for data, drawing in report_charts(model):
        picture(document, to_png(drawing), data.describe(), drawing.width)
    columns = [c for c in model.objective_columns() if c != "Strategic Objective"]
    total = len(model.sections)
    for done, section in enumerate(model.sections, start=1):
        heading_text = f"Priority {section.number}: {section.title}"
        part = [heading(heading_text, 1, new_page=True)]
        if section.sub_themes:
            part.append(paragraph(section.sub_themes.replace("\n", " · ")))
        if layout == "milestones":
            part += _milestones(model, section, 12 if large_print else 10)
        else:
            part += _objectives(model, section, columns, 12 if large_print else 10)
        if not section.objectives:
            part.append(paragraph("No actions to report under this priority."))
        place(document, part)
        if progress is not None:
            progress(done, total)
    if model.performance:
        performance_section(document, model.performance)
    if model.crime is not None:  # in the PDF's order: performance, police crime, funding
        from cspdesk.report.docx.crime import crime_section

        place(document, crime_section(model.crime))
    if model.funding is not None and model.funding.grants:
        place(document, funding_section(model.funding))
    write_with(Path(target), lambda temp: document.save(str(temp)))
