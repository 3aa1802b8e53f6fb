"""Quarter › Import partner returns… with a return that brings nothing: the review says so,
merging adds no undo step and records nothing, and the status bar says what truly happened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from cspdesk.returns.chase import chase_list
from cspdesk.returns.make import make_returns
from cspdesk.ui.dialogs import returns as dialogs

BLANK = (
    "Nothing to merge: 2016-17 Q1 return – Essex Police.xlsx holds nothing written by "
    "Essex Police (is it the file you sent?)"
)


def import_returns(window, monkeypatch, paths: list[Path]) -> str:  # type: ignore[no-untyped-def]
    """Choose ``paths`` in the menu's file dialog, merge what the review shows; the review's
    summary."""
    shown: list[str] = []

    def choose(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        return [str(p) for p in paths], ""

    def merge(dialog: dialogs.ReviewDialog) -> QDialog.DialogCode:
        shown.append(dialog.summary.text())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.QFileDialog, "getOpenFileNames", choose)
    monkeypatch.setattr(dialogs.ReviewDialog, "exec", merge)
    (item,) = [a for a in window.quarter_menu.actions() if "Import partner returns" in a.text()]
    item.trigger()
    return shown[0]


def statuses(window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = window.document.workspace.read(chase_list, 1, 1, dt.date(2016, 8, 1))
    return {row.lead: row.state for row in rows}


def test_a_blank_return_is_not_merged_and_its_lead_still_chased(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch, tmp_path: Path
) -> None:
    workspace = window.document.workspace
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    stack = window.document.undo_stack

    summary = import_returns(window, monkeypatch, [made["Essex Police"]])
    assert summary.startswith(f"{BLANK}. 1 return, 0 changes")
    assert window.statusBar().currentMessage() == f"{BLANK}."
    assert stack.count() == 0  # nothing to undo: nothing was done
    assert statuses(window)["Essex Police"] == "late"

    # The partner fills it in: merged, one undo step, said with what was merged.
    book = load_workbook(made["Essex Police"])
    book["Actions"]["G2"] = "Two days of action held in Rayleigh"
    book.save(made["Essex Police"])
    import_returns(window, monkeypatch, [made["Essex Police"], made["Rochford District Council"]])
    assert window.statusBar().currentMessage() == (
        "Merged 2 changes from 1 partner return and saved (Edit › Undo Merge partner returns "
        "takes them back). Nothing to merge: 2016-17 Q1 return – Rochford District Council.xlsx "
        "holds nothing written by Rochford District Council (is it the file you sent?)."
    )
    assert stack.count() == 1 and stack.undoText() == "Merge partner returns"
    assert statuses(window)["Essex Police"] == "returned"
    assert statuses(window)["Rochford District Council"] == "late"

    # The same file again: nothing new, and still one undo step.
    summary = import_returns(window, monkeypatch, [made["Essex Police"]])
    today = f"{dt.datetime.now(dt.UTC):%d/%m/%Y}"
    again = f"Nothing new in 2016-17 Q1 return – Essex Police.xlsx (merged on {today})"
    assert summary.startswith(f"{again}. 1 return, 0 changes")
    assert window.statusBar().currentMessage() == f"{again}."
    assert stack.count() == 1


def test_a_blank_version_after_a_filled_one_is_a_decision_left_unticked(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch, tmp_path: Path
) -> None:
    """The original re-saved and sent after the filled return was merged: its withdrawals
    are shown unticked, saying why, and merging as shown takes nothing back."""
    import shutil

    from tests.returns.test_partner_habits import fill

    workspace = window.document.workspace
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    first, blank = tmp_path / "first.xlsx", tmp_path / "blank.xlsx"
    shutil.copy(made["Essex Police"], first)
    fill(first, {"G2": "Two days of action held in Rayleigh"}, saved=dt.datetime(2016, 7, 10, 9))
    shutil.copy(made["Essex Police"], blank)
    fill(blank, {}, saved=dt.datetime(2016, 7, 11, 9))
    import_returns(window, monkeypatch, [first])
    stack = window.document.undo_stack
    assert stack.count() == 1

    seen: list[tuple[str, list[tuple[bool, str]]]] = []

    def choose(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        return [str(blank)], ""

    def merge(dialog: dialogs.ReviewDialog) -> QDialog.DialogCode:
        top = dialog.tree.topLevelItem(0)
        rows = [top.child(i) for i in range(top.childCount())]
        ticks = [
            (row.checkState(0) == Qt.CheckState.Checked, row.text(dialog.NOTE)) for row in rows
        ]
        seen.append((dialog.summary.text(), ticks))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.QFileDialog, "getOpenFileNames", choose)
    monkeypatch.setattr(dialogs.ReviewDialog, "exec", merge)
    (item,) = [a for a in window.quarter_menu.actions() if "Import partner returns" in a.text()]
    item.trigger()

    summary, ticks = seen[0]
    words = (
        "blank.xlsx holds nothing written by Essex Police and would take back everything "
        "first.xlsx said (merged on "
    )
    assert summary.startswith(words) and "unless you tick its withdrawals" in summary, summary
    assert ticks and all(not ticked and note.startswith(words) for ticked, note in ticks), ticks
    assert "1 conflict" in summary or f"{len(ticks)} conflicts" in summary, summary
    said = window.statusBar().currentMessage()
    assert said.startswith(words) and said.endswith(": nothing was merged."), said
    assert stack.count() == 1  # nothing taken back, nothing to undo
    assert statuses(window)["Essex Police"] == "returned"
