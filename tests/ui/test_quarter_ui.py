"""The quarterly cycle's widgets and dialogs, driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Plan, Priority
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.core.quarter.snapshots import quarter_statuses, snapshot_payload
from cspdesk.store.db import Workspace
from cspdesk.ui.changes_view import ChangesView
from cspdesk.ui.checker_panel import CheckerPanel
from cspdesk.ui.dialogs.quarter import (
    CloseQuarterDialog,
    ReopenQuarterDialog,
    RollForwardDialog,
    run_close_quarter_dialog,
    run_roll_forward_dialog,
)

JULY = dt.date(2016, 7, 10)


def ids(workspace: Workspace, model: type) -> dict[str, int]:
    return dict(workspace.read(lambda s: s.execute(select(model.title, model.id)).all()))


def activate_by_double_click(qtbot: QtBot, tree: QTreeWidget, item: QTreeWidgetItem) -> None:
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_checker_panel_lists_findings_and_jumps(qtbot: QtBot, workspace: Workspace) -> None:
    panel = CheckerPanel(workspace)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    with qtbot.waitExposed(panel):
        panel.show()
    panel.refresh(1, 1, JULY)
    assert panel.tree.topLevelItemCount() == 2
    assert panel.summary.text() == "2 things to look at before publishing (as at 10 July 2016)."
    # The item is its reference and title; the path is in the tooltip.
    assert panel.tree.topLevelItem(1).text(0) == "2.1.1 Joint days of action"
    assert (
        panel.tree.topLevelItem(1)
        .toolTip(0)
        .endswith("Anti-Social Behaviour › To reduce ASB in hotspot areas › Joint days of action")
    )
    assert panel.tree.headerItem().toolTip(0)
    joint = ids(workspace, Action)["Joint days of action"]
    with qtbot.waitSignal(panel.jump_requested) as jumped:
        activate_by_double_click(qtbot, panel.tree, panel.tree.topLevelItem(1))
    assert jumped.args == ["action", joint]

    priority = ids(workspace, Priority)["Safeguarding Vulnerable People"]
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    with qtbot.waitSignal(panel.jump_requested) as jumped:
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert jumped.args == ["priority", priority]

    # Fixing the problems and checking again empties the list.
    workspace.write(ops.edit_field, "priority", priority, "baseline", "120 reports")
    workspace.write(ops.edit_field, "priority", priority, "target", "Increase by 10%")
    workspace.write(ops.set_update, joint, 1, ops.UpdateValue("Two days of action held", "R"))
    qtbot.mouseClick(panel.again, Qt.MouseButton.LeftButton)
    assert panel.tree.topLevelItemCount() == 0
    assert panel.summary.text().startswith("No problems found")


def test_changes_view_groups_and_jumps(qtbot: QtBot, workspace: Workspace) -> None:
    actions = ids(workspace, Action)
    j9 = actions["Re-introduce the J9 scheme in both districts"]
    workspace.write(close_quarter, 1, 1)
    workspace.write(ops.set_update, j9, 2, ops.UpdateValue("Trained", "G"))
    view = ChangesView(workspace)
    qtbot.addWidget(view)
    view.resize(900, 400)
    with qtbot.waitExposed(view):
        view.show()
    view.refresh(1, 2)
    assert view.heading.text() == "What changed in Q2 2016/17 (since Q1 2016/17)"
    sections = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    assert [s.text(0) for s in sections] == [
        "New reds (0)",
        "Improved (1)",
        "Worsened (0)",
        "Slipped milestones (0)",
        "Silent for 2 quarters or more (1)",
    ]
    improved = sections[1].child(0)
    assert improved.text(0) == "▲ 1.1.2 Re-introduce the J9 scheme in both districts"
    assert "Safeguarding Vulnerable People › " in improved.toolTip(0)
    assert improved.text(1) == "Amber → Green"
    with qtbot.assertNotEmitted(view.jump_requested):
        activate_by_double_click(qtbot, view.tree, sections[0])  # a heading: nowhere to go
    with qtbot.waitSignal(view.jump_requested) as jumped:
        activate_by_double_click(qtbot, view.tree, improved)
    assert jumped.args == ["action", j9]


def test_close_dialog_shows_what_will_be_frozen(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = CloseQuarterDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    assert dialog.chosen == 1
    assert "all 3 actions" in dialog.summary.text()
    assert "2 actions have a Q1 update; 1 has none." in dialog.summary.text()
    assert "1 Red" in dialog.summary.text()
    assert "The checker finds " in dialog.summary.text()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and ok.text() == "Close Q1"
    workspace.write(close_quarter, 1, 1, "Helen Collins")
    dialog.quarter.setCurrentIndex(1)
    dialog.quarter.setCurrentIndex(0)
    assert not ok.isEnabled() and "by Helen Collins" in dialog.summary.text()


def when_modal(qtbot: QtBot, act: Callable[[object], None]) -> None:
    """Act on the next modal dialog once it is shown (its exec() blocks the test)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
        else:
            act(dialog)

    QTimer.singleShot(0, poll)


