"""The RAG set in the tree is the RAG the report, the checker and the export show."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from cspdesk.store.db import Workspace
from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.plan_model import Column
from tests.cli.runner import run_cli

J9 = "Re-introduce the J9 scheme in both districts"


def find(model, title: str):  # type: ignore[no-untyped-def]
    """The model index of the item titled ``title`` (depth first)."""
    stack = [model.index(r, 0) for r in range(model.rowCount())]
    while stack:
        index = stack.pop()
        if index.data() == title:
            return index
        stack.extend(model.index(r, 0, index) for r in range(model.rowCount(index)))
    raise LookupError(title)


def test_inline_rag_reaches_report_checker_and_export(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    window = MainWindow(Workspace.open(db))
    qtbot.addWidget(window)
    model = window.document.model
    cell = find(model, J9).siblingAtColumn(Column.RAG)
    assert cell.data() == "Green"
    assert model.setData(cell, "R")  # what the inline RAG editor commits
    assert cell.data() == "Red"
    window.close()

    report = tmp_path / "q1.pdf"
    assert run_cli("report", "--db", str(db), "--quarter", "Q1", "-o", str(report)).returncode == 0
    text = " ".join(page.extract_text() for page in PdfReader(report).pages)
    row = re.sub(r"\s+", " ", text).split("Re-introduce the J9 scheme", 1)[1]
    row = row.split("Family event")[0]  # the next action
    assert row.endswith("J9 Training sessions booked for October Red "), row

    found = json.loads(run_cli("check", "--db", str(db), "--quarter", "Q1", "--json").stdout)
    about_j9 = [f["message"] for f in found if f["path"].endswith("Re-introduce the J9 scheme…")
                or "J9 scheme" in f["path"]]  # fmt: skip
    assert not any(m.startswith("Green but") for m in about_j9), about_j9

    export = tmp_path / "plan.xlsx"
    assert run_cli("export-xlsx", "--db", str(db), "-o", str(export)).returncode == 0
    book = load_workbook(export, read_only=True)
    rows = [
        [c for c in row if c is not None]
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        if J9 in row
    ]
    assert rows and all("Red" in row and "Green" not in row for row in rows), rows
