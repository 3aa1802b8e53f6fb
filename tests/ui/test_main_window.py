"""The main window driven as a user drives it (offscreen)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox
from sqlalchemy import select

from cspdesk.core.plan.model import Action
from cspdesk.core.quarter.contributions import current_quarter_of
from cspdesk.core.quarter.rule import load_quarters
from cspdesk.ui.plan_model import Column


def action_rag(window, title: str) -> str | None:  # type: ignore[no-untyped-def]
    """The action's RAG this quarter, by the one rule everything reads."""

    def read(s):  # type: ignore[no-untyped-def]
        action_id = s.execute(select(Action.id).where(Action.title == title)).scalar_one()
        quarter = current_quarter_of(s, action_id)
        return load_quarters(s, {action_id: quarter})[action_id].rag.code

    return window.document.workspace.read(read)


def first_action_index(window) -> QModelIndex:  # type: ignore[no-untyped-def]
    model = window.document.model
    plan = model.index(0, 0)
    window.tree.expandAll()
    objective = model.index(0, 0, model.index(0, 0, plan))
    return model.index(0, 0, objective)


def test_edit_rag_inline_then_undo_and_redo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    title = "Actively promote Essex wide campaigns"
    assert action_rag(window, title) == "G"
    cell = first_action_index(window).siblingAtColumn(Column.RAG)
    window.activateWindow()
    window.tree.setFocus()
    window.tree.setCurrentIndex(cell)
    qtbot.keyClick(window.tree, Qt.Key.Key_F2)
    editor = window.tree.indexWidget(cell) or window.tree.focusWidget()
    qtbot.waitUntil(lambda: isinstance(window.tree.focusWidget(), QComboBox))
    editor = window.tree.focusWidget()
    labels = [editor.itemText(i) for i in range(editor.count())]
    assert "Red" in labels and "Amber" in labels  # labels, not colour alone
    editor.setCurrentIndex(editor.findData("R"))
    editor.activated.emit(editor.currentIndex())
    qtbot.waitUntil(lambda: action_rag(window, title) == "R")
    assert cell.data() == "Red"
    assert window.undo_action.text() == "&Undo Set Q1 RAG"
    window.undo_action.trigger()
    assert action_rag(window, title) == "G"
    assert cell.data() == "Green"
    window.redo_action.trigger()
    assert action_rag(window, title) == "R"


def test_add_action_with_insert_key(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    action = first_action_index(window)
    window.activateWindow()
    window.tree.setFocus()
    window.tree.setCurrentIndex(action)
    count = window.document.model.rowCount(action.parent())
    qtbot.keyClick(window.tree, Qt.Key.Key_Insert)
    assert window.document.model.rowCount(action.parent()) == count + 1
    new_index = window.tree.currentIndex()
    assert new_index.data() == "New action" and new_index.row() == 1
    qtbot.waitUntil(lambda: window.tree.state() == window.tree.State.EditingState)
    editor = window.tree.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Chelsea's Choice drama in schools")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            window.document.workspace.read(
                lambda s: s.execute(
                    select(Action.id).where(Action.title == "Chelsea's Choice drama in schools")
                ).scalar()
            )
            is not None
        )
    )
    window.undo_action.trigger()  # the rename
    window.undo_action.trigger()  # the add
    assert window.document.model.rowCount(action.parent()) == count


def test_move_action_by_drag_and_drop(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    model = window.document.model
    action = first_action_index(window)
    title = action.data()
    other_priority = model.index(1, 0, model.index(0, 0))
    target_objective = model.index(0, 0, other_priority)
    mime = model.mimeData([action])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, target_objective)
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, other_priority)
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, target_objective)
    moved = model.index(0, 0, target_objective)
    assert moved.data() == title
    objective_id = window.document.workspace.read(
        lambda s: s.execute(select(Action.objective_id).where(Action.title == title)).scalar_one()
    )
    assert objective_id == model.node(target_objective).id
    window.undo_action.trigger()
    assert first_action_index(window).data() == title


