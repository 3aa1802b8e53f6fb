"""What Word's accessibility checker checks, checked on the Word appendix as written (issue 25):
the checker cannot run here, so this reads the .docx as it does. Every picture has alternative
text; every table has a header row that repeats and no merged cells; headings go down one level
at a time; the document's title and language are set; no empty paragraph is used for spacing;
text on every RAG or header shading has at least 4.5:1 contrast."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from cspdesk.commands.common import resolve_plan_id
from cspdesk.report.docx import write_docx
from cspdesk.report.model import contrast
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.cli.test_report_reprints import add_seed_004_figures_and_funding

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _demo_docx(tmp_path: Path, layout: str, large_print: bool) -> Path:
    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    add_seed_004_figures_and_funding(db)
    with Workspace.open(db, read_only=True) as workspace:
        model = workspace.read(build_quarter_report, resolve_plan_id(workspace, None), 2)
    target = tmp_path / "appendix.docx"
    write_docx(model, target, layout=layout, large_print=large_print)
    return target


def checker_findings(path: Path) -> list[str]:
    """What Word's accessibility checker would list for the document, in its own terms."""
    document = docx.Document(str(path))
    body = document.element.body
    found: list[str] = []
    if not (document.core_properties.title or "").strip():
        found.append("Missing document title")
    language = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    if language is None or not language.get(qn("w:val")) or not document.core_properties.language:
        found.append("Missing document language")
    for picture in body.iter(DOC_PR):
        if not (picture.get("descr") or "").strip():
            found.append(f"Missing alternative text: picture {picture.get('name')!r}")
    for number, tbl in enumerate(body.iter(f"{W}tbl"), start=1):
        rows = tbl.findall(f"{W}tr")
        if not rows or rows[0].find(f"{W}trPr/{W}tblHeader") is None:
            found.append(f"Table {number}: no header row that repeats")
        if tbl.find(f".//{W}gridSpan") is not None or tbl.find(f".//{W}vMerge") is not None:
            found.append(f"Table {number}: merged cells")
        if tbl.find(f".//{W}tc//{W}tbl") is not None:
            found.append(f"Table {number}: a table inside a table (layout)")
    levels = [
        int(p.style.name.split()[-1])
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith("Heading ")
    ]
    previous = 0
    for level in levels:
        if level > previous + 1:
            found.append(f"Heading levels skipped: Heading {previous} then Heading {level}")
        previous = level
    if not levels:
        found.append("No headings")
    for p in body.findall(f"{W}p"):  # paragraphs of the body, outside tables
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if not text.strip() and p.find(f".//{DOC_PR}") is None:
            found.append("Empty paragraph used for spacing")
    for tc in body.iter(f"{W}tc"):
        shading = tc.find(f"{W}tcPr/{W}shd")
        fill = shading.get(qn("w:fill")) if shading is not None else "auto"
        background = "#FFFFFF" if fill in (None, "auto") else f"#{fill}"
        for run in tc.iter(f"{W}r"):
            colour = run.find(f"{W}rPr/{W}color")
            ink = "#000000" if colour is None else f"#{colour.get(qn('w:val'))}"
            if ink == "#auto":
                ink = "#000000"
            words = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if words.strip() and contrast(ink, background) < 4.5:
                found.append(f"Hard-to-read text contrast: {words!r} {ink} on {background}")
    return found


@pytest.mark.parametrize(
    ("layout", "large_print"),
    [("objectives", False), ("milestones", False), ("objectives", True)],
    ids=["objectives", "milestones", "large print"],
)
def test_word_accessibility_checker_would_find_nothing(
    tmp_path: Path, layout: str, large_print: bool
) -> None:
    path = _demo_docx(tmp_path, layout, large_print)
    assert checker_findings(path) == []


def test_the_checker_here_can_fail(tmp_path: Path) -> None:
    """Each check notices what it checks for: a document with each fault is listed."""
    document = docx.Document()
    document.add_heading("Skips", 2)
    document.add_paragraph("")
    document.add_table(rows=2, cols=2).cell(0, 0).merge(document.tables[0].cell(0, 1))
    path = tmp_path / "faulty.docx"
    document.save(str(path))
    found = " | ".join(checker_findings(path))
    for fault in (
        "Missing document title",
        "Missing document language",
        "no header row",
        "merged cells",
        "Heading levels skipped",
        "Empty paragraph",
    ):
        assert fault in found
