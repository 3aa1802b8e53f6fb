"""The committee appendix as one self-contained, accessible HTML file (WCAG 2.2 AA aims).

reportlab cannot tag a PDF, so this is the version to publish on a council website: real
headings, tables with captions and th/scope, the page language, RAG as words (colour only
repeats them), and each chart as inline SVG with a text alternative and its data table. Every
piece of user text goes through html.escape; the SVG comes from our own drawing code, whose
strings reportlab's SVG renderer escapes.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from itertools import groupby
from pathlib import Path

from cspdesk import APP_DISPLAY_NAME
from cspdesk.core.plan import periods
from cspdesk.core.workspace.plan_tree import paused_gc
from cspdesk.io.atomic import write_with
from cspdesk.report.charts import ChartData, report_charts, to_svg
from cspdesk.report.html.accessible import labelled_svg, scrollable_tables
from cspdesk.report.html.crime import crime_html
from cspdesk.report.html.figures import performance_html
from cspdesk.report.html.funding import funding_html
from cspdesk.report.model import (
    DIRECTION_ARROWS,
    DIRECTION_WORDS,
    LEADS_COLUMN,
    OUTCOMES_COLUMN,
    ReportAction,
    ReportModel,
    ReportObjective,
    ReportSection,
    readable_text_colour,
)
from cspdesk.report.pdf.rows import OBJECTIVE_WIDTHS
from cspdesk.report.pieces import Line, Paper, cut_row, paragraphs

Progress = Callable[[int, int], None]
TABLE = '<table width="100%">'  # the attribute is for Qt's QTextDocument when printing

# Text on paper (printed by a browser, or to the accessible PDF): 10 pt, or 12 pt as large print.
PRINTED_PT = 10
LARGE_PRINT_PT = 12
LARGE_PRINT_CSS = f"@media print{{body{{font-size:{LARGE_PRINT_PT}pt}}}}"
CSS = """
@page{size:A4 landscape;margin:14mm 12mm 16mm;
@bottom-right{content:"Page " counter(page) " of " counter(pages);font:9pt Arial,sans-serif}}
body{font-family:Arial,Helvetica,sans-serif;font-size:100%;line-height:1.4;margin:1.5rem;
color:#1a1a1a;max-width:120rem;overflow-wrap:break-word}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.3rem;color:#1F3864;margin-top:2rem}
.partnership{font-size:1.2rem;font-weight:bold;margin:0}
.appendix{font-size:1.3rem;font-weight:bold;text-align:right;margin:0}
.scroll{overflow-x:auto;margin:.5rem 0 1.5rem}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:bold;padding:.3rem 0;break-inside:avoid;break-after:avoid}
th,td{border:1px solid #7F7F7F;padding:.3rem .4rem;vertical-align:top;text-align:left}
thead th{background:#1F3864;color:#fff}
tbody th{font-weight:bold;background:#F2F2F2}
.rag{display:inline-block;padding:.1rem .4rem;font-weight:bold;border-radius:2px}
.dir{display:block;font-size:.9rem}
.num{text-align:right}
td p{margin:0 0 .3rem}ul{margin:.2rem 0;padding-left:1.2rem}
.figure{margin:1rem 0;break-inside:avoid}.caption{font-style:italic}
.figure svg{max-width:100%;height:auto}
@media screen and (min-width:40rem){.figure svg{width:56rem}.figures .figure svg{width:24rem}}
.figure svg text{font-family:Arial,Helvetica,sans-serif}
.key{width:auto}
@media (max-width:40rem){body{margin:.5rem}}
@media print{body{margin:0;font-size:PRINTED_PTpt;max-width:none}.scroll{overflow:visible}
h1,h2,h3,caption,thead{break-after:avoid}tr,li{break-inside:avoid}
tbody tr:first-child{break-before:avoid}h2+p{break-after:avoid}
.key,.figures table,.figure{break-inside:avoid}footer{break-before:avoid}
td p+ul{break-before:avoid}table.paper{table-layout:fixed}
thead th,tbody th,.rag,.figures td{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
""".replace("PRINTED_PT", str(PRINTED_PT))


def running_footer(title: str) -> str:
    """On paper, the closing line runs at the foot of every page (as in the print PDF), so no
    page can hold it alone; a CSS string, so user text is escaped for CSS."""
    quoted = "".join(c if c.isalnum() or c in " –-,.()/'" else f"\\{ord(c):x} " for c in title)
    return (
        f'@media print{{@page{{@bottom-left{{content:"{quoted}";font:9pt Arial,sans-serif}}}}'
        "footer{display:none}}"
    )


def text(value: str) -> str:
    """User text as HTML: escaped, line breaks kept."""
    return escape(value).replace("\n", "<br>")


def rag_html(
    model: ReportModel, code: str | None, direction: str | None = None, label: str = ""
) -> str:
    """The RAG chip in words and colour ("Green (Q2)" when carried: ``label``)."""
    key = model.rag(code)
    label = escape(label or model.rag_label(code))
    if key is None:
        chip = f'<span class="rag">{label}</span>'
    else:
        colour = readable_text_colour(key.colour, key.text_colour)
        chip = f'<span class="rag" style="background:{key.colour};color:{colour}">{label}</span>'
    if direction in DIRECTION_WORDS:
        arrow = DIRECTION_ARROWS[direction]
        chip += (
            f'<span class="dir"><span aria-hidden="true">{arrow}</span> '
            f"{DIRECTION_WORDS[direction]}</span>"
        )
    return chip


def _svg(data: ChartData, svg: str) -> str:
    return (
        f'<div class="figure">{labelled_svg(svg, data.describe())}'
        f'<p class="caption">{escape(data.title)} (the figures are in the table below).</p>'
        f"</div>"
    )


def chart_table(data: ChartData) -> str:
    head = "".join(f'<th scope="col">{escape(s)}</th>' for s in data.series)
    rows = "".join(
        f'<tr><th scope="row">{escape(cat)}</th>'
        + "".join(f'<td class="num">{data.values[s][c]}</td>' for s in range(len(data.series)))
        + "</tr>"
        for c, cat in enumerate(data.categories)
    )
    return (
        f'<table width="100%"><caption>{escape(data.title)}</caption><thead><tr>'
        f'<th scope="col">Priority</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def front_matter(model: ReportModel, chart_images: list[str] | None = None) -> list[str]:
    from cspdesk.report.pdf import default_introduction

    block = model.title_block
    out = ["<header>"]
    if block.appendix_label:
        out.append(f'<p class="appendix">{text(block.appendix_label)}</p>')
    if block.meeting_line():
        out.append(f"<p>{text(block.meeting_line())}</p>")
    out += [
        f'<p class="partnership">{text(model.partnership)}</p>',
        f"<h1>{text(model.title)}</h1>",
    ]
    if model.version_line:
        out.append(f"<p>{text(model.version_line)}</p>")
    out += [f"<p>{model.printed}</p>", f"<p>Position {model.as_at}</p>"]
    out += ["</header>", "<main>"]
    out.append("<h2>Introduction</h2>")
    for block in (model.introduction or default_introduction(model)).split("\n\n"):
        out.append(f"<p>{text(block.strip())}</p>")
    out.append('<h2>RAG key</h2><table class="key"><caption>What each RAG status means</caption>')
    out.append('<thead><tr><th scope="col">Status</th><th scope="col">Meaning</th></tr></thead>')
    out.append("<tbody>")
    for key in model.rag_scheme:
        out.append(
            f'<tr><th scope="row">{rag_html(model, key.code)}</th><td>{text(key.meaning)}</td></tr>'
        )
    out.append("</tbody></table>")
    out.append("<h2>Summary</h2>")
    for index, (data, drawing) in enumerate(report_charts(model)):
        if chart_images is not None:  # for Qt's QTextDocument, which shows no inline SVG
            out.append(
                f'<p><img src="{escape(chart_images[index])}" width="{int(drawing.width)}" '
                f'alt="{escape(data.describe())}"></p>'
            )
        else:
            out.append(_svg(data, to_svg(drawing)))
        out.append(chart_table(data))
    return out


def _action_cells(model: ReportModel, action: ReportAction) -> dict[str, str]:
    title = f"<p>{text(action.title)}</p>"
    if model.include_milestones and action.milestones:
        items = "".join(
            f"<li>{text(m.title)}"
            + (f" – {escape(m.when)}" if m.when else "")
            + (f" – {escape(model.rag_label(m.rag))}" if m.rag else "")
            + "</li>"
            for m in action.milestones
        )
        title += f"<p>Milestones:</p><ul>{items}</ul>"
    update = text(action.update) if action.update else "No update this quarter."
    timescale = f"<p><strong>{text(action.timescale)}</strong></p>" if action.timescale else ""
    return {
        "Actions": title,
        OUTCOMES_COLUMN: text(action.outcomes),
        LEADS_COLUMN: "<br>".join(text(lead) for lead in action.leads),
        "Timescales / Updates": f"{timescale}<p>{update}</p>",
        "RAG": rag_html(model, action.rag, action.direction, model.action_rag_label(action)),
    }


MM = 72 / 25.4
PAPER_WIDTH = (297 - 24) * MM  # A4 landscape less the @page side margins, in points
PAPER_HEIGHT = (210 - 14 - 16) * MM
HEADER_LINES = 5  # the caption and a header row whose narrow headings wrap


def _paper(columns: tuple[str, ...], size: float) -> Paper:
    share = PAPER_WIDTH / sum(OBJECTIVE_WIDTHS[c] for c in columns)
    return Paper(
        widths={c: OBJECTIVE_WIDTHS[c] * share for c in columns},
        size=size,
        cell_pad=10.6,  # .4rem each side and the rule
        page_lines=int(PAPER_HEIGHT / (size * 1.4)) - HEADER_LINES,
    )


def _piece_html(lines: list[Line]) -> str:
    out: list[str] = []
    for kind, group in groupby(paragraphs(lines), key=lambda paragraph: paragraph[0] == "li"):
        if kind:
            out.append("<ul>" + "".join(f"<li>{text(words)}</li>" for _, words in group) + "</ul>")
            continue
        for style, words in group:
            body = f"<strong>{text(words)}</strong>" if style == "strong" else text(words)
            out.append(f"<p>{body}</p>")
    return "".join(out)


def _printed_rows(
    model: ReportModel, action: ReportAction, columns: tuple[str, ...], size: float
) -> list[dict[str, str]]:
    """The action's row; on paper (``size``), cut into pieces when taller than a page."""
    cells = _action_cells(model, action)
    pieces = cut_row(model, action, _paper(columns, size)) if size else None
    if pieces is None:
        return [cells]
    return [
        {
            **{name: "" for name in cells},
            **{name: _piece_html(lines) for name, lines in piece.items()},
            "RAG": cells["RAG"],
        }
        for piece in pieces
    ]


def objective_table(
    model: ReportModel,
    section: ReportSection,
    objective: ReportObjective,
    columns: tuple[str, ...],
    paper_pt: float = 0,
) -> str:
    """One strategic objective's table; ``columns`` worked out once for the appendix.
    ``paper_pt``: the text size when printed to the accessible PDF, whose columns are then
    fixed (as the print PDF's) and whose rows taller than a page are cut into pieces."""
    head = "".join(f'<th scope="col">{name}</th>' for name in columns)
    rows = []
    for action in objective.actions:
        for piece in _printed_rows(model, action, columns, paper_pt):
            rows.append("".join(f"<td>{piece[c]}</td>" for c in columns if c in piece))
    if not objective.actions:
        rows.append(f'<td colspan="{len(columns) - 1}">No actions to report.</td>')
    first = f'<th scope="rowgroup" rowspan="{len(rows)}">{text(objective.title)}</th>'
    rows[0] = first + rows[0]
    widths, paper = "", ""
    if paper_pt:
        paper = ' class="paper"'
        total = sum(OBJECTIVE_WIDTHS[c] for c in columns)
        widths = "".join(f'<col style="width:{OBJECTIVE_WIDTHS[c] / total:.1%}">' for c in columns)
        widths = f"<colgroup>{widths}</colgroup>"
    return (
        f'<table width="100%"{paper}><caption>Priority {section.number}, strategic '
        f"objective: {text(objective.title)}</caption>{widths}<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(f'<tr>{row}</tr>' for row in rows)}</tbody></table>"
    )


def milestone_tables(model: ReportModel, section: ReportSection) -> str:
    fields = [
        ("Performance Indicators", section.indicators),
        ("Baseline", section.baseline),
        ("Target", section.target),
        ("CSP Lead Agencies", section.lead_agencies),
        ("CSP Resources", section.resources),
    ]
    out = []
    rows = "".join(
        f'<tr><th scope="row">{name}</th><td>{text(value)}</td></tr>'
        for name, value in fields
        if value
    )
    if rows:
        out.append(
            TABLE + f"<caption>Priority {section.number}: indicators and resources</caption>"
            f"<tbody>{rows}</tbody></table>"
        )
    head = (
        '<th scope="col">Key Milestones</th><th scope="col">Milestone RAG</th>'
        '<th scope="col">Outcomes &amp; Outputs</th><th scope="col">Action RAG</th>'
    )
    body = []
    for action in section.actions():
        milestones = action.milestones if model.include_milestones else []
        n = max(len(milestones), 1)
        outcome = (
            f'<td rowspan="{n}"><p><strong>{text(action.title)}</strong></p>'
            f"<p>{text(action.outcomes)}</p><p>Lead: {text('; '.join(action.leads))}</p>"
            f"<p>Update: {text(action.update) if action.update else 'No update this quarter.'}</p>"
            f'</td><td rowspan="{n}">'
            f"{rag_html(model, action.rag, action.direction, model.action_rag_label(action))}</td>"
        )
        if not milestones:
            body.append(f"<tr><td>{text(action.title)}</td><td></td>{outcome}</tr>")
        for index, m in enumerate(milestones):
            when = escape(m.when_capital)
            cells = f"<td>{text(m.title)}<br>{when}</td><td>{rag_html(model, m.rag)}</td>"
            body.append(f"<tr>{cells}{outcome if index == 0 else ''}</tr>")
    out.append(
        TABLE + f"<caption>Priority {section.number}: key milestones and outcomes</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    risks = "".join(
        f'<tr><th scope="row">{name}</th><td>{text(value)}</td></tr>'
        for name, value in (
            ("Key Risks to Achieving", section.key_risks),
            ("Key Actions to Mitigate Risk", section.mitigations),
        )
        if value
    )
    if risks:
        out.append(
            TABLE + f"<caption>Priority {section.number}: key risks</caption>"
            f"<tbody>{risks}</tbody></table>"
        )
    return "".join(out)


def render_html(
    model: ReportModel,
    layout: str = "objectives",
    progress: Progress | None = None,
    chart_images: list[str] | None = None,
    *,
    large_print: bool = False,
    paper: bool = False,
) -> str:
    """The page; ``chart_images`` names image resources to show instead of inline SVG. On
    screen the text follows the reader's browser; ``large_print`` enlarges it on paper.
    ``paper``: for printing to the accessible PDF (rows cut to fit its pages)."""
    title = f"{model.partnership} – {model.title}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{APP_DISPLAY_NAME}">',
        f"<title>{text(title)}</title>",
        f"<style>{CSS}{LARGE_PRINT_CSS if large_print else ''}"
        f"{running_footer(title) if paper else ''}</style>",
        "</head>",
        "<body>",
        *front_matter(model, chart_images),
    ]
    total = len(model.sections)
    columns = model.objective_columns()  # once: it walks every action
    for done, section in enumerate(model.sections, start=1):
        out.append(f'<section aria-labelledby="priority-{section.number}">')
        out.append(
            f'<h2 id="priority-{section.number}">Priority {section.number}: '
            f"{text(section.title)}</h2>"
        )
        if section.sub_themes:
            out.append(f"<p>{text(section.sub_themes)}</p>")
        if layout == "milestones":
            out.append(milestone_tables(model, section))
        else:
            size = (LARGE_PRINT_PT if large_print else PRINTED_PT) if paper else 0
            out += [objective_table(model, section, o, columns, size) for o in section.objectives]
        if not section.objectives:
            out.append("<p>No actions to report under this priority.</p>")
        out.append("</section>")
        if progress is not None:
            progress(done, total)
    if model.performance:
        out.append(performance_html(model.performance))
    if model.crime is not None:
        out.append(crime_html(model.crime))
    if model.funding is not None and model.funding.grants:
        out.append(funding_html(model.funding, style=not model.performance))
    months = periods.QUARTER_MONTHS[model.quarter]
    out += [
        "</main>",
        f"<footer><p>{text(title)} ({months} {model.year}).</p></footer>",
        "</body>",
        "</html>",
        "",
    ]
    return scrollable_tables("\n".join(out))


@paused_gc()  # many small strings and no cycles: collections would find nothing
def write_html(
    model: ReportModel,
    target: Path,
    *,
    layout: str = "objectives",
    progress: Progress | None = None,
    large_print: bool = False,
) -> None:
    page = render_html(model, layout, progress, large_print=large_print)
    write_with(Path(target), lambda temp: temp.write_text(page, encoding="utf-8"))
