"""The merge review shows what `returns apply` shows for the same files: every change, every
note naming a cell not merged, the new work and who completed the return."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QTreeWidgetItemIterator

from cspdesk.commands.returns import describe_diff
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.returns.account import not_merged
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_returns
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs import returns as dialogs


def review_text(dialog: dialogs.ReviewDialog) -> str:
    """Every row of the review, its columns joined by " | ", as the officer reads it."""
    shown = []
    found = QTreeWidgetItemIterator(dialog.tree)
    while found.value():
        item = found.value()
        shown.append(" | ".join(item.text(c) for c in range(dialog.tree.columnCount())))
        found += 1
    return "\n".join(shown)


def test_review_and_command_line_account_for_the_same_cells(  # type: ignore[no-untyped-def]
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    path = made["All partners"]
    book = load_workbook(path)
    book["Cover"]["B8"], book["Cover"]["B9"] = "Rochford District Council", "Jo Bloggs"
    sheet = book["Actions"]
    sheet["G2"], sheet["H2"] = "Campaign two booked", "Purple"
    sheet["G3"] = "Typed beside a milestone"
    sheet["J2"] = "Typed past the last column"
    sheet["C6"], sheet["G6"] = "White Ribbon stall", "Held on 25 November"
    book.save(path)
    diffs, refused = workspace.read(read_returns, [path], plan_id=1)
    assert not refused
    (diff,) = diffs
    dialog = dialogs.ReviewDialog(None, diffs, refused, workspace.read(load_scheme))
    qtbot.addWidget(dialog)
    review = review_text(dialog)
    cli = describe_diff(diff)
    left = not_merged(diff)
    assert len(left) == 3, [f.cell for f in left]  # G3, H2 and J2
    for problem in diff.problems:
        assert f"  note: {problem.describe()}" in cli
        assert problem.describe() in review
    for change in diff.changes:
        assert change.item_title in review
    assert "completed by Rochford District Council, Jo Bloggs" in review
    assert "  completed by Rochford District Council, Jo Bloggs" in cli
    assert "White Ribbon stall" in review and "kept for you to place in the plan" in review
    assert "3 cells of the partners' will not be merged" in dialog.summary.text()
    for fate in left:
        where = f"sheet {fate.cell.sheet!r}, row {fate.cell.row}, column {fate.cell.column}"
        assert where in review and any(where in line for line in cli)
