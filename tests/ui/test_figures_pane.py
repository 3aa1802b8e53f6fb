"""The figures pane on a real workspace: seed figures shown, edits saved and undoable,
computed columns read-only, over-allocation warned in colour and words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.store.db import Workspace
from cspdesk.ui.figures_pane import Col, FiguresPane
from tests.seed_figures import (
    SEED_004,
    enter_seed_004,
    first_plan_id,
    make_plan_2013,
    priority_ids,
)


def texts(pane: FiguresPane, column: int) -> list[str]:
    return [pane.table.item(r, column).text() for r in range(pane.table.rowCount())]


def test_shows_seed_004(qtbot: QtBot, workspace: Workspace) -> None:
    plan_id = workspace.write(make_plan_2013)
    workspace.write(enter_seed_004, plan_id)
    pane = FiguresPane(workspace)
    qtbot.addWidget(pane)
    pane.refresh(plan_id)
    pane.quarter.setCurrentIndex(2)  # Q3
    assert texts(pane, Col.INDICATOR) == [s.name for s in SEED_004]
    assert texts(pane, Col.CHANGE) == [s.change for s in SEED_004]
    assert texts(pane, Col.PERCENT) == [s.percent for s in SEED_004]
    assert texts(pane, Col.DIRECTION)[:3] == ["Same", "Better", "Better"]
    assert texts(pane, Col.DIRECTION)[3] == "figure unavailable"
    assert pane.funding.item(pane.funding.rowCount() - 1, 0).text() == "Total"
    assert pane.funding.item(pane.funding.rowCount() - 1, 3).text() == "£17,300"
    assert pane.warning.isHidden()
    # Another quarter has no figures of its own: nothing to edit over, nothing computed.
    pane.quarter.setCurrentIndex(0)
    assert set(texts(pane, Col.FIGURE)) == {""}
    assert texts(pane, Col.PERIOD)[0] == "no figure for Q1 yet"


def test_edit_figure_saves_recomputes_and_undoes(qtbot: QtBot, workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    added = workspace.write(
        figures.add_indicator, "Burglary in dwelling", priority_id=pid, unit="crimes"
    )
    workspace.write(figures.set_value, added.id, "727", "699", quarter=1)
    pane = FiguresPane(workspace)
    qtbot.addWidget(pane)
    pane.refresh(plan_id)
    assert pane.current_quarter() == 1  # the plan's current quarter
    assert texts(pane, Col.PERCENT) == ["+4.0%"]  # one decimal place, as police print it
    assert not pane.table.item(0, Col.PERCENT).flags() & Qt.ItemFlag.ItemIsEditable
    assert pane.table.item(0, Col.FIGURE).flags() & Qt.ItemFlag.ItemIsEditable

    pane.show()
    qtbot.waitExposed(pane)
    with qtbot.waitSignal(pane.changed) as blocker:
        pane.table.setCurrentCell(0, Col.FIGURE)
        pane.table.editItem(pane.table.item(0, Col.FIGURE))
        editor = pane.table.focusWidget()
        editor.selectAll()
        qtbot.keyClicks(editor, "838")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: texts(pane, Col.CHANGE) == ["+139"])
    assert texts(pane, Col.PERCENT) == ["+19.9%"]
    assert workspace.read(figures.performance_table, plan_id, 1)[0].value == "838"
    workspace.write(blocker.args[0].revert)
    pane.refresh()
    assert texts(pane, Col.FIGURE) == ["727"]


def test_bad_figure_is_refused_with_a_message(qtbot: QtBot, workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    pid = workspace.read(priority_ids, plan_id)[0]
    added = workspace.write(figures.add_indicator, "Robbery", priority_id=pid)
    workspace.write(figures.set_value, added.id, "144", "116", quarter=1)
    pane = FiguresPane(workspace)
    qtbot.addWidget(pane)
    pane.refresh(plan_id)
    pane.table.item(0, Col.LAST_YEAR).setText("lots")
    assert pane.error.text() == "Not saved: 'lots' is not a number"
    qtbot.waitUntil(lambda: texts(pane, Col.LAST_YEAR) == ["116"])
    assert workspace.read(figures.performance_table, plan_id, 1)[0].previous == "116"


def test_over_allocation_warning(qtbot: QtBot, workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    first, _ = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    allocation = workspace.write(funding.add_allocation, grant.id, "£13K", priority_id=first)
    workspace.write(funding.add_spend, allocation.id, "£13,100")
    pane = FiguresPane(workspace)
    qtbot.addWidget(pane)
    pane.refresh(plan_id)
    assert not pane.warning.isHidden()
    assert pane.warning.text().startswith(
        "Warning: Over-allocated: PCC grant is £12,527 but £13,000 is allocated"
    )
    assert "#B03A2E" in pane.warning.styleSheet()
    overspent = pane.funding.item(0, 3)
    assert overspent.text() == "-£100"
    assert overspent.background().color().name().upper() == "#F6D0CC"
    assert pane.grants.text() == "Grants: PCC grant: £12,527. Not yet allocated: -£473."
