"""Deletes that take more than the row pointed at ask first, naming what goes (Cancel is the
default); the rest go at once. Enter in Workspace settings adds nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMessageBox,
    QPushButton,
)
from sqlalchemy import func, select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import ActionLead, Agency, Objective, Officer
from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog


def answer(qtbot: Any, choice: str, seen: list[tuple[str, str]]) -> None:
    """Once the question shows: note its text and default button, then press ``choice``
    ("Enter" presses the default button, as the key does)."""
    tries = [0]

    def respond() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            tries[0] += 1
            if tries[0] < 100:
                QTimer.singleShot(20, respond)
            return
        seen.append((box.text(), box.defaultButton().text()))
        if choice == "Enter":
            qtbot.keyClick(box, Qt.Key.Key_Return)
        else:
            next(b for b in box.buttons() if b.text() == choice).click()

    QTimer.singleShot(0, respond)


def never_asked(monkeypatch: Any) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()))
    return asked


def settings(qtbot: Any, window: Any, page: str) -> WorkspaceSettingsDialog:
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.show_page(page)
    return dialog


def pick(table: Any, name: str) -> None:
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == name)
    table.setCurrentCell(row, 0)


def police_state(window: Any) -> tuple[list[str], int, int | None]:
    """Agency names, Essex Police's leads, and Emma Clark's agency id."""

    def read(session: Any) -> tuple[list[str], int, int | None]:
        names = list(session.execute(select(Agency.name).order_by(Agency.name)).scalars())
        leads = session.execute(
            select(func.count())
            .select_from(ActionLead)
            .join(Agency, Agency.id == ActionLead.agency_id)
            .where(Agency.name == "Essex Police")
        ).scalar_one()
        emma = session.execute(select(Officer.agency_id).where(Officer.name == "Emma Clark"))
        return names, leads, emma.scalar_one()

    return window.document.workspace.read(read)


def test_deleting_an_agency_in_use_asks_naming_what_uses_it(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    before = police_state(window)
    assert before[1] == 1 and before[2] is not None
    dialog = settings(qtbot, window, "Agencies")
    pick(dialog.agencies, "Essex Police")
    seen: list[tuple[str, str]] = []
    answer(qtbot, "Enter", seen)
    dialog._delete(dialog.agencies, "agency")
    assert seen == [
        (
            "Essex Police leads 1 action and has 1 officer. Delete it? The action loses this "
            "lead and the officer named for it; the officer keeps no agency.",
            "Cancel",
        )
    ]
    assert police_state(window) == before  # Enter is Cancel: nothing changed

    answer(qtbot, "Delete", seen)
    dialog._delete(dialog.agencies, "agency")
    names, leads, emma_agency = police_state(window)
    assert "Essex Police" not in names and leads == 0 and emma_agency is None
    dialog.close()
    assert window.undo_action.text().replace("&", "") == "Undo Delete agency"
    window.undo_action.trigger()
    assert police_state(window) == before


def test_deleting_an_officer_who_leads_asks(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = settings(qtbot, window, "Officers")
    pick(dialog.officers, "Emma Clark")
    seen: list[tuple[str, str]] = []
    answer(qtbot, "Cancel", seen)
    dialog._delete(dialog.officers, "officer")
    assert seen == [
        ("Emma Clark leads 1 action. Delete Emma Clark? The action loses this lead.", "Cancel")
    ]
    officers = window.document.workspace.read(
        lambda s: list(s.execute(select(Officer.name).order_by(Officer.name)).scalars())
    )
    assert officers == ["Emma Clark", "Graham Browne"]


def test_an_unused_agency_goes_without_asking_and_focus_leaves_the_button(
    qtbot, window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = never_asked(monkeypatch)
    window.document.apply(ops.add_row, "agency", name="New agency")
    dialog = settings(qtbot, window, "Agencies")
    delete_button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Delete agency")
    delete_button.setFocus()
    pick(dialog.agencies, "New agency")
    qtbot.mouseClick(delete_button, Qt.MouseButton.LeftButton)
    assert asked == []
    assert "New agency" not in police_state(window)[0]
    # Space no longer presses Delete again on the next row.
    assert dialog.focusWidget() is dialog.agencies


def test_enter_adds_no_row_and_an_added_row_is_shown_in_edit(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = settings(qtbot, window, "Agencies")
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    before = police_state(window)[0]
    tab_bar = dialog.tabs.tabBar()
    tab_bar.setFocus()
    qtbot.keyClick(tab_bar, Qt.Key.Key_Return)
    assert police_state(window)[0] == before
    assert dialog.isVisible()

    dialog._add("agency")
    table = dialog.agencies
    assert table.currentItem().text() == "New agency"
    assert table.state() == QAbstractItemView.State.EditingState
    assert table.visualItemRect(table.currentItem()).intersects(table.viewport().rect())


def test_del_on_an_objective_asks_with_the_counts_and_says_what_went(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    title = "To raise awareness of Domestic abuse"
    objective = window.document.workspace.read(
        lambda s: s.execute(select(Objective.id).where(Objective.title == title)).scalar_one()
    )
    key = ("objective", objective)
    window.tree.expandAll()
    window.select(key)
    window.tree.setFocus()
    seen: list[tuple[str, str]] = []
    answer(qtbot, "Enter", seen)
    qtbot.keyClick(window.tree, Qt.Key.Key_Delete)
    question = (
        f"Delete the objective '{title}' with 2 actions, 2 milestones and 2 quarterly updates?"
    )
    assert seen == [(question, "Cancel")]
    assert key in window.document.model.index_by_key

    answer(qtbot, "Delete", seen)
    window.delete_selected()  # the box left no window active offscreen: Del would go nowhere
    assert len(seen) == 2
    assert key not in window.document.model.index_by_key
    assert window.statusBar().currentMessage() == (
        f"Deleted the objective '{title}' with 2 actions, 2 milestones and 2 quarterly "
        "updates. Undo with Ctrl+Z."
    )
    window.undo_action.trigger()
    assert key in window.document.model.index_by_key


def test_a_leaf_action_goes_at_once_and_is_named(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked = never_asked(monkeypatch)
    action = next(
        node for node in window.document.model.root.walk() if node.title == "Joint days of action"
    )
    window.tree.expandAll()
    window.select(action.key)
    window.delete_selected()
    assert asked == []
    assert action.key not in window.document.model.index_by_key
    assert window.statusBar().currentMessage() == (
        "Deleted the action 'Joint days of action'. Undo with Ctrl+Z."
    )


def test_a_renamed_row_stays_selected_where_it_sorts(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = settings(qtbot, window, "Agencies")
    dialog._add("agency")
    table = dialog.agencies
    editor = table.indexWidget(table.currentIndex())
    assert isinstance(editor, QLineEdit) and editor.text() == "New agency"
    editor.setText("Zeta Trust")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on the next turn of the event loop.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    current = table.currentItem()
    assert current is not None and current.text() == "Zeta Trust"
    assert current.row() == table.rowCount() - 1
