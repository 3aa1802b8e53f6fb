"""A dialog closed is gone: it never answers a later edit with an error box (issue 28, item 1)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from cspdesk.core.plan.model import Action
from cspdesk.ui.dialogs.workspace_settings import WorkspaceSettingsDialog
from cspdesk.ui.error_report import install_excepthook

from .accessible import unnamed_focusable, unnamed_in_tab_order

# Menu items that open no dialog of the plan's, or that replace the workspace itself.
LEFT_OUT = {"&Quit", "Restore from bac&kup…", "&New workspace…", "&Open…"}


UNNAMED: dict[str, list[str]] = {}


def _close_modals() -> None:
    """Close whatever modal the menu item opened (and any box it in turn opened), noting its
    focusable widgets that a screen reader would read out with no name."""
    widget = QApplication.activeModalWidget()
    if isinstance(widget, QWidget) and not isinstance(widget, QFileDialog):
        UNNAMED[widget.windowTitle()] = unnamed_focusable(widget)
    if isinstance(widget, QDialog):
        widget.reject()
    elif isinstance(widget, QWidget):
        widget.close()


def _boxes(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for name in ("critical", "warning"):
        monkeypatch.setattr(
            QMessageBox, name, lambda _parent, _title, text, *a, **k: shown.append(text)
        )
    return shown


def _edit_a_title(window, text: str) -> None:  # type: ignore[no-untyped-def]
    action_id = window.document.workspace.read(lambda s: s.query(Action.id).first()[0])
    assert window.document.edit_field("action", action_id, "title", text)
    assert window.document.workspace.read(lambda s: s.get(Action, action_id).title) == text


def test_settings_closed_then_edits_show_no_error(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown = _boxes(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(window)
    QTimer.singleShot(100, _close_modals)
    window.workspace_settings()
    qtbot.wait(20)  # the closed dialog's deferred delete runs
    for n in range(3):
        _edit_a_title(window, f"Edited after the dialog closed {n}")
        qtbot.wait(10)
    assert shown == []


def test_every_dialog_opened_and_closed_then_an_edit_shows_no_error(
    qtbot, window, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown = _boxes(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(window)
    window.tree.expandAll()
    action_id = window.document.workspace.read(lambda s: s.query(Action.id).first()[0])
    window.select(("action", action_id))
    closer = QTimer()
    closer.setInterval(50)
    closer.timeout.connect(_close_modals)
    closer.start()
    opened = []
    for menu in (
        window.file_menu,
        window.edit_menu,
        window.quarter_menu,
        window.features.figures_menu,
    ):
        for item in menu.actions():
            if item.text().endswith("…") and item.text() not in LEFT_OUT:
                item.trigger()
                opened.append(item.text())
                qtbot.wait(20)
    closer.stop()
    assert "Workspace &settings…" in opened and "&Close quarter…" in opened
    assert {"Workspace settings", "Leads", "Close a quarter"} <= set(UNNAMED)
    assert {title: names for title, names in UNNAMED.items() if names} == {}
    shown.clear()  # boxes the dialogs themselves gave on the way are not the point here
    _edit_a_title(window, "Edited after every dialog closed")
    qtbot.wait(20)
    assert shown == []


def test_an_unexpected_error_says_what_was_saved(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    shown: list[str] = []
    dialog = WorkspaceSettingsDialog(window.document, window)
    qtbot.addWidget(dialog)

    def broken(session):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk on fire")

    assert dialog.apply(broken) is None
    assert "was not saved" in shown[0] and "nothing was changed" not in shown[0]
    # Saved, then the window failed to show it: the box says it was saved.
    monkeypatch.setattr(window.document, "push", lambda *_a: (_ for _ in ()).throw(KeyError("x")))
    action_id = window.document.workspace.read(lambda s: s.query(Action.id).first()[0])
    from cspdesk.core.plan import ops

    assert dialog.apply(ops.edit_field, "action", action_id, "title", "Kept") is not None
    assert "was saved" in shown[1] and "not saved" not in shown[1]
    assert window.document.workspace.read(lambda s: s.get(Action, action_id).title) == "Kept"


def test_every_focusable_widget_of_the_window_has_a_name(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.tree.expandAll()
    action = next(key for key in window.document.model.index_by_key if key[0] == "action")
    window.select(action)
    qtbot.wait(20)
    # As the window opens, no pane shown: Tab from the detail pane must not land on the
    # empty, unnamed tab bar Qt keeps for the docked panes.
    assert unnamed_in_tab_order(window) == []
    for title, dock in window.features.docks.items():
        dock.show()
        dock.raise_()
        qtbot.waitUntil(lambda t=title: t in window.features.panes)
        qtbot.wait(20)
        assert unnamed_focusable(window) == [], title
        assert unnamed_in_tab_order(window) == [], title
    for dock in window.features.docks.values():
        dock.hide()
    qtbot.wait(20)
    assert unnamed_in_tab_order(window) == []


def test_a_pane_replaced_by_another_workspace_listens_no_more(
    qtbot, window, workspace_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown = _boxes(monkeypatch)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(window)
    window.select(next(k for k in window.document.model.index_by_key if k[0] == "action"))
    old_pane = window.detail
    assert window.open_path(workspace_path)  # the same plan afresh: a new document and pane
    assert window.detail is not old_pane
    qtbot.wait(50)  # the old pane's deferred delete runs
    window.filter_bar.text.setFocus()
    window.tree.setFocus()
    window.detail.setFocus()
    qtbot.wait(20)
    _edit_a_title(window, "Edited after the workspace was opened again")
    qtbot.wait(20)
    assert shown == []
