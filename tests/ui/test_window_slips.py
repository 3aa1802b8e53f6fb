"""Small untruths and slips of the window a tester found driving it by keyboard: an editor
opened only to refuse its save, edits done without a word, a question asked before a refusal,
a delete that took one row of several, a RAG changed by an arrow key."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
)
from sqlalchemy import select

from cspdesk.core.plan.model import Agency, Milestone, Plan
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.store.db import Workspace
from cspdesk.ui.plan_model import Column


def _errors(window: Any) -> list[str]:
    said: list[str] = []
    window.document.error.disconnect()
    window.document.error.connect(said.append)
    return said


def _first_action(window: Any) -> Any:
    window.tree.expandAll()
    return next(node for node in window.document.model.root.walk() if node.kind == "action")


def _press_f2_on(qtbot: Any, window: Any, key: tuple[str, int], column: Column) -> None:
    window.select(key)
    index = window.document.model.find(*key).siblingAtColumn(column)
    window.tree.setCurrentIndex(index)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_F2)


def _read_only_window(qtbot: Any, workspace_path: Any) -> Any:
    from cspdesk.ui.main_window import MainWindow

    main = MainWindow(Workspace.open(workspace_path, read_only=True))
    qtbot.addWidget(main)
    return main


def _read_only_settings(
    qtbot: Any, workspace_path: Any, monkeypatch: Any
) -> tuple[Any, list[str], list[str]]:
    """Workspace settings of a workspace open read-only; the questions asked, what was told."""
    asked = _never_asked(monkeypatch)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    return _settings(qtbot, _read_only_window(qtbot, workspace_path)), asked, told


def _plan_id(window: Any) -> int:
    return window.document.workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())


@pytest.mark.parametrize("column", [Column.TITLE, Column.RAG, Column.TIMESCALE])
def test_f2_on_a_plan_kept_read_only_opens_no_editor_and_says_why_once(
    qtbot, window, column
) -> None:  # type: ignore[no-untyped-def]
    said = _errors(window)
    assert window.document.edit_field("plan", _plan_id(window), "read_only", True)
    action = _first_action(window)
    _press_f2_on(qtbot, window, action.key, column)
    assert window.tree.state() != QAbstractItemView.State.EditingState
    assert window.statusBar().currentMessage() == (
        "The 2016/17 plan is kept read-only for the record: it cannot be changed."
    )
    assert said == []  # said once, in the status bar: no box after it


def test_a_double_click_on_a_plan_kept_read_only_opens_no_editor(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert window.document.edit_field("plan", _plan_id(window), "read_only", True)
    action = _first_action(window)
    index = window.document.model.find(*action.key)
    window.tree.scrollTo(index)
    rect = window.tree.visualRect(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.tree.state() != QAbstractItemView.State.EditingState
    assert "kept read-only" in window.statusBar().currentMessage()


def test_f2_on_a_closed_quarters_rag_is_refused_but_the_title_opens(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    said = _errors(window)
    window.document.workspace.write(close_quarter, _plan_id(window), 1, advance=False)
    window.document.reload()
    action = _first_action(window)
    _press_f2_on(qtbot, window, action.key, Column.RAG)
    assert window.tree.state() != QAbstractItemView.State.EditingState
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Q1 2016/17 is closed: what was reported is frozen.")
    )
    window.editing.rag_action.trigger()  # Ctrl+R: the same refusal, no list opened
    assert window.tree.state() != QAbstractItemView.State.EditingState
    # A title belongs to no quarter: it may still be edited.
    _press_f2_on(qtbot, window, action.key, Column.TITLE)
    assert window.tree.state() == QAbstractItemView.State.EditingState
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert said == []


def test_f2_in_a_workspace_open_read_only_says_so(qtbot, workspace_path) -> None:  # type: ignore[no-untyped-def]
    main = _read_only_window(qtbot, workspace_path)
    main.show()
    qtbot.waitExposed(main)
    action = _first_action(main)
    main.select(action.key)
    main.editing.rename_action.trigger()  # F2's (a second window here is never active)
    assert main.tree.state() != QAbstractItemView.State.EditingState
    message = main.statusBar().currentMessage()
    assert message.endswith("changes cannot be saved.") and message[0].isupper()


def test_ctrl_r_on_an_objective_says_an_objective(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    objective = next(n for n in window.document.model.root.walk() if n.kind == "objective")
    window.select(objective.key)
    window.editing.rag_action.trigger()
    assert window.statusBar().currentMessage() == "An objective has no RAG to set here."


# ---- delete: the refusals first, then one question for everything selected ----


def _never_asked(monkeypatch: Any) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()))
    return asked


def _answer_delete(monkeypatch: Any) -> list[str]:
    """Every question answered Delete; their texts noted."""
    asked: list[str] = []

    def exec_(box: QMessageBox) -> int:
        asked.append(box.text())
        box.button_clicked = next(b for b in box.buttons() if b.text() == "Delete")
        monkeypatch.setattr(box, "clickedButton", lambda: box.button_clicked)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def test_delete_in_a_plan_kept_read_only_is_refused_before_any_question(
    qtbot, window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    said = _errors(window)
    asked = _never_asked(monkeypatch)
    assert window.document.edit_field("plan", _plan_id(window), "read_only", True)
    window.tree.expandAll()
    objective = next(n for n in window.document.model.root.walk() if n.kind == "objective")
    window.select(objective.key)
    window.delete_selected()
    assert asked == [] and said == []
    assert objective.key in window.document.model.index_by_key
    assert window.statusBar().currentMessage() == (
        "The 2016/17 plan is kept read-only for the record: it cannot be changed. "
        "Nothing was deleted."
    )


def test_delete_with_several_rows_selected_deletes_them_all_in_one_step(
    qtbot, window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = _answer_delete(monkeypatch)
    window.tree.expandAll()
    milestones = [n for n in window.document.model.root.walk() if n.kind == "milestone"][:2]
    selection = window.tree.selectionModel()
    selection.clearSelection()
    for node in milestones:
        index = window.document.model.find(*node.key)
        selection.select(
            index,
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    window.delete_selected()
    assert asked == ["Delete 2 milestones?"]
    assert not any(n.key in window.document.model.index_by_key for n in milestones)
    assert window.statusBar().currentMessage() == "Deleted 2 milestones. Undo with Ctrl+Z."
    window.undo_action.trigger()  # one step puts both back
    assert all(n.key in window.document.model.index_by_key for n in milestones)


def _settings(qtbot: Any, window: Any) -> Any:
    from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog

    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_page("Agencies")
    return dialog


def _agency_names(window: Any) -> list[str]:
    return window.document.workspace.read(
        lambda s: list(s.execute(select(Agency.name).order_by(Agency.name)).scalars())
    )


def test_delete_agency_with_several_selected_deletes_them_all_after_one_question(
    qtbot, window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    before = _agency_names(window)
    dialog = _settings(qtbot, window)
    table = dialog.agencies
    chosen = ["Essex Police", before[0] if before[0] != "Essex Police" else before[1]]
    table.clearSelection()
    for row in range(table.rowCount()):
        if table.item(row, 0).text() in chosen:
            table.selectionModel().select(  # added to the selection, as by Ctrl+click
                table.model().index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
    assert {name for _key, name in table.selected_rows()} == set(chosen)
    asked = _answer_delete(monkeypatch)
    hints: list[str] = []
    monkeypatch.setattr(QMessageBox, "setInformativeText", lambda box, text: hints.append(text))
    dialog._delete(table, "agency")
    assert len(asked) == 1 and asked[0].startswith("Delete 2 agencies: ")
    assert hints == ["Edit > Undo Delete 2 agencies in the main window puts it all back."]
    assert "Essex Police leads 1 action" in asked[0]
    assert _agency_names(window) == [n for n in before if n not in chosen]
    dialog.close()
    assert window.undo_action.text().replace("&", "") == "Undo Delete 2 agencies"
    window.undo_action.trigger()
    assert _agency_names(window) == before


def test_delete_agency_in_a_read_only_workspace_says_so_before_asking(
    qtbot, workspace_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    dialog, asked, told = _read_only_settings(qtbot, workspace_path, monkeypatch)
    dialog.agencies.selectRow(0)
    dialog._delete(dialog.agencies, "agency")
    assert asked == []
    assert len(told) == 1 and told[0].endswith("changes cannot be saved.")


# ---- what was done is said: reopen, import plan (restore and police: their own tests) ----


def _drive_modal(kind: type, act: Any) -> None:
    """Once a modal dialog of ``kind`` shows, ``act`` on it."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def test_reopen_quarter_says_what_was_reopened(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.dialogs.quarter import ReopenQuarterDialog

    window.document.workspace.write(close_quarter, _plan_id(window), 1)

    def reopen(dialog: ReopenQuarterDialog) -> None:
        dialog.reason.setPlainText("A late return from the police")
        dialog.confirm.setChecked(True)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    _drive_modal(ReopenQuarterDialog, reopen)
    window.features.reopen_quarter()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith(
            "Q1 2016/17 reopened (the reason is kept in its history): its updates can be changed"
        )
    )