def test_filter_box(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(window.filter_bar.text, "hotspot")
    model = window.document.model
    plan = model.index(0, 0)
    assert model.rowCount(plan) == 1
    assert model.index(0, 0, plan).data() == "Anti-Social Behaviour"
    # "hotspot" is in an objective's title: its one action shows.
    assert window.filter_bar.matches.text() == (
        "1 action shown · matched in 1 objective: To reduce ASB in hotspot areas"
    )
    assert window.filter_bar.matches.toolTip() == "Objective: To reduce ASB in hotspot areas"
    window.filter_bar.text.clear()
    assert model.rowCount(plan) == 2


def test_detail_pane_saves_long_field_on_focus_out(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    action = first_action_index(window)
    window.tree.setCurrentIndex(action)
    editor = window.detail.editors["outcomes"]
    window.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    editor.setPlainText("Three DA campaigns promoted")
    window.tree.setFocus()
    qtbot.waitUntil(
        lambda: (
            window.document.workspace.read(
                lambda s: s.execute(
                    select(Action.outcomes).where(
                        Action.id == window.document.model.node(action).id
                    )
                ).scalar_one()
            )
            == "Three DA campaigns promoted"
        )
    )
    window.undo_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.detail.editors["outcomes"].toPlainText()
            == "Two DA campaigns promoted within the year"
        )
    )


def test_window_remembers_geometry(qtbot, workspace_path) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.store.db import Workspace
    from cspdesk.ui.main_window import MainWindow

    first = MainWindow(Workspace.open(workspace_path))
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 520)
    qtbot.waitUntil(lambda: first.size().width() == 760)
    first.splitter.setSizes([500, 260])
    sizes = first.splitter.sizes()
    first.close()
    second = MainWindow(Workspace.open(workspace_path))
    qtbot.addWidget(second)
    second.show()
    assert (second.size().width(), second.size().height()) == (760, 520)
    assert second.splitter.sizes() == sizes
    assert second.files.recent.paths()[0] == workspace_path.resolve()
    second.close()


def history_rows(qtbot, window) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(who, to) of each row of the detail pane's history box, opened."""
    from PySide6.QtWidgets import QGroupBox, QTreeWidget

    qtbot.waitUntil(
        lambda: any(
            b.title().startswith("History (") for b in window.detail.findChildren(QGroupBox)
        )
    )
    box = next(b for b in window.detail.findChildren(QGroupBox) if b.title().startswith("History"))
    box.setChecked(True)
    table = box.findChild(QTreeWidget)
    return [
        (table.topLevelItem(i).text(2), table.topLevelItem(i).text(5))
        for i in range(table.topLevelItemCount())
    ]


def test_detail_pane_shows_the_action_history(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    action = first_action_index(window)
    node = window.document.model.node(action)
    window.document.edit_field("action", node.id, "timescale", "Q1-4 (extended)")
    window.tree.setCurrentIndex(action)
    assert "Q1-4 (extended)" in [to for _who, to in history_rows(qtbot, window)]


def test_the_filter_has_the_focus_at_start_and_tab_goes_on_to_the_tree(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    bar = window.filter_bar
    qtbot.waitUntil(lambda: bar.text.hasFocus())
    assert not window.tree.currentIndex().isValid()  # no row chosen for the officer
    walked = []
    for _ in range(3):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        walked.append(window.focusWidget())
    assert walked == [bar.lead, bar.rag, window.tree]


def test_the_frame_shows_before_a_plan_then_takes_one(qtbot, workspace_path) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.store.db import Workspace
    from cspdesk.ui.main_window import MainWindow

    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.show_opening(workspace_path)
    frame.show()
    qtbot.waitExposed(frame)
    assert frame.windowTitle().startswith(f"{workspace_path.name} – ")
    assert frame.statusBar().currentMessage() == f"Opening {workspace_path.name}…"
    assert frame.document is None and not frame.reload_if_changed_elsewhere()
    frame.set_workspace(Workspace.open(workspace_path))
    assert frame.document is not None and frame.document.model.rowCount() >= 1
    assert frame.statusBar().currentMessage() == ""
    assert window_has_menus(frame, "&Quarter", "F&igures")
    qtbot.waitUntil(lambda: frame.filter_bar.text.hasFocus())
    frame.close()


def window_has_menus(window, *titles: str) -> bool:  # type: ignore[no-untyped-def]
    shown = {a.text() for a in window.menuBar().actions() if a.isVisible()}
    return set(titles) <= shown


def test_ctrl_s_says_that_every_change_is_already_saved(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == (
        "Every change is saved as you make it: nothing is waiting to be saved."
    )
    assert window.document.undo_stack.count() == 0
