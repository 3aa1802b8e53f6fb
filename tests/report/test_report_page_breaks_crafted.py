"""Page breaks in plans made to strain them (issue 25): an update longer than a page, actions
with thirty milestones. Each page is read as printed (pdftotext -layout, page by page): a row
carried over to a page says "(continued)", a milestone's status never starts a page parted from
its milestone, and the rules of test_report_page_breaks (no page ends on a heading or holds only
a heading or the closing line; the RAG key whole) hold too."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cspdesk.report import write_report
from cspdesk.report.browser import find_browser
from cspdesk.report.model import ReportModel
from tests.report.crafted_plans import crafted_plan
from tests.report.report_helpers import make_workspace, model_of
from tests.report.test_report_page_breaks import faults

ROW_START = re.compile(r"^(Action \d+:|Milestone \d+\.\d+:|No actions)")
# Where each layout names its rows: the column, and the column to its right.
COLUMNS = {"objectives": ("Actions", "Outcomes"), "milestones": ("Key Milestones", "Outcomes")}


def layout_pages(pdf: Path) -> list[list[str]]:
    """Each page's lines as poppler lays them out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page.splitlines() for page in text.split("\f")][:-1]


HEADER_WORDS = {"Objective", "Measures", "Agency", "/", "Officer", "Outputs", "Updates", "RAG"}


def body_lines(page: list[str], layout: str) -> list[tuple[str, str]]:
    """Under the header row of the page's first table: each line, with the text in the column
    that names its row ("Actions", "Key Milestones"); [] when no table heads the page."""
    name, right = COLUMNS[layout]
    for index, line in enumerate(page):
        at = f" {line} ".find(f" {name} ")
        end = line.find(right, at + len(name)) if at >= 0 else -1
        if at < 0 or end < 0:
            continue
        lines = [body for body in page[index + 1 :] if body.strip()]
        while lines and set(lines[0].split()) <= HEADER_WORDS:  # the header row's wrapped words
            lines.pop(0)
        return [(body, body[max(at - 2, 0) : end - 1].strip()) for body in lines]
    return []


def column_lines(page: list[str], layout: str) -> list[str]:
    return [cell for _, cell in body_lines(page, layout)]


def break_faults(pdf: Path, layout: str) -> list[str]:
    return page_faults(layout_pages(pdf), layout)


def page_faults(pages: list[list[str]], layout: str) -> list[str]:
    found: list[str] = []
    started: set[str] = set()
    for number, page in enumerate(pages, start=1):
        lines = body_lines(page, layout)
        if lines:
            line, first = lines[0]
            row = ROW_START.match(first)
            head = " ".join(text for text, _ in lines[:4])
            if not first and "(continued)" not in head:
                found.append(f"page {number} carries a row on with no '(continued)': {line!r}")
            elif first and not row:
                found.append(f"page {number} starts inside a row without saying so: {first!r}")
            elif row and row.group(1) in started and "(continued)" not in head:
                found.append(f"page {number} carries on {row.group(1)!r} with no '(continued)'")
        for _, cell in lines:
            row = ROW_START.match(cell)
            if row:
                started.add(row.group(1))
    return found


def _model(tmp_path: Path) -> ReportModel:
    workspace = make_workspace(tmp_path / "crafted.cspdesk", crafted_plan())
    try:
        return model_of(workspace, 1)
    finally:
        workspace.close()


def _pages_text(pdf: Path, model: ReportModel) -> list[list[str]]:
    running = f"{model.partnership} – {model.title}"
    pages = []
    for page in layout_pages(pdf):
        words = [re.sub(r"\s+", " ", line).strip() for line in page]
        words = [w for w in words if w and running not in w and not w.startswith("Page ")]
        pages.append(words)
    return pages


CASES = [
    pytest.param(layout, accessible, large, id=f"{layout}-{kind}-{size}")
    for layout in ("objectives", "milestones")
    for accessible, kind in ((False, "print"), (True, "accessible"))
    for large, size in ((False, "normal"), (True, "large"))
]


@pytest.mark.parametrize(("layout", "accessible", "large_print"), CASES)
def test_crafted_plans_break_pages_where_a_clerk_would(
    tmp_path: Path, layout: str, accessible: bool, large_print: bool
) -> None:
    if accessible and find_browser() is None:
        pytest.skip("no Chromium-based browser to print with")
    model = _model(tmp_path)
    pdf = tmp_path / "appendix.pdf"
    write_report(model, pdf, layout=layout, accessible=accessible, large_print=large_print)
    assert break_faults(pdf, layout) == []
    body_pages = [[line for line in page if line] for page in _pages_text(pdf, model)]
    assert [f for f in faults(body_pages, model) if "ends with a heading" in f or "only" in f] == []


def test_the_page_reader_notices_a_bare_status_and_a_missing_continued() -> None:
    """The reading above can fail: a page starting with a status, or carrying a row on
    silently, is listed."""
    header = "  Strategic Objective   Actions              Outcomes / Measures   RAG"
    pages = [
        [header, "  To act                Action 1: Do it      Safer streets"],
        [header, "                        Sep 2016 – Red"],
        [header, "                        Action 1: Do it"],
        [header, "                                             more of the update"],
        [header, "                        Action 1: Do it", " (continued)"],
    ]
    assert page_faults(pages, "objectives") == [
        "page 2 starts inside a row without saying so: 'Sep 2016 – Red'",
        "page 3 carries on 'Action 1:' with no '(continued)'",
        "page 4 carries a row on with no '(continued)': "
        "'                                             more of the update'",
    ]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice to lay out the .docx")
@pytest.mark.parametrize("layout", ["objectives", "milestones"])
def test_the_word_file_breaks_pages_where_a_clerk_would(tmp_path: Path, layout: str) -> None:
    """The .docx laid out by LibreOffice (as Word lays it out, near enough) and read the same
    way: Word cuts a row taller than a page anywhere, so such rows arrive already cut."""
    model = _model(tmp_path)
    docx = tmp_path / "appendix.docx"
    write_report(model, docx, layout=layout)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    assert break_faults(tmp_path / "appendix.pdf", layout) == []