def test_import_plan_says_what_was_imported(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.dialogs.import_plan import ImportPlanDialog
    from tests.io.xlsx_fixtures import seed_000_layout

    path = seed_000_layout(tmp_path / "legacy.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))

    def accept(dialog: ImportPlanDialog) -> None:
        dialog.year_edit.setText("2020/21")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    _drive_modal(ImportPlanDialog, accept)
    window.features.import_plan()
    said = window.statusBar().currentMessage()
    assert said.startswith("Imported the 2020/21 plan from legacy.xlsx: ")
    assert "priorit" in said and said.endswith("Undo with Ctrl+Z.")


# ---- the details pane's drop-downs change only by a pick from their open list ----


def _milestone_rag(window: Any, node: Any) -> Any:
    return window.document.workspace.read(
        lambda s: s.execute(select(Milestone.rag).where(Milestone.id == node.id)).scalar_one()
    )


def test_arrows_after_escape_on_the_rag_list_change_nothing_they_open_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    milestone = next(n for n in window.document.model.root.walk() if n.kind == "milestone")
    window.select(milestone.key)
    combo = window.detail.editors["rag"]
    before, steps = _milestone_rag(window, milestone), window.document.undo_stack.count()
    combo.setFocus()
    combo.showPopup()
    qtbot.waitUntil(combo.view().isVisible)
    qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_End, Qt.Key.Key_G):
        qtbot.keyClick(combo, key)
        assert _milestone_rag(window, milestone) == before
        assert combo.view().isVisible()  # the list opens, showing what would change
        combo.hidePopup()
    assert window.document.undo_stack.count() == steps
    # A pick from the open list is saved, as one undo step.
    combo.showPopup()
    qtbot.waitUntil(combo.view().isVisible)
    row = (combo.currentIndex() + 1) % combo.count()
    combo.view().setCurrentIndex(combo.model().index(row, 0))
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _milestone_rag(window, milestone) == combo.itemData(row))
    assert window.document.undo_stack.count() == steps + 1


