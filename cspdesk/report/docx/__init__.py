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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from cspdesk.io.output_target import WORD_MARK
from cspdesk.report.docx.tables import add_row, new_table, shade, write_lines
from cspdesk.report.model import (
    DIRECTION_WORDS,
    LEADS_COLUMN,
    OUTCOMES_COLUMN,
    ReportAction,
    ReportModel,
    ReportSection,
    readable_text_colour,
)

Progress = Callable[[int, int], None]
LANGUAGE = "en-GB"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 29.7, 21.0, 1.5
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM
NO_UPDATE = "No update this quarter."
# Each column's share of the width, as the PDF's (the objective is the Heading 2 above).
SHARES = {"Actions": 0.26, OUTCOMES_COLUMN: 0.2, LEADS_COLUMN: 0.16, "Timescales / Updates": 0.28}
SHARES["RAG"] = 0.1


def _page_setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
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
    """ "Partnership – title" and "Page x of y" at the foot of every page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(f"{text}    Page ").font.size = Pt(8)
    for field in ("PAGE", "NUMPAGES"):
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), field)
        run = OxmlElement("w:r")
        words = OxmlElement("w:t")
        words.text = "1"
        run.append(words)
        simple.append(run)
        paragraph._p.append(simple)
        if field == "PAGE":
            paragraph._p.append(paragraph.add_run(" of ")._r)


def _front_matter(document: Any, model: ReportModel) -> None:
    from cspdesk.report.pdf import default_introduction

    block = model.title_block
    if block.appendix_label:
        label = document.add_paragraph()
        label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        label.add_run(block.appendix_label).bold = True
    if block.meeting_line():
        document.add_paragraph(block.meeting_line())
    document.add_paragraph(model.partnership, style="Title")
    document.add_paragraph(model.title, style="Subtitle")
    lines = [model.version_line, model.printed, f"Position {model.as_at}"]
    for line in filter(None, lines):
        document.add_paragraph(line)
    document.add_heading("Introduction", level=1)
    for paragraph in (model.introduction or default_introduction(model)).split("\n\n"):
        document.add_paragraph(paragraph.strip())
    document.add_heading("RAG key", level=2)
    widths = [3.5, TEXT_WIDTH_CM - 3.5]
    table = new_table(document, ["Status", "Meaning"], widths)
    for key in model.rag_scheme:
        status, meaning = add_row(table, widths)
        write_lines(status, [key.label], bold=True, colour=_ink(key.colour, key.text_colour))
        shade(status, key.colour)
        write_lines(meaning, [key.meaning])


def _ink(fill: str, preferred: str) -> str:
    return readable_text_colour(fill, preferred)


def _summary(document: Any, model: ReportModel) -> None:
    from cspdesk.report.charts import report_charts
    from cspdesk.report.charts.raster import to_png

    document.add_page_break()
    document.add_heading("Summary", level=1)
    codes: list[str | None] = [key.code for key in model.rag_scheme]
    counts = [s.rag_counts() for s in model.sections]
    if any(c.get(None) for c in counts):
        codes.append(None)
    headings = ["Priority", *(model.rag_label(c) for c in codes), "Total"]
    widths = [9.0] + [2.2] * (len(codes) + 1)
    table = new_table(document, headings, widths)
    for col, code in enumerate(codes, start=1):
        key = model.rag(code)
        if key:
            cell = table.rows[0].cells[col]
            shade(cell, key.colour)
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = RGBColor.from_string(
                    _ink(key.colour, key.text_colour).lstrip("#").upper()
                )
    for section, count in zip(model.sections, counts, strict=True):
        cells = add_row(table, widths)
        values = [f"{section.number}. {section.title}"]
        values += [str(count.get(c, 0)) for c in codes] + [str(sum(count.values()))]
        for cell, value in zip(cells, values, strict=True):
            write_lines(cell, [value])
    totals = [sum(c.get(code, 0) for c in counts) for code in codes]
    for cell, value in zip(
        add_row(table, widths), ["All priorities", *map(str, totals), str(sum(totals))], strict=True
    ):
        write_lines(cell, [value], bold=True)
    for data, drawing in report_charts(model):
        picture(document, to_png(drawing), data.describe(), drawing.width)


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


def _rag_cell(model: ReportModel, cell: Any, code: str | None, label: str, direction: str) -> None:
    """The RAG in words (and the direction of travel), shaded with the scheme's colour."""
    key = model.rag(code)
    word = DIRECTION_WORDS.get(direction or "", "")
    lines = [label] + ([word] if word else [])
    if key is None:
        write_lines(cell, lines)
        return
    write_lines(cell, lines, bold=True, colour=_ink(key.colour, key.text_colour))
    shade(cell, key.colour)


