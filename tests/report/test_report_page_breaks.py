"""Page breaks a committee clerk would accept, read from the pages as printed (issue 25): a
heading never ends a page alone, no page holds only the closing line, the RAG key is never
split, and a priority's performance table stays with its heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cspdesk.commands.common import resolve_plan_id
from cspdesk.report import write_report
from cspdesk.report.browser import find_browser
from cspdesk.report.model import ReportModel
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.cli.test_report_reprints import add_seed_004_figures_and_funding
from tests.report.report_helpers import pdf_text, squash

FOOTER = re.compile(r"(Page \d+ of \d+)")


def _demo_with_figures(tmp_path: Path) -> ReportModel:
    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    add_seed_004_figures_and_funding(db)
    with Workspace.open(db, read_only=True) as workspace:
        return workspace.read(build_quarter_report, resolve_plan_id(workspace, None), 2)


def _bodies(pdf: Path, model: ReportModel) -> list[str]:
    """Each page's words without its running footer and page number."""
    running = squash(f"{model.partnership} – {model.title}")
    return [
        squash(FOOTER.sub(" ", squash(page).replace(running, " "))) for page in pdf_text(pdf)[1]
    ]


def faults(pages: list[list[str]], model: ReportModel) -> list[str]:
    headings = {f"Priority {s.number}: {s.title}" for s in model.sections}
    headings |= {"Introduction", "RAG key", "Summary", "Performance", "Funding"}
    headings |= {row.priority for row in model.performance}
    found = []
    bodies = [" ".join(lines) for lines in pages]
    for number, body in enumerate(bodies, start=1):
        if body in headings or not body:
            found.append(f"page {number} holds only {body!r}")
        elif pages[number - 1][-1] in headings and number < len(bodies):
            found.append(f"page {number} ends with a heading: {pages[number - 1][-1]!r}")
        if re.fullmatch(rf"{re.escape(squash(model.partnership))}.*\(\w+.*\d{{4}}/\d\d\)\.", body):
            found.append(f"page {number} holds only the closing line")
    key = [k.meaning for k in model.rag_scheme if k.meaning]
    key_pages = {n for n, body in enumerate(bodies) for m in key if squash(m) in body}
    if len(key_pages) > 1:
        found.append(f"the RAG key is split over pages {sorted(key_pages)}")
    for row in model.performance:
        pages = {n for n, body in enumerate(bodies) if row.name in body and row.period in body}
        if pages and not any(row.priority in bodies[n] for n in pages):
            found.append(f"{row.name!r} is printed away from its priority's heading")
    return found


@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large print"])
def test_the_print_pdf_breaks_pages_where_a_clerk_would(tmp_path: Path, large_print: bool) -> None:
    model = _demo_with_figures(tmp_path)
    pdf = tmp_path / "appendix.pdf"
    write_report(model, pdf, large_print=large_print)
    assert faults(_bodies(pdf, model), model) == []


@pytest.mark.skipif(find_browser() is None, reason="no Chromium-based browser to print with")
@pytest.mark.parametrize("large_print", [False, True], ids=["normal", "large print"])
def test_the_accessible_pdf_breaks_pages_where_a_clerk_would(
    tmp_path: Path, large_print: bool
) -> None:
    model = _demo_with_figures(tmp_path)
    pdf = tmp_path / "accessible.pdf"
    write_report(model, pdf, accessible=True, large_print=large_print)
    assert faults(_bodies(pdf, model), model) == []


def test_large_print_keeps_every_word_on_the_page(tmp_path: Path) -> None:
    """The funding tables were laid out for normal print's width, so in large print they ran
    off the left and right of their page."""
    import subprocess

    model = _demo_with_figures(tmp_path)
    pdf = tmp_path / "appendix.pdf"
    write_report(model, pdf, large_print=True)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    words = re.findall(
        r'<word xMin="([-\d.]+)" yMin="[-\d.]+" xMax="([-\d.]+)"[^>]*>([^<]*)', boxes
    )
    outside = [w for x0, x1, w in words if float(x0) < 0 or float(x1) > width]
    assert words and outside == []