def test_arrows_on_the_agreed_rag_and_the_current_quarter_change_nothing(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    action = _first_action(window)
    window.select(action.key)
    box = window.detail.quarter_box
    steps = window.document.undo_stack.count()
    box.agreed.setFocus()
    qtbot.keyClick(box.agreed, Qt.Key.Key_Down)
    assert box.agreed.view().isVisible()
    box.agreed.hidePopup()
    window.select(("plan", _plan_id(window)))
    quarter = window.detail.editors["current_quarter"]
    shown = quarter.currentIndex()
    qtbot.keyClick(quarter, Qt.Key.Key_Down)
    assert quarter.currentIndex() == shown and quarter.view().isVisible()
    quarter.hidePopup()
    assert window.document.undo_stack.count() == steps


def test_the_details_of_a_plan_kept_read_only_say_why_before_any_typing(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    assert window.document.edit_field("plan", _plan_id(window), "read_only", True)
    action = _first_action(window)
    window.select(action.key)
    notes = [
        label.text()
        for label in window.detail.findChildren(QLabel)
        if label.objectName() == "detailRefusal"
    ]
    assert notes == ["The 2016/17 plan is kept read-only for the record: it cannot be changed."]
    assert not any(editor.isEnabled() for editor in window.detail.editors.values())


def test_merge_in_a_read_only_workspace_says_so_before_asking(
    qtbot, workspace_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    dialog, asked, told = _read_only_settings(qtbot, workspace_path, monkeypatch)
    for row in (0, 1):
        dialog.agencies.selectionModel().select(
            dialog.agencies.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    dialog._merge_selected(dialog.agencies, "agency")
    assert asked == []
    assert len(told) == 1 and told[0].endswith("changes cannot be saved.")


@pytest.mark.parametrize("how", ["sibling", "child"])
def test_adding_to_a_plan_kept_read_only_adds_nothing_and_says_why_first(
    qtbot, window, how
) -> None:  # type: ignore[no-untyped-def]
    said = _errors(window)
    assert window.document.edit_field("plan", _plan_id(window), "read_only", True)
    action = _first_action(window)
    before = len(list(window.document.model.root.walk()))
    window.select(action.key)
    editing = window.editing
    (editing.add_sibling_action if how == "sibling" else editing.add_child_action).trigger()
    assert len(list(window.document.model.root.walk())) == before
    assert window.tree.state() != QAbstractItemView.State.EditingState
    assert window.statusBar().currentMessage() == (
        "The 2016/17 plan is kept read-only for the record: it cannot be changed."
    )
    assert said == []  # no box after an item appeared and went