def test_run_close_quarter_dialog_returns_an_undoable_change(
    qtbot: QtBot, workspace: Workspace
) -> None:
    when_modal(qtbot, lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Ok).click())
    change = run_close_quarter_dialog(None, workspace, 1)
    assert change is not None and change.describe() == "Close Q1 2016/17"
    assert workspace.read(snapshot_payload, 1, 1) is not None
    workspace.write(change.revert)
    assert workspace.read(quarter_statuses, 1)[1].state == "open"

    when_modal(qtbot, lambda d: d.reject())
    assert run_close_quarter_dialog(None, workspace, 1) is None


def test_reopen_needs_a_reason_and_a_tick(qtbot: QtBot, workspace: Workspace) -> None:
    workspace.write(close_quarter, 1, 1)
    dialog = ReopenQuarterDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.quarter.count() == 1 and not ok.isEnabled()
    dialog.reason.setPlainText("Late police return")
    assert not ok.isEnabled()
    dialog.confirm.setChecked(True)
    assert ok.isEnabled()


def test_roll_forward_dialog(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = RollForwardDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.to_year.text() == "2017/18" and ok.isEnabled()
    assert "3 unfinished actions are carried over" in dialog.summary.text()
    dialog.to_year.setText("2015/16")
    assert not ok.isEnabled() and "not a later year" in dialog.summary.text()
    dialog.to_year.setText("next year")
    assert not ok.isEnabled() and "not a financial year" in dialog.summary.text()

    when_modal(qtbot, lambda d: d.buttons.button(QDialogButtonBox.StandardButton.Ok).click())
    change = run_roll_forward_dialog(None, workspace, 1)
    assert change is not None
    years = workspace.read(lambda s: s.execute(select(Plan.year, Plan.read_only)).all())
    assert sorted(years) == [("2016/17", True), ("2017/18", False)]
    workspace.write(change.revert)
    assert workspace.read(lambda s: s.execute(select(Plan.year)).scalars().all()) == ["2016/17"]


def test_direction_glyphs_are_in_the_window_font(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFontMetrics

    from cspdesk.core.quarter.direction import ARROWS

    metrics = QFontMetrics(QApplication.font())
    missing = [glyph for glyph in set(ARROWS.values()) if not metrics.inFontUcs4(ord(glyph))]
    assert missing == []


def press_enter_in(qtbot: QtBot, dialog: QDialog, field: QWidget) -> int:
    """Show the dialog as the user meets it, press Enter in ``field``; how it was closed."""
    results: list[int] = []
    dialog.finished.connect(results.append)
    dialog.show()
    qtbot.waitExposed(dialog)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert results, "Enter closed nothing"
    return results[0]


def test_enter_in_roll_forward_cancels_while_quarters_are_open(
    qtbot: QtBot, workspace: Workspace
) -> None:
    dialog = RollForwardDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    assert dialog.summary.text().startswith("Not closed: Q1, Q2, Q3, Q4 of 2016/17")
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.isDefault()
    assert press_enter_in(qtbot, dialog, dialog.to_year) == QDialog.DialogCode.Rejected
    assert workspace.read(lambda s: s.execute(select(Plan.year, Plan.read_only)).all()) == [
        ("2016/17", False)
    ]
    # Once every quarter is closed there is nothing to warn about: Enter rolls forward.
    for quarter in (1, 2, 3, 4):
        workspace.write(close_quarter, 1, quarter)
    ready = RollForwardDialog(None, workspace, 1)
    qtbot.addWidget(ready)
    assert ready.buttons.button(QDialogButtonBox.StandardButton.Ok).isDefault()
    assert press_enter_in(qtbot, ready, ready.to_year) == QDialog.DialogCode.Accepted


def test_close_quarter_with_findings_defaults_to_cancel(qtbot: QtBot, workspace: Workspace) -> None:
    dialog = CloseQuarterDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    assert "1 has none." in dialog.summary.text()
    assert press_enter_in(qtbot, dialog, dialog.quarter) == QDialog.DialogCode.Rejected
    assert workspace.read(quarter_statuses, 1)[1].state == "open"


def test_reopen_defaults_to_cancel_even_when_ready(qtbot: QtBot, workspace: Workspace) -> None:
    workspace.write(close_quarter, 1, 1)
    dialog = ReopenQuarterDialog(None, workspace, 1)
    qtbot.addWidget(dialog)
    dialog.reason.setPlainText("Late police return")
    dialog.confirm.setChecked(True)
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert press_enter_in(qtbot, dialog, dialog.confirm) == QDialog.DialogCode.Rejected
    assert workspace.read(quarter_statuses, 1)[1].closed
