"""`cspdesk report` as a user runs it: a real process writing a real PDF and HTML file."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

pytestmark = pytest.mark.both_engines


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def test_report_writes_pdf_and_html_by_extension(workspace_path: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "appendix.pdf"
    result = run(
        "report",
        "--db",
        str(workspace_path),
        "--quarter",
        "Q1",
        "--year",
        "2016/17",
        "-o",
        str(pdf),
        "--layout",
        "milestones",
    )
    assert result.returncode == 0, result.stderr
    assert "3 actions" in result.stdout
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Key Milestones" in text
    html = tmp_path / "appendix.html"
    result = run("report", "--db", str(workspace_path), "--quarter", "1", "-o", str(html))
    assert result.returncode == 0, result.stderr
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not list(tmp_path.glob("*.part"))


def test_report_refuses_unknown_format_and_missing_plan(
    workspace_path: Path, tmp_path: Path
) -> None:
    result = run("report", "--db", str(workspace_path), "--quarter", "Q1", "-o", "x.odt")
    assert result.returncode == 1
    assert "ending in .pdf, .html or .docx" in result.stderr
    result = run(
        "report",
        "--db",
        str(workspace_path),
        "--quarter",
        "Q1",
        "--year",
        "2030/31",
        "-o",
        str(tmp_path / "a.pdf"),
    )
    assert result.returncode == 1
    assert "no plan for 2030/31" in result.stderr
    assert not (tmp_path / "a.pdf").exists()


def test_title_block_is_printed_and_remembered_for_the_workspace(
    workspace_path: Path, tmp_path: Path
) -> None:
    from tests.cli.runner import run_cli

    db = str(workspace_path)
    first = tmp_path / "q1.pdf"
    result = run_cli(
        "report", "--db", db, "--quarter", "Q1", "-o", str(first),
        "--appendix-label", "Appendix A",
        "--committee", "Community Safety Partnership Board",
        "--meeting-date", "2016-11-24",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    later = tmp_path / "q1.html"
    assert run_cli("report", "--db", db, "--quarter", "Q1", "-o", str(later)).returncode == 0
    for text in (
        " ".join(PdfReader(first).pages[0].extract_text().split()),
        " ".join(re.sub(r"<[^>]+>", " ", later.read_text(encoding="utf-8")).split()),
    ):
        assert (
            "Appendix A Community Safety Partnership Board, 24 November 2016 Test Vale CSP "
            "Partnership Plan 2016/17 – 1st Quarter Update Version 1 – June 2016 Printed "
        ) in text
        # the partnership's name is not run into the plan's ("… Partnership Partnership Plan")
        assert "the actions of the Partnership Plan 2016/17 of the Test Vale CSP for the" in text
    refused = run_cli(
        "report", "--db", db, "--quarter", "Q1", "-o", str(tmp_path / "x.pdf"),
        "--meeting-date", "next Tuesday",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "meeting date 'next Tuesday': give it as 2016-11-24" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_demo_introduction_reads_as_a_sentence(tmp_path: Path) -> None:
    from tests.cli.runner import run_cli

    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    out = tmp_path / "demo.pdf"
    assert run_cli("report", "--db", str(db), "--quarter", "Q2", "-o", str(out)).returncode == 0
    text = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Community organisations, including Castle Point Borough Council," in text
    assert "including: " not in text and not text.rstrip().endswith("including:")


def test_print_pdf_body_text_is_9_pt_and_chart_bars_say_their_status(tmp_path: Path) -> None:
    from tests.cli.runner import run_cli

    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    out = tmp_path / "demo.pdf"
    assert run_cli("report", "--db", str(db), "--quarter", "Q2", "-o", str(out)).returncode == 0
    reader = PdfReader(out)
    for page in reader.pages[2:]:  # the action tables (the chart pages hold axis labels)
        sizes = {float(m) for m in re.findall(rb" ([\d.]+) Tf", page.get_contents().get_data())}
        assert sizes and min(sizes) >= 9, sizes
    chart_page = reader.pages[1].extract_text()
    for label in ("12 Green", "2 Amber", "3 Grey", "1 Red", "1 Blue"):
        assert label in chart_page, label  # readable in greyscale, not by colour alone


def printed_sizes(page: PageObject) -> set[float]:
    """The sizes text is printed at on ``page``, in points on paper (scaling included)."""
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            # The text's height whatever its angle (a bar's label is drawn turned 90°).
            sizes.add(round(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]), 1))

    page.extract_text(visitor_text=visit)
    return sizes


def test_large_print_sets_the_text_at_12_pt_on_a4(tmp_path: Path) -> None:
    from tests.cli.runner import run_cli

    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    normal, large = tmp_path / "normal.pdf", tmp_path / "large.pdf"
    for out, extra in ((normal, []), (large, ["--large-print"])):
        result = run_cli("report", "--db", str(db), "--quarter", "Q2", "-o", str(out), *extra)
        assert result.returncode == 0, result.stderr
    pages = PdfReader(large).pages
    assert len(pages) > len(PdfReader(normal).pages)
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in pages} == {(842, 595)}
    assert min(printed_sizes(PdfReader(normal).pages[2])) == 9
    assert min(printed_sizes(pages[3])) == 12
    # Chart text (issue 25: 4.5-6 pt) is at least 8 pt on paper, 12 pt in large print.
    summary_normal = PdfReader(normal).pages[1]
    assert "Actions by RAG status and priority" in summary_normal.extract_text()
    assert min(printed_sizes(summary_normal)) >= 8
    summary_large = next(p for p in pages if "Actions by RAG status" in p.extract_text())
    assert min(printed_sizes(summary_large)) >= 12
    text = " ".join(page.extract_text() for page in pages)
    assert f"Page {len(pages)} of {len(pages)}" in text


def test_the_title_block_belongs_to_its_quarter_and_is_frozen_when_closed(
    workspace_path: Path, tmp_path: Path
) -> None:
    """Issue 25: reprinting Q1 after Q3 stamped Q1 with February's meeting."""
    from tests.cli.runner import run_cli

    db = str(workspace_path)

    def first_page(quarter: str, *extra: str) -> str:
        out = tmp_path / f"{quarter}.pdf"
        result = run_cli("report", "--db", db, "--quarter", quarter, "-o", str(out), *extra)
        assert result.returncode == 0, result.stderr
        return " ".join(PdfReader(out).pages[0].extract_text().split())

    july = first_page(
        "Q1", "--committee", "Safer Communities Committee", "--meeting-date", "2016-07-21",
        "--version-line", "Version 2 – July 2016",
    )  # fmt: skip
    assert "Safer Communities Committee, 21 July 2016" in july and "Version 2 – July 2016" in july
    february = first_page(
        "Q3", "--meeting-date", "9 February 2017", "--version-line", "Version 3 – January 2017"
    )
    assert "Safer Communities Committee, 9 February 2017" in february  # the committee carried
    assert "Version 3 – January 2017" in february and "Version 2" not in february
    assert first_page("Q1") == july  # Q1 reprinted: Q1's meeting and version
    assert run_cli("close-quarter", "--db", db, "--quarter", "Q1").returncode == 0
    refused = run_cli(
        "report", "--db", db, "--quarter", "Q1", "-o", str(tmp_path / "changed.pdf"),
        "--meeting-date", "2017-03-01",
    )  # fmt: skip
    assert refused.returncode == 1
    assert "1st Quarter" in refused.stderr and "is closed" in refused.stderr
    assert "21 July 2016" in refused.stderr and "reopen the quarter" in refused.stderr
    assert not (tmp_path / "changed.pdf").exists()
    assert "21 July 2016" in first_page("Q1")  # as it was sent
