"""The committee appendix as a PDF (A4 landscape, reportlab platypus).

Layouts: "objectives" (seed 000: Strategic Objective | Actions | Outcomes / Measures | Lead |
Timescales / Updates | RAG) and "milestones" (seed 004: a priority header block, then Key
Milestones | RAG | Outcomes & Outputs | RAG, then key risks and mitigations).

User text reaches the page in two ways only: as plain lines drawn by ``RowsBlock`` (never parsed
as markup), or through ``para()``, which escapes it first; so typed ``<img>``, ``<a href>`` or
``&`` print as the characters typed. Helvetica (a standard font, not embedded) covers WinAnsi:
"£", "–", "’", "•", "€" print; arrows are drawn (see pdf_blocks.RagMark).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from cspdesk import APP_DISPLAY_NAME
from cspdesk.core.plan import periods
from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.io.atomic import write_with
from cspdesk.report.charts import report_charts
from cspdesk.report.fonts import font_for, markup_fallback
from cspdesk.report.model import RagKey, ReportModel, ReportSection, readable_text_colour
from cspdesk.report.pdf.blocks import BOLD, FONT, HPAD, QuickText, RowsBlock
from cspdesk.report.pdf.crime import crime_flowables
from cspdesk.report.pdf.figures import performance_flowables
from cspdesk.report.pdf.funding import funding_flowables
from cspdesk.report.pdf.outline import Bookmark, show_outline_and_title
from cspdesk.report.pdf.rows import milestone_block, objective_block
from cspdesk.report.pdf.sheet import PAPER, Sheet, sheet_for

Progress = Callable[[int, int], None]
rl_config.useA85 = 0  # see pageCompression below
LAYOUTS = ("objectives", "milestones")
FOOTER_INK = colors.HexColor("#404040")

STYLES = {
    "appendix": ParagraphStyle(
        "appendix", fontName=BOLD, fontSize=14, leading=18, alignment=TA_RIGHT
    ),
    "partnership": ParagraphStyle("partnership", fontName=BOLD, fontSize=20, leading=26),
    "title": ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=22, spaceBefore=6),
    "version": ParagraphStyle("version", fontName=FONT, fontSize=11, leading=15),
    "h2": ParagraphStyle(
        "h2",
        fontName=BOLD,
        fontSize=13,
        leading=17,
        spaceBefore=10,
        spaceAfter=5,
        textColor=colors.HexColor("#1F3864"),
    ),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=5),
    "cell": ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11),
    "cellbold": ParagraphStyle("cellbold", fontName=BOLD, fontSize=9, leading=11),
}


def para(text: str, style: str = "body") -> Paragraph:
    """A Paragraph of user text: escaped, line breaks kept."""
    chosen = STYLES[style]
    markup = markup_fallback(escape(text), bold=chosen.fontName == BOLD)
    return Paragraph(markup.replace("\n", "<br/>"), chosen)


def default_introduction(model: ReportModel) -> str:
    months = periods.QUARTER_MONTHS[model.quarter]
    return (
        f"This appendix reports progress on the actions of the {model.plan_name} of the "
        f"{model.partnership} for the {periods.QUARTER_NAMES[model.quarter]} "
        f"({months}). For each action it gives the lead agency or officer, the update received "
        "this quarter and its RAG status, as defined in the key below."
    )


def _grid(data: list[list[object]], widths: list[float], extra: list[tuple] | None = None) -> Table:
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#7F7F7F")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, 9, 11),
        ("LEFTPADDING", (0, 0), (-1, -1), HPAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), HPAD),
        *(extra or []),
    ]
    return Table(data, colWidths=widths, style=style, hAlign="LEFT")


def _header_style(columns: int) -> list[tuple]:
    return [
        ("BACKGROUND", (0, 0), (columns - 1, 0), colors.HexColor("#1F3864")),
        ("TEXTCOLOR", (0, 0), (columns - 1, 0), colors.white),
        ("FONT", (0, 0), (columns - 1, 0), BOLD, 9, 11),
    ]


def _ink(key: RagKey) -> colors.Color:
    return colors.HexColor(readable_text_colour(key.colour, key.text_colour))


def rag_key_table(model: ReportModel) -> Table:
    data: list[list[object]] = [["Status", "Meaning"]]
    extra = _header_style(2)
    for row, key in enumerate(model.rag_scheme, start=1):
        data.append([key.label, para(key.meaning, "cell")])
        extra += [
            ("BACKGROUND", (0, row), (0, row), colors.HexColor(key.colour)),
            (
                "TEXTCOLOR",
                (0, row),
                (0, row),
                _ink(key),
            ),
            ("FONT", (0, row), (0, row), BOLD, 9, 11),
        ]
    return _grid(data, [90, 400], extra)


def summary_table(model: ReportModel) -> Table:
    codes: list[str | None] = [key.code for key in model.rag_scheme]
    counts = [s.rag_counts() for s in model.sections]
    if any(c.get(None) for c in counts):
        codes.append(None)
    data: list[list[object]] = [["Priority", *(model.rag_label(c) for c in codes), "Total"]]
    extra = _header_style(len(codes) + 2)
    for col, code in enumerate(codes, start=1):
        key = model.rag(code)
        if key:
            extra += [
                ("BACKGROUND", (col, 0), (col, 0), colors.HexColor(key.colour)),
                (
                    "TEXTCOLOR",
                    (col, 0),
                    (col, 0),
                    _ink(key),
                ),
            ]
    for section, count in zip(model.sections, counts, strict=True):
        data.append(
            [para(f"{section.number}. {section.title}", "cell")]
            + [str(count.get(c, 0)) for c in codes]
            + [str(sum(count.values()))]
        )
    totals = [sum(c.get(code, 0) for c in counts) for code in codes]
    data.append(["All priorities", *map(str, totals), str(sum(totals))])
    last = len(data) - 1
    extra += [
        ("FONT", (0, last), (-1, last), BOLD, 9, 11),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
    ]
    return _grid(data, [260] + [58] * (len(codes) + 1), extra)


def front_matter(model: ReportModel, sheet: Sheet) -> list[Flowable]:
    story: list[Flowable] = []
    block = model.title_block
    if block.appendix_label:
        story.append(para(block.appendix_label, "appendix"))
    if block.meeting_line():
        story.append(para(block.meeting_line(), "version"))
    story += [para(model.partnership, "partnership"), para(model.title, "title")]
    if model.version_line:
        story.append(para(model.version_line, "version"))
    story.append(para(model.printed, "version"))
    story.append(para(f"Position {model.as_at}", "version"))
    story.append(Spacer(1, 8))
    story.append(Bookmark("Introduction", "introduction"))
    story.append(para("Introduction", "h2"))
    for block in (model.introduction or default_introduction(model)).split("\n\n"):
        story.append(para(block.strip()))
    story.append(KeepTogether([para("RAG key", "h2"), rag_key_table(model)]))
    story.append(PageBreak())
    story.append(Bookmark("Summary", "summary"))
    story.append(para("Summary", "h2"))
    story.append(summary_table(model))
    for _data, drawing in report_charts(model, width=sheet.frame_width * 0.8, height=175):
        story += [Spacer(1, 10), drawing]
    story.append(PageBreak())
    return story


def priority_header(section: ReportSection, sheet: Sheet) -> list[Flowable]:
    """Seed 004's block: indicators, baseline, target, lead agencies, resources (when given)."""
    fields = [
        ("Performance Indicators", section.indicators),
        ("Baseline", section.baseline),
        ("Target", section.target),
        ("CSP Lead Agencies", section.lead_agencies),
        ("CSP Resources", section.resources),
    ]
    rows = [[para(name, "cellbold"), para(value, "cell")] for name, value in fields if value]
    if not rows:
        return []
    return [_grid(rows, [150, sheet.frame_width - 150]), Spacer(1, 6)]


