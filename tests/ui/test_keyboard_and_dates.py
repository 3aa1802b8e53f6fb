"""By keyboard alone, and dates as officers type them (issue 28, items 3, 4, 5 and 9)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QMessageBox

from cspdesk.core.plan.model import Action, Milestone
from cspdesk.core.quarter import contributions
from cspdesk.ui.date_field import DateField
from cspdesk.ui.plan_model import Column


def _first(window, kind: str) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    return next(key for key in window.document.model.index_by_key if key[0] == kind)


def _focused_name() -> str:
    widget = QApplication.focusWidget()
    return "" if widget is None else widget.accessibleName()


def test_tab_walks_the_whole_action_pane_without_being_trapped_in_a_date(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    window.select(_first(window, "action"))
    window.detail.editors["title"].setFocus()
    names = []
    for _ in range(14):
        names.append(_focused_name() or QApplication.focusWidget().__class__.__name__)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    for wanted in ("Start", "Due", "Agreed Q1 RAG", "Your Q1 summary"):
        assert wanted in names, names
    assert names.count("Start") == 1  # one Tab stop: not day, month, year


def test_dates_typed_as_officers_write_them(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    key = _first(window, "action")
    window.select(key)
    due = window.detail.editors["due_date"]
    assert isinstance(due, DateField)
    read = lambda: window.document.workspace.read(lambda s: s.get(Action, key[1]).due_date)  # noqa: E731
    for typed in ("15/12/2016", "15 Dec 2016"):
        window.select(key)
        due = window.detail.editors["due_date"]
        due.setDate(None)
        due.text.setText(typed)
        due.text.editingFinished.emit()
        assert read() == dt.date(2016, 12, 15), typed
        qtbot.wait(10)
    window.select(key)
    due = window.detail.editors["due_date"]
    due.text.setText("Not set15Dec2016")
    due.text.editingFinished.emit()
    assert read() == dt.date(2016, 12, 15)  # refused: nothing changed
    assert due.text.text() == "Not set15Dec2016"  # what was typed is kept to correct
    due.text.setText("")
    due.text.editingFinished.emit()
    assert read() is None  # blank: not set


def test_the_calendar_opens_near_the_plans_year(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.select(_first(window, "milestone"))
    done = window.detail.editors["done_date"]
    done.setDate(None)  # not done yet: the calendar opens in the plan's year, not 1900 or now
    assert done.make_calendar().selectedDate().year() == 2016


def test_a_milestones_due_date_is_edited_in_the_tree(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    key = _first(window, "milestone")
    model = window.document.model
    cell = model.find(*key).siblingAtColumn(Column.TIMESCALE)
    assert cell.flags() & Qt.ItemFlag.ItemIsEditable
    read = lambda: window.document.workspace.read(lambda s: s.get(Milestone, key[1]).due_date)  # noqa: E731
    assert model.setData(cell, "15 Dec 2016")
    assert read() == dt.date(2016, 12, 15)
    assert model.find(*key).siblingAtColumn(Column.TIMESCALE).data() == "15 Dec 2016"
    assert not model.setData(cell, "the week after next")
    assert read() == dt.date(2016, 12, 15)
    assert said and "not a date" in said[0] and "not changed" in said[0]


def test_the_rag_is_set_by_keyboard_alone(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    key = _first(window, "action")
    window.select(key)
    window.tree.setFocus()
    QTest.keyClick(window.tree, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    combo = QApplication.focusWidget()
    combo.hidePopup()
    red = combo.findData("R")
    combo.setCurrentIndex(red)
    combo.activated.emit(red)  # as Enter on the list does
    QTest.keyClick(combo, Qt.Key.Key_Return)
    agreed = window.document.workspace.read(contributions.agreed_rag, key[1])
    assert agreed == "R"


def test_a_click_on_the_selected_row_does_not_start_a_rename(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    key = _first(window, "action")
    window.select(key)
    title = window.document.model.index_by_key[key].title
    rect = window.tree.visualRect(window.tree.currentIndex())
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    QTest.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    assert window.tree.state() != QAbstractItemView.State.EditingState
    window.editing.add_child_action.trigger()  # Ctrl+Ins: a milestone under it, its title to type
    QTest.keyClicks(QApplication.focusWidget(), "Venue booked")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    titles = lambda: window.document.workspace.read(  # noqa: E731
        lambda s: [m.title for m in s.query(Milestone).filter_by(action_id=key[1])]
    )
    qtbot.waitUntil(lambda: "Venue booked" in titles())
    assert window.document.workspace.read(lambda s: s.get(Action, key[1]).title) == title


def test_ctrl_z_in_a_text_box_with_nothing_of_its_own_undoes_the_plan(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    key = _first(window, "action")
    window.select(key)
    before = window.document.workspace.read(lambda s: s.get(Action, key[1]).title)
    window.document.edit_field("action", key[1], "title", "Changed elsewhere in the window")
    qtbot.wait(50)  # the pane shows the item afresh: its boxes have no typing to undo
    box = window.detail.editors["outcomes"]
    box.setFocus()
    QTest.keyClicks(box, "x")
    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "x" not in box.toPlainText()[-1:]  # the box's own typing first
    QTest.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.workspace.read(lambda s: s.get(Action, key[1]).title) == before


def test_left_and_home_bring_the_keyboard_back_to_the_title_after_ctrl_r(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    key = _first(window, "action")
    window.select(key)
    tree = window.tree
    tree.setFocus()

    def rag_list_closed() -> None:
        QTest.keyClick(tree, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        cell = window.document.model.find(*key).siblingAtColumn(Column.RAG)
        qtbot.waitUntil(lambda: isinstance(tree.indexWidget(cell), QComboBox))
        combo = tree.indexWidget(cell)
        qtbot.waitUntil(combo.view().isVisible)
        QTest.keyClick(combo.view(), Qt.Key.Key_Escape)  # one Escape: the list and the editor
        qtbot.waitUntil(lambda: QApplication.focusWidget() is tree)
        assert tree.currentIndex().column() == Column.RAG
        assert window.selected_keys() == [key]  # Ctrl held for Ctrl+R did not unselect it

    rag_list_closed()
    columns = []
    for _ in range(3):  # cell by cell, as in a table: timescale, lead, title
        QTest.keyClick(tree, Qt.Key.Key_Left)
        columns.append(tree.currentIndex().column())
    assert columns == [Column.TIMESCALE, Column.LEADS, Column.TITLE]
    assert window.current_key() == key  # the same item all along, still the one selected
    assert window.selected_keys() == [key]
    QTest.keyClick(tree, Qt.Key.Key_F2)  # the title is the cell edited now
    qtbot.waitUntil(lambda: tree.state() == QAbstractItemView.State.EditingState)
    assert tree.itemDelegate().editing.column() == Column.TITLE
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tree)

    rag_list_closed()
    QTest.keyClick(tree, Qt.Key.Key_Home)  # the title at once
    assert tree.currentIndex().column() == Column.TITLE and window.current_key() == key
    QTest.keyClick(tree, Qt.Key.Key_Home)  # on the title: the tree's own Home, the first item
    assert tree.currentIndex().row() == 0 and not tree.currentIndex().parent().isValid()