def _objectives(document: Any, model: ReportModel, section: ReportSection) -> int:
    columns = [c for c in model.objective_columns() if c != "Strategic Objective"]
    share = TEXT_WIDTH_CM / sum(SHARES[c] for c in columns)
    widths = [SHARES[c] * share for c in columns]
    rows = 0
    for objective in section.objectives:
        document.add_heading(
            f"Strategic Objective: {objective.title or '(No objective title)'}", level=2
        )
        table = new_table(document, columns, widths)
        for action in objective.actions:
            cells = dict(zip(columns, add_row(table, widths), strict=True))
            write_lines(cells["Actions"], _action_lines(model, action))
            if OUTCOMES_COLUMN in cells:
                write_lines(cells[OUTCOMES_COLUMN], action.outcomes.split("\n"))
            if LEADS_COLUMN in cells:
                write_lines(cells[LEADS_COLUMN], action.leads)
            update = [action.timescale] if action.timescale else []
            write_lines(
                cells["Timescales / Updates"], update + (action.update or NO_UPDATE).split("\n")
            )
            label = model.action_rag_label(action)
            _rag_cell(model, cells["RAG"], action.rag, label, action.direction or "")
            rows += 1
        if not objective.actions:
            write_lines(add_row(table, widths)[0], ["No actions to report."])
    return rows


def _milestones(document: Any, model: ReportModel, section: ReportSection) -> int:
    """Seed 004's layout: each milestone with its RAG; the action's outcomes and RAG beside
    its first milestone."""
    fields = [
        ("Performance Indicators", section.indicators),
        ("Baseline", section.baseline),
        ("Target", section.target),
        ("CSP Lead Agencies", section.lead_agencies),
        ("CSP Resources", section.resources),
    ]
    _field_table(document, [(n, v) for n, v in fields if v])
    headings = ["Key Milestones", "Milestone RAG", "Outcomes & Outputs", "Action RAG"]
    widths = [TEXT_WIDTH_CM * s for s in (0.38, 0.1, 0.42, 0.1)]
    table = new_table(document, headings, widths)
    rows = 0
    for action in section.actions():
        milestones = action.milestones if model.include_milestones else []
        outcomes = [action.title, action.outcomes]
        if action.leads:
            outcomes.append("Lead: " + "; ".join(action.leads))
        outcomes.append("Update: " + (action.update or NO_UPDATE))
        for index, milestone in enumerate(milestones or [None]):
            cells = add_row(table, widths)
            if milestone is None:
                write_lines(cells[0], [action.title])
            else:
                write_lines(cells[0], [milestone.title, milestone.when_capital])
                if milestone.rag:
                    label = model.rag_label(milestone.rag)
                    _rag_cell(model, cells[1], milestone.rag, label, "")
            if index == 0:
                write_lines(cells[2], [line for line in outcomes if line])
                label = model.action_rag_label(action)
                _rag_cell(model, cells[3], action.rag, label, action.direction or "")
            rows += 1
    _field_table(
        document,
        [
            (name, value)
            for name, value in (
                ("Key Risks to Achieving", section.key_risks),
                ("Key Actions to Mitigate Risk", section.mitigations),
            )
            if value
        ],
    )
    return rows


def _field_table(document: Any, rows: list[tuple[str, str]]) -> None:
    """A priority's named fields as a two-column table whose first column heads each row."""
    if not rows:
        return
    widths = [5.0, TEXT_WIDTH_CM - 5.0]
    table = new_table(document, ["Field", "Value"], widths)
    for name, value in rows:
        head, body = add_row(table, widths)
        write_lines(head, [name], bold=True)
        write_lines(body, value.split("\n"))


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
    from cspdesk.report.docx.figures import performance_section
    from cspdesk.report.docx.funding import funding_section

    document = Document()
    _page_setup(document)
    if large_print:
        document.styles["Normal"].font.size = Pt(12)
    properties = document.core_properties
    properties.title = f"{model.partnership} – {model.title}"
    properties.language = LANGUAGE
    properties.author = model.partnership
    properties.subject = f"Partnership Plan {model.year}, quarter {model.quarter} update"
    properties.comments = WORD_MARK  # lets a later run replace this file, and no other
    _footer(document, f"{model.partnership} – {model.title}")
    _front_matter(document, model)
    _summary(document, model)
    total = len(model.sections)
    for done, section in enumerate(model.sections, start=1):
        document.add_page_break()
        document.add_heading(f"Priority {section.number}: {section.title}", level=1)
        if section.sub_themes:
            document.add_paragraph(section.sub_themes.replace("\n", " · "))
        if layout == "milestones":
            _milestones(document, model, section)
        else:
            _objectives(document, model, section)
        if not section.objectives:
            document.add_paragraph("No actions to report under this priority.")
        if progress is not None:
            progress(done, total)
    if model.performance:
        document.add_page_break()
        performance_section(document, model.performance)
    if model.funding is not None and model.funding.grants:
        document.add_page_break()
        funding_section(document, model.funding)
    write_with(Path(target), lambda temp: document.save(str(temp)))