def risks_table(section: ReportSection, sheet: Sheet) -> list[Flowable]:
    rows = [
        [para(name, "cellbold"), para(value, "cell")]
        for name, value in (
            ("Key Risks to Achieving", section.key_risks),
            ("Key Actions to Mitigate Risk", section.mitigations),
        )
        if value
    ]
    return [Spacer(1, 6), _grid(rows, [150, sheet.frame_width - 150])] if rows else []


def build_story(
    model: ReportModel, layout: str, on_rows: Callable[[int], None], sheet: Sheet | None = None
) -> tuple[list[Flowable], int]:
    """The flowables of the appendix and the number of table rows they hold."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r} (choose {' or '.join(LAYOUTS)})")
    sheet = sheet or Sheet()
    story = front_matter(model, sheet)
    total = 0
    width = sheet.frame_width
    max_height = sheet.frame_height - 40  # room for the header row: no row may be taller
    columns = model.objective_columns()  # once: it walks every action
    for index, section in enumerate(model.sections):
        if index:
            story.append(PageBreak())
        heading = f"Priority {section.number}: {section.title}"
        story.append(Bookmark(heading, f"priority-{section.number}"))
        title = para(heading, "h2")
        title.keepWithNext = True  # never a heading alone at the foot of a page
        story.append(title)
        if section.sub_themes:
            story.append(para(section.sub_themes.replace("\n", " · ")))
        blocks: list[RowsBlock] = []
        if layout == "objectives":
            blocks = [
                objective_block(model, objective, width, max_height, on_rows, columns)
                for objective in section.objectives
            ]
        else:
            story += priority_header(section, sheet)
            blocks = [milestone_block(model, section, width, max_height, on_rows)]
        for block in blocks:
            total += len(block.rows)
            story += [block, Spacer(1, 6)]
        if not section.objectives:
            story.append(para("No actions to report under this priority."))
        if layout == "milestones":
            story += risks_table(section, sheet)
    story += figures_story(model, sheet)
    return story, total


def figures_story(model: ReportModel, sheet: Sheet) -> list[Flowable]:
    """The performance and funding sections, each on a new page (when the model has them)."""
    story: list[Flowable] = []
    if model.performance:
        story += [
            PageBreak(),
            Bookmark("Performance", "performance"),
            *performance_flowables(model.performance, width=sheet.frame_width),
        ]
    if model.crime is not None:
        story += [PageBreak(), Bookmark("Police recorded crime", "crime")]
        story += crime_flowables(model.crime)
    if model.funding is not None and model.funding.grants:
        funding = funding_flowables(model.funding, width=sheet.frame_width)
        story += [PageBreak(), Bookmark("Funding", "funding"), *funding]
    return story


def _numbered_canvas(title: str, partnership: str, sheet: Sheet) -> type[Canvas]:
    left = f"{partnership} – {title}"
    left_font = font_for(left, FONT)

    class NumberedCanvas(Canvas):
        """Defers pages to stamp "Page x of y" once the page count is known."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            show_outline_and_title(self)
            self.setPageSize(PAPER)
            self._pages: list[dict[str, object]] = []

        def setPageSize(self, size: tuple[float, float]) -> None:
            super().setPageSize(PAPER)  # the story is laid out on sheet.page, drawn scaled

        def _make_preamble(self) -> None:
            super()._make_preamble()
            if sheet.scale != 1:
                self._preamble += f" {sheet.scale:.6f} 0 0 {sheet.scale:.6f} 0 0 cm"

        def showPage(self) -> None:
            # Not the list itself: each page holding it would tie the canvas and its thousands
            # of PDF objects into a cycle, left for the garbage collector to walk (a tenth of a
            # second for 5,000 pages).
            state = dict(self.__dict__)
            del state["_pages"]
            self._pages.append(state)
            self._startPage()

        def save(self) -> None:
            count = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(count)
                super().showPage()
            self._pages.clear()
            super().save()

        def _footer(self, count: int) -> None:
            """The title on the left and "Page x of y" on the right, in one text object."""
            y = sheet.bottom / 2
            text = QuickText(self)
            text.setFillColor(FOOTER_INK)
            text.setFont(left_font, 9, 9)
            text.lines_at(sheet.margin, y, [left])
            number = f"Page {self._pageNumber} of {count}"
            text.setFont(FONT, 9, 9)
            right = sheet.page[0] - sheet.margin - stringWidth(number, FONT, 9)
            text.lines_at(right, y, [number])
            self.drawText(text)

    return NumberedCanvas


