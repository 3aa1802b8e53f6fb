"""The RAG editor in the tree: only a status the officer picks is saved. Escape on its list, or
leaving it any other way, ends the edit with the plan as it was."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QTreeView

from cspdesk.core.quarter import contributions
from cspdesk.ui.plan_model import Column


def _action(window, *, agreed: bool) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """The first action with (or without) a RAG agreed for the quarter; without one, the tree
    shows the plan's RAG, which saving would turn into an agreed one."""
    window.tree.expandAll()
    read = window.document.workspace.read
    return next(
        key
        for key in window.document.model.index_by_key
        if key[0] == "action" and (read(contributions.agreed_rag, key[1]) is not None) == agreed
    )


def _agreed(window, key: tuple[str, int]) -> str | None:  # type: ignore[no-untyped-def]
    return window.document.workspace.read(contributions.agreed_rag, key[1])


def _rag_list(qtbot, window, key: tuple[str, int]) -> QComboBox:  # type: ignore[no-untyped-def]
    """Ctrl+R on ``key``'s row, as an officer opens it: the editor with its list shown."""
    window.activateWindow()
    qtbot.waitActive(window)
    window.select(key)
    window.tree.setFocus()
    QTest.keyClick(window.tree, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    cell = window.document.model.find(*key).siblingAtColumn(Column.RAG)
    qtbot.waitUntil(lambda: isinstance(window.tree.indexWidget(cell), QComboBox))
    combo = window.tree.indexWidget(cell)
    qtbot.waitUntil(combo.view().isVisible)
    return combo


def _edit_over(qtbot, tree: QTreeView) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState)
    assert not any(box.isVisible() for box in tree.viewport().findChildren(QComboBox))
    assert QApplication.focusWidget() is tree


def test_escape_on_the_rag_list_closes_the_editor_and_home_then_moves_in_the_tree(
    qtbot,  # type: ignore[no-untyped-def]
    window,
) -> None:
    key = _action(window, agreed=True)
    before = _agreed(window, key)
    tree = window.tree
    combo = _rag_list(qtbot, window, key)
    QTest.keyClick(combo.view(), Qt.Key.Key_Escape)
    _edit_over(qtbot, tree)  # the list and the editor, at once
    assert window.current_key() == key and tree.currentIndex().column() == Column.RAG
    # On a drop-down left open behind its list, Home picked "(not set)" and saved it.
    QTest.keyClick(tree, Qt.Key.Key_Home)
    assert tree.currentIndex().column() == Column.TITLE and window.current_key() == key
    QTest.keyClick(tree, Qt.Key.Key_Escape)  # a second Escape: nothing to cancel, no harm
    assert window.current_key() == key and QApplication.focusWidget() is window.tree
    QTest.keyClick(tree, Qt.Key.Key_Down)  # and the arrows move in the tree
    assert window.current_key() != key
    assert _agreed(window, key) == before
    assert not window.document.undo_stack.canUndo()


def test_leaving_the_rag_editor_without_a_pick_saves_nothing(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """F2 on the RAG cell opens the drop-down closed; a click on another row then ends the
    edit. The tree commits an editor it closes that way: the plan's RAG it merely showed must
    not become the quarter's agreed RAG."""
    key = _action(window, agreed=False)
    tree = window.tree
    window.activateWindow()
    qtbot.waitActive(window)
    window.select(key)
    cell = window.document.model.find(*key).siblingAtColumn(Column.RAG)
    tree.setCurrentIndex(cell)
    tree.setFocus()
    QTest.keyClick(tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(tree.indexWidget(cell), QComboBox))
    other = tree.visualRect(tree.indexAbove(cell.siblingAtColumn(Column.TITLE)))
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=other.center())
    _edit_over(qtbot, tree)
    assert window.current_key() != key  # the click moved on, as asked
    assert _agreed(window, key) is None
    assert not window.document.undo_stack.canUndo()


def test_a_status_picked_with_enter_or_a_click_is_saved_in_one_step(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    key = _action(window, agreed=True)
    tree = window.tree
    combo = _rag_list(qtbot, window, key)
    before = combo.currentData()
    QTest.keyClick(combo.view(), Qt.Key.Key_Up)  # the status above the agreed one
    wanted = combo.itemData(combo.view().currentIndex().row())
    assert wanted != before
    QTest.keyClick(combo.view(), Qt.Key.Key_Return)
    _edit_over(qtbot, tree)
    assert _agreed(window, key) == wanted
    assert window.document.undo_stack.count() == 1

    combo = _rag_list(qtbot, window, key)
    view = combo.view()
    red = view.model().index(combo.findData("R"), 0)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(red).center())
    _edit_over(qtbot, tree)
    assert _agreed(window, key) == "R"
    assert window.document.undo_stack.count() == 2


def test_picking_the_agreed_status_again_is_no_step_for_undo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """The list opens on the agreed status, so Enter at once picks it: nothing changes, and the
    steps Redo holds stay."""
    key = _action(window, agreed=True)
    tree, stack = window.tree, window.document.undo_stack
    combo = _rag_list(qtbot, window, key)
    QTest.keyClick(combo.view(), Qt.Key.Key_Up)
    QTest.keyClick(combo.view(), Qt.Key.Key_Return)
    _edit_over(qtbot, tree)
    stack.undo()
    agreed = _agreed(window, key)
    assert stack.canRedo()

    combo = _rag_list(qtbot, window, key)
    assert combo.currentData() == agreed
    QTest.keyClick(combo.view(), Qt.Key.Key_Return)
    _edit_over(qtbot, tree)
    assert _agreed(window, key) == agreed
    assert stack.canRedo() and stack.index() == 0
