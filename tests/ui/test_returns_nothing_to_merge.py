"""Quarter › Import partner returns… with a return that brings nothing: the review says so,
merging adds no undo step and records nothing, and the status bar says what truly happened."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
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
