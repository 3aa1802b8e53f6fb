"""`cspdesk report` as a user runs it: a real process writing a real PDF and HTML file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

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
    result = run("report", "--db", str(workspace_path), "--quarter", "Q1", "-o", "x.docx")
    assert result.returncode == 1
    assert "ending in .pdf or .html" in result.stderr
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
