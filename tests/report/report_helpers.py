"""Shared helpers for the appendix tests: a workspace with hostile text, PDF text extraction."""

from __future__ import annotations

import copy
import datetime as dt
import re
import statistics
import subprocess
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.report.model import ReportModel
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace
from tests.conftest import small_plan_data

TODAY = dt.date(2016, 7, 15)
HOSTILE = (
    '<img src="/etc/hosts"/> & <a href="http://example.org/x">click</a> '
    '<font color="red" size="40">big <b>unclosed &amp; £5 – it’s • done'
)


def hostile_data() -> dict[str, Any]:
    data = copy.deepcopy(small_plan_data())
    plan = data["plans"][0]
    plan["introduction"] = "Intro " + HOSTILE
    priority = plan["priorities"][0]
    priority["title"] = "Safeguarding " + HOSTILE
    priority["indicators"] = "Indicator " + HOSTILE
    action = priority["objectives"][0]["actions"][0]
    action["title"] = "Title " + HOSTILE
    action["updates"][0]["text"] = "Update " + HOSTILE
    action["milestones"][0]["title"] = "Milestone " + HOSTILE
    return data


def make_workspace(path: Path, data: dict[str, Any]) -> Workspace:
    workspace = Workspace.create(path, data["partnership"]["name"])
    workspace.write(load_workspace_data, data)
    return workspace


def model_of(workspace: Workspace, quarter: int = 1, **options: Any) -> ReportModel:
    from cspdesk.commands.common import resolve_plan_id

    plan_id = resolve_plan_id(workspace, None)
    return workspace.read(build_quarter_report, plan_id, quarter, today=TODAY, **options)


def pdf_text(path: Path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(path)
    # Only in Helvetica, used when no TrueType font can be read: reportlab's WinAnsi codec
    # writes "•" as 0x7F (which WinAnsiEncoding also maps to the bullet, PDF 1.7 annex D note
    # 3), and pypdf extracts that as U+007F. In the embedded font pypdf reads "•" itself.
    return reader, [(page.extract_text() or "").replace("\x7f", "•") for page in reader.pages]


def squash(text: str) -> str:
    """Whitespace collapsed, so text wrapped over several lines compares as typed."""
    return re.sub(r"\s+", " ", text).strip()


def median_word_height(pdf: Path) -> float:
    """The median height of the words on the PDF's pages, in points (poppler's word boxes)."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    heights = [
        float(y_max) - float(y_min)
        for y_min, y_max in re.findall(r'<word [^>]*yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', boxes)
    ]
    return statistics.median(heights)
