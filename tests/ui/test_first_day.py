"""The window as a new officer finds it: first day and a normal week (issue 18), offscreen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTabBar,
)
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.store.db import Workspace
from cspdesk.store.demo import create_demo_workspace
from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.plan_model import Column

LONE_AMPERSAND = re.compile(r"&(?!\w)")  # "&x" is a shortcut marker, "&&" a literal "&"


def lone_ampersand(text: str) -> bool:
    return bool(LONE_AMPERSAND.search(text.replace("&&", "")))


def open_window(qtbot, path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(Workspace.open(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.cspdesk"
    create_demo_workspace(path).close()
    return path


def walk(model, parent=None):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from walk(model, index)


def index_of(window: MainWindow, title: str):  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    return next(i for i in walk(window.document.model) if i.data() == title)


# ---- first day ----


def test_demo_shows_its_last_objective_and_judges_overdue_as_at_the_quarter_end(
    qtbot,  # type: ignore[no-untyped-def]
    demo_path: Path,
) -> None:
    window = open_window(qtbot, demo_path)
    model = window.document.model
    assert model.headerData(Column.TITLE, Qt.Orientation.Horizontal) == (
        "Title · overdue as at 30 June 2016"
    )
    objective = index_of(window, "Reduce dwelling burglaries")
    action = model.index(0, 0, objective)
    assert action.data().startswith("Support for Operation Insight")
    assert action.siblingAtColumn(Column.LEADS).data() == "Essex Police"
    # Opened years later, a milestone due in October 2016 is not overdue at the end of Q1.
    j9 = index_of(window, "J9 training sessions")
    assert j9.siblingAtColumn(Column.TIMESCALE).data() == "31 Oct 2016"


def test_checker_and_chase_list_say_which_date_they_judge_on(qtbot, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_path)
    for key in ("checker", "chase"):
        window.features.docks[key].show()
        window.features.docks[key].raise_()
        qtbot.waitUntil(lambda key=key: key in window.features.panes)
    window.features.docks["checker"].raise_()
    qtbot.wait(100)
    checker = window.features.panes["checker"]
    assert "(as at 30 June 2016)" in checker.summary.text()
    assert not any("overdue" in f.message for f in checker.findings)
    chase = window.features.panes["chase"]
    # Q1's returns are chased during Q2: late or not as at its end; the heading says why that
    # is not the tree's and the checker's date, and names theirs (one truth, both dates).
    header = window.document.model.headerData(0, Qt.Orientation.Horizontal)
    assert header.endswith("overdue as at 30 June 2016")
    assert chase.heading.text() == (
        "Q1 partner returns, late or not as at 30 September 2016: they are due after Q1 ends "
        "and chased during Q2. The plan's milestones are judged overdue as at 30 June 2016, "
        "as its Q1 report prints them."
    )
    assert window.features.docks["checker"].height() >= 200  # a useful height, not a sliver


def test_close_quarter_moves_the_date_and_keeps_the_place(qtbot, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_path)
    window.tree.collapseAll()
    objective = index_of(window, "Reduce dwelling burglaries")
    window.tree.collapseAll()
    window.tree.expand(objective.parent().parent())
    window.tree.expand(objective.parent())
    window.tree.expand(objective)
    action = window.document.model.index(0, 0, objective)
    window.select(window.document.model.node(action).key)
    key = window.current_key()
    change = window.document.workspace.write(close_quarter, 1, 1)
    window.features._push(change, "Close quarter")
    model = window.document.model
    assert model.headerData(Column.TITLE, Qt.Orientation.Horizontal).endswith(
        "as at 30 September 2016"
    )
    assert window.current_key() == key
    again = model.find(*key)
    assert window.tree.isExpanded(again.parent())
    assert window.tree.isExpanded(again.parent().parent())
    assert [model.node(i).key for i in window.tree.selectionModel().selectedRows()] == [key]
    # As at 30 September the October milestone is still not overdue; one due in September is.
    assert index_of(window, "J9 training sessions").siblingAtColumn(Column.TIMESCALE).data() == (
        "31 Oct 2016"
    )


def test_report_says_as_at_which_date(demo_path: Path, tmp_path: Path) -> None:
    from cspdesk.cli import main

    out = tmp_path / "q1.html"
    assert main(["report", "--db", str(demo_path), "--quarter", "Q1", "-o", str(out)]) == 0
    assert "<p>Position as at 30 June 2016</p>" in out.read_text(encoding="utf-8")


def test_empty_workspace_says_what_to_do_first(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "new.cspdesk"
    Workspace.create(path, "Test Vale CSP").close()
    window = open_window(qtbot, path)
    hint = window.empty_hint
    assert hint.isVisible()
    assert "no plan yet" in hint.label.text()
    assert hint.import_button.text() == "Import a plan from Excel…"
    hint.add_button.click()
    qtbot.waitUntil(lambda: window.tree.state() == window.tree.State.EditingState)
    assert not hint.isVisible()
    assert window.current_key()[0] == "priority"
    assert window.tree.currentIndex().data() == "New priority"


def test_next_start_opens_the_workspace_used_last(
    qtbot,  # type: ignore[no-untyped-def]
    workspace_path: Path,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cspdesk.ui import app
    from cspdesk.ui.app import open_start_workspace

    monkeypatch.setenv("CSPDESK_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(app, "first_run", lambda _path: None)  # never the default file
    window = open_window(qtbot, demo_path)
    assert window.open_path(workspace_path)
    window.close()
    opened = open_start_workspace(None, False)
    assert opened is not None
    assert opened.workspace.path.resolve() == workspace_path.resolve()
    opened.workspace.close()


def test_readme_names_the_linux_prerequisite_next_to_the_first_command() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    first_command = readme.index(".venv/bin/cspdesk")
    assert "libxcb-cursor0" in readme[:first_command]


# ---- daily use ----


@pytest.mark.parametrize("size", [(1280, 760), (1280, 720)])
def test_columns_fit_at_the_default_size_and_at_1280x720(qtbot, demo_path, size) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_path)  # 1280×760 where the screen has room (offscreen: not)
    window.resize(*size)
    qtbot.wait(20)
    window.fit_columns()
    header = window.tree.header()
    viewport = window.tree.viewport().width()
    # The title first (half the tree at least), and the RAG still in sight beside it; the
    # latest update is the column that scrolls out of sight first.
    assert header.sectionSize(Column.TITLE) >= viewport * 0.45
    assert header.sectionViewportPosition(Column.RAG) + 60 <= viewport
    metrics = window.tree.fontMetrics()
    timescale = header.sectionSize(Column.TIMESCALE)
    assert timescale >= metrics.horizontalAdvance("31 Oct 2016 (overdue)")
    assert header.sectionSize(Column.TITLE) >= 300
    long_title = index_of(window, "Reduce dwelling burglaries")
    action = window.document.model.index(0, 0, long_title)
    tip = action.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Action ") and tip.endswith(f": {action.data()}")
    assert action.siblingAtColumn(Column.LEADS).data(Qt.ItemDataRole.ToolTipRole)


def test_rag_editor_is_wide_enough_and_reads_the_current_labels(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.document.workspace.write(ops.edit_field, "rag_status", "G", "label", "On track")
    window.document.refresh(ops.FieldEdited("rag_status", "G", "label", "Green", "On track"))
    window.tree.expandAll()
    action = next(i for i in walk(window.document.model) if i.data() == "Joint days of action")
    cell = action.siblingAtColumn(Column.RAG)
    window.activateWindow()
    window.tree.setCurrentIndex(cell)
    window.tree.edit(cell)
    qtbot.waitUntil(lambda: isinstance(window.tree.indexWidget(cell), QComboBox))
    combo = window.tree.indexWidget(cell)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "On track" in labels and "Green" not in labels
    assert combo.width() >= combo.sizeHint().width()


def test_splitter_kept_after_opening_another_workspace(qtbot, window, demo_path) -> None:  # type: ignore[no-untyped-def]
    window.resize(1280, 760)
    window.splitter.setSizes([700, 500])
    qtbot.wait(10)
    sizes = window.splitter.sizes()
    assert window.open_path(demo_path)
    qtbot.wait(10)
    assert window.splitter.sizes() == sizes


def test_f2_puts_the_cursor_at_the_end(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    action = next(i for i in walk(window.document.model) if i.data() == "Joint days of action")
    window.activateWindow()
    window.tree.setFocus()
    window.tree.setCurrentIndex(action)
    qtbot.keyClick(window.tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(window.tree.focusWidget(), QLineEdit))
    editor = window.tree.focusWidget()
    qtbot.waitUntil(lambda: not editor.hasSelectedText())
    assert editor.cursorPosition() == len("Joint days of action")
    qtbot.keyClicks(editor, " in Rayleigh")
    assert editor.text() == "Joint days of action in Rayleigh"


def test_escape_after_insert_cancels_the_insert(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    action = next(i for i in walk(window.document.model) if i.data() == "Joint days of action")
    parent = action.parent()
    rows = window.document.model.rowCount(parent)
    window.activateWindow()
    window.tree.setFocus()
    window.tree.setCurrentIndex(action)
    qtbot.keyClick(window.tree, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: window.tree.state() == window.tree.State.EditingState)
    assert window.document.model.rowCount(parent) == rows + 1
    qtbot.keyClick(window.tree.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.document.model.rowCount(parent) == rows)
    titles = window.document.workspace.read(lambda s: list(s.scalars(select(Action.title))))
    assert "New action" not in titles


def test_filter_counts_what_is_shown_and_says_where_it_matched(qtbot, demo_path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_path)
    qtbot.keyClicks(window.filter_bar.text, "burglar")
    shown = sum(
        1 for i in walk(window.document.model) if window.document.model.node(i).kind == "action"
    )
    text = window.filter_bar.matches.text()
    assert text.startswith(f"{shown} action{'s' if shown != 1 else ''} shown · matched in ")
    assert "1 priority" in text  # "Burglary" is one of Acquisitive Crime's sub-themes
    assert "Priority: Acquisitive Crime" in window.filter_bar.matches.toolTip()


def test_restore_from_backup_sits_above_quit(window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text() for a in window.file_menu.actions() if not a.isSeparator()]
    assert texts.index("Restore from bac&kup…") < texts.index("&Quit") == len(texts) - 1


def test_plurals_in_history_and_status(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    action = next(i for i in walk(window.document.model) if i.data() == "Joint days of action")
    node = window.document.model.node(action)
    window.document.edit_field("action", node.id, "timescale", "Q1-4 (extended)")
    window.tree.setCurrentIndex(action)
    titles = lambda: [b.title() for b in window.detail.findChildren(QGroupBox)]  # noqa: E731
    qtbot.waitUntil(lambda: "History (1 change)" in titles())
    window.tree.setCurrentIndex(action)
    window.delete_selected()
    assert window.statusBar().currentMessage() == (
        "Deleted the action 'Joint days of action'. Undo with Ctrl+Z."
    )


def test_one_settings_dialog_at_a_time(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog

    seen: list[int] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            window.workspace_settings()  # a second open while one shows: no second dialog
            seen.append(len(window.findChildren(WorkspaceSettingsDialog)))
            dialog.reject()
        else:
            QTimer.singleShot(20, close_it)

    for _ in range(3):
        QTimer.singleShot(20, close_it)
        window.workspace_settings()
    qtbot.wait(10)
    assert seen == [1, 1, 1]
    alive = [d for d in QApplication.topLevelWidgets() if isinstance(d, WorkspaceSettingsDialog)]
    assert window.findChildren(WorkspaceSettingsDialog) == [] and alive == []


def test_make_returns_defaults_to_a_folder_per_quarter_beside_the_workspace(
    qtbot,  # type: ignore[no-untyped-def]
    window,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from cspdesk.ui.dialogs.returns import MakeReturnsDialog

    beside = window.document.workspace.path.parent
    dialog = MakeReturnsDialog(window, "2016/17", 2, beside)
    qtbot.addWidget(dialog)
    assert dialog.folder.text() == str(beside / "Returns 2016-17 Q2")
    dialog.quarter.setCurrentIndex(2)
    assert dialog.folder.text() == str(beside / "Returns 2016-17 Q3")
    chosen = tmp_path / "shared" / "Q3 returns"
    chosen.mkdir(parents=True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(chosen))
    dialog._choose()
    again = MakeReturnsDialog(window, "2016/17", 4, beside)
    qtbot.addWidget(again)
    assert again.folder.text() == str(tmp_path / "shared" / "Returns 2016-17 Q4")
    QSettings().remove("returns/base")


def visible_texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    """Texts Qt reads shortcut markers in: buttons, group boxes, buddied labels, tabs, menus."""
    texts = [b.text() for b in widget.findChildren(QAbstractButton)]
    texts += [g.title() for g in widget.findChildren(QGroupBox)]
    texts += [label.text() for label in widget.findChildren(QLabel) if label.buddy() is not None]
    for bar in widget.findChildren(QTabBar):
        texts += [bar.tabText(i) for i in range(bar.count())]
    return texts


def menu_texts(window: MainWindow) -> list[str]:
    texts = []
    stack = [a.menu() for a in window.menuBar().actions() if a.menu()]
    while stack:
        menu = stack.pop()
        menu.aboutToShow.emit()
        for action in menu.actions():
            texts.append(action.text())
            if action.menu():
                stack.append(action.menu())
    return texts


def test_no_label_or_menu_has_a_lone_ampersand(qtbot, demo_path, window) -> None:  # type: ignore[no-untyped-def]
    # A file name with "&" in Open recent, and every pane and detail form on screen.
    odd = demo_path.with_name("Safety & Crime.cspdesk")
    demo_path.rename(odd)
    assert window.open_path(odd)
    for key, dock in window.features.docks.items():
        dock.show()
        dock.raise_()
        qtbot.waitUntil(lambda k=key: k in window.features.panes, timeout=10000)
    found = []
    for kind in ("priority", "objective", "action", "milestone"):
        key = next(k for k in window.document.model.index_by_key if k[0] == kind)
        window.select(key)
        found += [t for t in visible_texts(window) if lone_ampersand(t)]
    found += [t for t in menu_texts(window) if lone_ampersand(t)]
    assert found == []
    assert any(t.replace("&&", "&").endswith("Safety & Crime.cspdesk") for t in menu_texts(window))


def test_one_program_icon_for_window_and_installer(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from cspdesk.ui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}
    root = Path(__file__).resolve().parents[2]
    ico = root / "resources" / "icons" / "cspdesk.ico"
    head = ico.read_bytes()[:6]
    assert head[:4] == b"\x00\x00\x01\x00" and int.from_bytes(head[4:6], "little") >= 4
    assert "resources\\icons\\cspdesk.ico" in (root / "packaging/windows/cspdesk.iss").read_text()
    assert '"icons" / f"{NAME}.ico"' in (root / "packaging/cspdesk.spec").read_text()


def contrast(a: QColor, b: QColor) -> float:
    def luminance(c: QColor) -> float:
        parts = [x / 255 for x in (c.red(), c.green(), c.blue())]
        parts = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in parts]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("base", ["#FFFFFF", "#202020"])
def test_overdue_marker_legible_in_light_and_dark_palettes(qtbot, window, base) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    before = app.palette()
    palette = QPalette(before)
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    try:
        app.setPalette(palette)  # as when the system turns dark mode on
        qtbot.waitUntil(
            lambda: contrast(window.document.model._overdue_brush.color(), QColor(base)) >= 4.5
        )
    finally:
        app.setPalette(before)


def test_chase_list_rows_stay_readable_on_their_tint(qtbot, workspace_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

    from cspdesk.ui.chase_pane import readable_on_tint

    table = QTableWidget(1, 2)
    qtbot.addWidget(table)
    tinted, plain = QTableWidgetItem("late"), QTableWidgetItem("awaited")
    tinted.setBackground(QColor("#F8D7DA"))
    table.setItem(0, 0, tinted)
    table.setItem(0, 1, plain)
    readable_on_tint(table)
    assert contrast(tinted.foreground().color(), QColor("#F8D7DA")) >= 4.5
    assert plain.foreground().style() == Qt.BrushStyle.NoBrush


def test_a_filter_matching_nothing_does_not_say_the_plan_is_empty(qtbot, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_path)
    window.filter_bar.text.setText("no words in the demo plan say this")
    qtbot.waitUntil(lambda: window.document.model.rowCount() == 0)
    assert not window.empty_hint.isVisible()
    window.filter_bar.text.setText("")
    qtbot.waitUntil(lambda: window.document.model.rowCount() > 0)
    assert not window.empty_hint.isVisible()
