"""The Word appendix, opened as committee services open it (python-docx reading the file):
A4 landscape, title and language set, Heading 1/2, real tables whose header row repeats, every
action with its RAG in words and colour, charts as pictures with a text alternative, and the
same words as the PDF."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from cspdesk.report.docx import write_docx
from cspdesk.report.model import ReportModel
from cspdesk.report.pdf import write_pdf
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace
from tests.report.report_helpers import pdf_text
from tests.report.test_report_as_at import MARCH, _later_news

WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _q3(workspace: Workspace) -> ReportModel:
    workspace.write(_later_news)
    return workspace.read(build_quarter_report, 1, 3, today=MARCH)


def _cell_text(cell: object) -> str:
    return "\n".join(p.text for p in cell.paragraphs)  # type: ignore[attr-defined]


def _fill(cell: object) -> str | None:
    shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None  # type: ignore[attr-defined]
    return None if shading is None else shading.get(qn("w:fill"))


def _all_words(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [_cell_text(cell) for cell in row.cells]
    parts += [p.text for p in document.sections[0].footer.paragraphs]
    parts += [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    return "\n".join(parts)


def test_the_word_appendix_as_committee_services_open_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    model = _q3(workspace)
    target = tmp_path / "appendix.docx"
    write_docx(model, target)
    document = docx.Document(str(target))

    assert document.core_properties.title == (
        "Test Vale CSP – Partnership Plan 2016/17 – 3rd Quarter Update"
    )
    assert document.core_properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    assert section.page_width > section.page_height >= Cm(20)

    headings = {
        level: [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]
        for level in (1, 2)
    }
    assert headings[1] == [
        "Introduction",
        "Summary",
        "Priority 1: Safeguarding Vulnerable People",
        "Priority 2: Anti-Social Behaviour",
        "Performance",
        "Funding",
    ]
    assert "Strategic Objective: To raise awareness of Domestic abuse" in headings[2]
    assert "Strategic Objective: To reduce ASB in hotspot areas" in headings[2]

    # Every table is a real table whose first row is a header row Word repeats on each page.
    assert len(document.tables) >= 6
    for table in document.tables:
        flag = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert flag is not None and flag.get(qn("w:val")) == "true"

    # Every action, with its RAG in words and the scheme's colour behind it.
    rows = {
        _cell_text(row.cells[0]).split("\n")[0]: row
        for table in document.tables
        if _cell_text(table.rows[0].cells[0]) == "Actions"
        for row in table.rows[1:]
    }
    for printed in model.sections:
        for action in printed.actions():
            row = rows[action.title]
            rag = row.cells[-1]
            assert _cell_text(rag).split("\n")[0] == model.action_rag_label(action)
            key = model.rag(action.rag)
            assert key is not None and _fill(rag) == key.colour.lstrip("#").upper()
    assert "Green (Q1)" in {_cell_text(r.cells[-1]).split("\n")[0] for r in rows.values()}
    # The timescale is set bold, as the PDF and the web page set it; the update is not.
    header = next(t.rows[0] for t in document.tables if _cell_text(t.rows[0].cells[0]) == "Actions")
    updates = [_cell_text(c) for c in header.cells].index("Timescales / Updates")
    timed = [a for printed in model.sections for a in printed.actions() if a.timescale]
    assert timed
    for action in timed:
        first, second = rows[action.title].cells[updates].paragraphs[:2]
        assert first.text == action.timescale
        assert all(run.bold for run in first.runs) and not any(r.bold for r in second.runs)
    j9 = _cell_text(rows["Re-introduce the J9 scheme in both districts"].cells[0])
    assert "J9 training delivered – overdue – due 31 Oct 2016" in j9

    # Charts are pictures that say what they show.
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert described and all(described)
    assert any(d.startswith("Actions by RAG status and priority.") for d in described)

    # The same words as the PDF (the PDF's footer and chart axis numbers aside).
    pdf = tmp_path / "appendix.pdf"
    write_pdf(model, pdf)
    pdf_words = {w.lower() for page in pdf_text(pdf)[1] for w in WORD.findall(page)}
    word_words = {w.lower() for w in WORD.findall(_all_words(document))}
    assert pdf_words - word_words == set()


@pytest.mark.parametrize("layout", ["objectives", "milestones"])
def test_the_report_command_writes_word(workspace_path: Path, tmp_path: Path, layout: str) -> None:
    from tests.cli.runner import run_cli

    target = tmp_path / "appendix.docx"
    result = run_cli(
        "report", "--db", str(workspace_path), "--quarter", "Q1", "--layout", layout,
        "-o", str(target),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "actions written to" in result.stdout
    text = _all_words(docx.Document(str(target)))
    assert "Actively promote Essex wide campaigns" in text and "Joint days of action" in text
    # Written again over its own file; never over someone else's document.
    again = run_cli("report", "--db", str(workspace_path), "--quarter", "Q1", "-o", str(target))
    assert again.returncode == 0, again.stderr
    other = tmp_path / "minutes.docx"
    docx.Document().save(str(other))
    refused = run_cli("report", "--db", str(workspace_path), "--quarter", "Q1", "-o", str(other))
    assert refused.returncode == 1
    assert "is not a report cspdesk wrote for Word" in refused.stderr


def test_dates_in_the_word_appendix_are_as_at_the_quarter(
    workspace: Workspace, tmp_path: Path
) -> None:
    workspace.write(_later_news)
    model = workspace.read(build_quarter_report, 1, 1, today=dt.date(2017, 3, 15))
    target = tmp_path / "q1.docx"
    write_docx(model, target)
    text = _all_words(docx.Document(str(target)))
    assert "as at 30 June 2016" in text
    assert "£1,000" in text and "£1,250.50" not in text and "£2,250.50" not in text
    assert "no figures entered" in text and not re.search(r"\b206\b", text)


def test_large_print_word_sets_every_line_at_12_pt(workspace: Workspace, tmp_path: Path) -> None:
    model = _q3(workspace)
    target = tmp_path / "large.docx"
    write_docx(model, target, large_print=True)
    document = docx.Document(str(target))
    assert document.styles["Normal"].font.size.pt == 12
    sizes = {
        run.font.size.pt
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
        if run.font.size is not None
    }
    assert sizes == set()  # no run smaller than the style it sits in