@paused_gc()  # collections would walk the story's many objects, freeing next to nothing
def write_pdf(
    model: ReportModel,
    target: Path,
    *,
    layout: str = "objectives",
    progress: Progress | None = None,
    large_print: bool = False,
) -> None:
    """Write the appendix to ``target`` (through a temporary file); 12 pt with large_print."""
    sheet = sheet_for(large_print)
    done = 0
    total = 0

    def on_rows(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(min(done, total), total)

    story, total = build_story(model, layout, on_rows, sheet)

    def write(temp: Path) -> None:
        doc = SimpleDocTemplate(
            str(temp),
            pagesize=sheet.page,
            leftMargin=sheet.margin,
            rightMargin=sheet.margin,
            topMargin=sheet.top,
            bottomMargin=sheet.bottom,
            title=f"{model.partnership} – {model.title}",
            author=model.partnership,
            subject=f"Partnership Plan {model.year}, quarter {model.quarter} update",
            creator=APP_DISPLAY_NAME,
            lang="en-GB",
            initialFontName=FONT,  # else every page names an unembedded Helvetica
            # Flate in C is cheaper than the pure-Python ASCII85 filter the default adds (a
            # quarter of the time on 500 actions) and the file is smaller.
            pageCompression=1,
        )
        canvas = _numbered_canvas(model.title, model.partnership, sheet)
        doc.build(story, canvasmaker=canvas)
        # reportlab's template refers to itself, so the canvas it keeps (and with it every PDF
        # object of every page) would wait for the garbage collector: let it go now.
        del doc.canv

    write_with(Path(target), write)
    if progress is not None:
        progress(total, total)
