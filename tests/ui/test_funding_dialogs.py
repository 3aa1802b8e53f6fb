"""Entering indicators, grants, allocations and spend from the figures pane on a real
workspace: each dialog writes one row in one transaction, its Change undoes it, bad amounts
are refused in the dialog and write nothing, over-allocation shows in colour and words."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from cspdesk.core.funding import summary as funding
from cspdesk.core.funding.spend_dates import default_spend_date
from cspdesk.core.plan.model import Allocation, Grant, Indicator, Spend
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs.funding import (
    AllocationDialog,
    GrantDialog,
    IndicatorDialog,
    SpendDialog,
    choose,
)
from cspdesk.ui.figures_pane import Col, FiguresPane
from tests.seed_figures import first_plan_id, priority_ids


def rows(workspace: Workspace, model: type) -> list[Any]:
    return workspace.read(lambda s: list(s.execute(select(model).order_by(model.id)).scalars()))


def count(workspace: Workspace, model: type) -> int:
    return workspace.read(lambda s: s.execute(select(func.count(model.id))).scalar_one())


def make_pane(qtbot: QtBot, workspace: Workspace) -> tuple[FiguresPane, list[Any]]:
    pane = FiguresPane(workspace)
    qtbot.addWidget(pane)
    pane.refresh(workspace.read(first_plan_id))
    emitted: list[Any] = []
    pane.changed.connect(emitted.append)
    return pane, emitted


def accept(qtbot: QtBot, dialog: Any) -> None:
    assert dialog.ok_button.isEnabled(), dialog.message.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_add_indicator_then_undo(qtbot: QtBot, workspace: Workspace) -> None:
    pane, emitted = make_pane(qtbot, workspace)
    dialog = pane.open_dialog("indicator")
    assert isinstance(dialog, IndicatorDialog)
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.text().startswith("Name: enter the indicator's name")
    second = workspace.read(priority_ids, pane.plan_id)[1]
    assert choose(dialog.target, ("priority", second))
    qtbot.keyClicks(dialog.name, "Burglary in dwelling")
    qtbot.keyClicks(dialog.unit, "crimes")
    qtbot.keyClicks(dialog.source, "Essex Police")
    dialog.better.setCurrentIndex(dialog.better.findData("down"))
    qtbot.keyClicks(dialog.baseline, "699")
    qtbot.keyClicks(dialog.baseline_period, "2015/16")
    qtbot.keyClicks(dialog.target_value, "5% reduction")
    dialog.decimals.setCurrentIndex(dialog.decimals.findData(1))
    assert dialog.message.text() == ""
    accept(qtbot, dialog)

    (added,) = rows(workspace, Indicator)
    assert (added.priority_id, added.action_id, added.name, added.unit) == (
        second,
        None,
        "Burglary in dwelling",
        "crimes",
    )
    assert (added.source, added.better, added.baseline, added.baseline_period) == (
        "Essex Police",
        "down",
        "699",
        "2015/16",
    )
    assert (added.target, added.decimals) == ("5% reduction", 1)
    assert len(emitted) == 1
    assert [pane.table.item(r, Col.INDICATOR).text() for r in range(pane.table.rowCount())] == [
        "Burglary in dwelling"
    ]
    workspace.write(emitted[0].revert)
    assert count(workspace, Indicator) == 0


def test_indicator_on_an_action_with_report_default_decimals(
    qtbot: QtBot, workspace: Workspace
) -> None:
    pane, emitted = make_pane(qtbot, workspace)
    dialog = pane.open_dialog("indicator")
    actions = [i for i in range(dialog.target.count()) if dialog.target.itemData(i)[0] == "action"]
    dialog.target.setCurrentIndex(actions[0])
    dialog.name.setText("Street triage referrals")
    dialog.better.setCurrentIndex(dialog.better.findData("up"))
    accept(qtbot, dialog)
    (added,) = rows(workspace, Indicator)
    assert added.action_id == dialog.target.itemData(actions[0])[1]
    assert (added.priority_id, added.decimals, added.better) == (None, None, "up")
    # Delete it from the pane: one undoable change that puts it back.
    pane.table.selectRow(0)
    assert pane.buttons["delete_indicator"].isEnabled()
    qtbot.mouseClick(pane.buttons["delete_indicator"], Qt.MouseButton.LeftButton)
    assert count(workspace, Indicator) == 0 and pane.table.rowCount() == 0
    workspace.write(emitted[-1].revert)
    assert [i.name for i in rows(workspace, Indicator)] == ["Street triage referrals"]


def test_grant_allocation_spend_over_allocation_and_undo(
    qtbot: QtBot, workspace: Workspace
) -> None:
    pane, emitted = make_pane(qtbot, workspace)
    grant_dialog = pane.open_dialog("grant")
    assert isinstance(grant_dialog, GrantDialog)
    qtbot.keyClicks(grant_dialog.source, "PCC grant")
    qtbot.keyClicks(grant_dialog.amount, "£12,527")
    grant_dialog.conditions.setPlainText("50% on submission of action plans")
    accept(qtbot, grant_dialog)
    (grant,) = rows(workspace, Grant)
    assert (grant.source, grant.amount_pence, grant.conditions) == (
        "PCC grant",
        1_252_700,
        "50% on submission of action plans",
    )
    assert pane.grants.text() == "Grants: PCC grant: £12,527. Not yet allocated: £12,527."

    first, _ = workspace.read(priority_ids, pane.plan_id)
    allocate = pane.open_dialog("allocation")
    assert isinstance(allocate, AllocationDialog)
    assert choose(allocate.target, ("priority", first))
    qtbot.keyClicks(allocate.amount, "£13K")
    assert allocate.over.text() == "Warning: this over-allocates PCC grant by £473."
    allocate.note.setText("CSP allocation")
    accept(qtbot, allocate)
    (allocation,) = rows(workspace, Allocation)
    assert (allocation.grant_id, allocation.priority_id, allocation.amount_pence) == (
        grant.id,
        first,
        1_300_000,
    )
    assert allocation.note == "CSP allocation"
    assert not pane.warning.isHidden()
    assert pane.warning.text().startswith(
        "Warning: Over-allocated: PCC grant is £12,527 but £13,000 is allocated"
    )
    assert "#B03A2E" in pane.warning.styleSheet()
    top = pane.entries.topLevelItem(0)
    assert top.text(2) == "£13,000 allocated: over-allocated by £473"
    assert top.background(0).color().name().upper() == "#F6D0CC"

    spend = pane.open_dialog("spend")
    assert isinstance(spend, SpendDialog)
    assert spend.allocation.currentData() == allocation.id
    spend.date.setDate(QDate(2016, 9, 30))
    qtbot.keyClicks(spend.amount, "1,250.50")
    spend.description.setText("Street triage car")
    accept(qtbot, spend)
    (entry,) = rows(workspace, Spend)
    assert (entry.allocation_id, entry.amount_pence, entry.spent_on, entry.description) == (
        allocation.id,
        125_050,
        dt.date(2016, 9, 30),
        "Street triage car",
    )
    spent = pane.entries.topLevelItem(0).child(0)
    assert spent.text(2) == "£1,250.50 spent; CSP allocation"
    assert [spent.child(0).text(c) for c in range(3)] == [
        "Street triage car",
        "£1,250.50",
        "30 Sep 2016",
    ]
    assert len(emitted) == 3
    for change in reversed(emitted):
        workspace.write(change.revert)
    assert [count(workspace, m) for m in (Grant, Allocation, Spend)] == [0, 0, 0]


def test_bad_amount_is_shown_in_the_dialog_and_writes_nothing(
    qtbot: QtBot, workspace: Workspace
) -> None:
    pane, emitted = make_pane(qtbot, workspace)
    dialog = pane.open_dialog("grant")
    qtbot.keyClicks(dialog.source, "PCC grant")
    qtbot.keyClicks(dialog.amount, "£4X")
    assert dialog.message.text() == (
        "Amount: '£4X' is not an amount of money (for example £4,000 or £4K)"
    )
    assert not dialog.ok_button.isEnabled()
    dialog.accept()  # even forced, nothing is written
    assert dialog.isVisible() and dialog.change is None
    dialog.amount.setText("-£200")
    assert dialog.message.text().startswith("Amount: '-£200' is negative")
    assert count(workspace, Grant) == 0 and emitted == []
    dialog.amount.setText("£4K")
    assert dialog.message.text() == "" and dialog.ok_button.isEnabled()
    dialog.reject()
    assert count(workspace, Grant) == 0


def test_allocate_and_spend_need_something_to_pick(qtbot: QtBot, workspace: Workspace) -> None:
    pane, _ = make_pane(qtbot, workspace)
    allocate = pane.open_dialog("allocation")
    assert allocate.message.text() == "There is no grant for this plan yet: add a grant first."
    assert not allocate.ok_button.isEnabled()
    allocate.reject()
    spend = pane.open_dialog("spend")
    assert spend.message.text() == "Nothing is allocated yet: allocate part of a grant first."
    spend.reject()


def test_delete_grant_with_allocations_restores_on_undo(qtbot: QtBot, workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    first, _ = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£14,019")
    allocation = workspace.write(funding.add_allocation, grant.id, "£4K", priority_id=first)
    workspace.write(funding.add_spend, allocation.id, "£500", description="Leaflets")
    pane, emitted = make_pane(qtbot, workspace)
    assert not pane.buttons["delete_entry"].isEnabled()
    assert pane.entries.select(("grant", grant.id))
    qtbot.mouseClick(pane.buttons["delete_entry"], Qt.MouseButton.LeftButton)
    assert [count(workspace, m) for m in (Grant, Allocation, Spend)] == [0, 0, 0]
    assert pane.entries.topLevelItemCount() == 0
    assert pane.grants.text() == "No grants entered for this plan."
    workspace.write(emitted[0].revert)
    pane.refresh()
    assert [count(workspace, m) for m in (Grant, Allocation, Spend)] == [1, 1, 1]
    assert pane.entries.topLevelItem(0).child(0).child(0).text(0) == "Leaflets"


def test_in_the_main_window_one_dialog_is_one_undo_step(qtbot: QtBot, window: Any) -> None:
    window.features.docks["figures"].show()
    qtbot.waitUntil(lambda: "figures" in window.features.panes)
    pane = window.features.panes["figures"]
    stack = window.document.undo_stack
    before = stack.count()
    dialog = pane.open_dialog("grant")
    qtbot.keyClicks(dialog.source, "PCC grant")
    qtbot.keyClicks(dialog.amount, "£4K")
    accept(qtbot, dialog)
    workspace = window.document.workspace
    assert count(workspace, Grant) == 1 and stack.count() == before + 1
    assert pane.entries.topLevelItem(0).text(1) == "£4,000"
    stack.undo()
    assert count(workspace, Grant) == 0
    qtbot.waitUntil(lambda: pane.entries.topLevelItemCount() == 0)
    stack.redo()
    assert count(workspace, Grant) == 1
    qtbot.waitUntil(lambda: pane.entries.topLevelItemCount() == 1)


def typed_into_focus(qtbot: QtBot, dialog: Any, text: str) -> Any:
    """Type where the keyboard is, as a user does; the widget that took it."""
    widget = QApplication.focusWidget()
    assert widget is not None and widget.window() is dialog
    qtbot.keyClicks(widget, text)
    return widget


def shown(qtbot: QtBot, pane: FiguresPane, kind: str) -> Any:
    dialog = pane.open_dialog(kind)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def test_money_dialogs_open_in_the_first_field_and_enter_saves(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """The tester's Add grant opened on Cancel: typing went nowhere and Enter cancelled."""
    pane, emitted = make_pane(qtbot, workspace)
    pane.window().show()
    grant = shown(qtbot, pane, "grant")
    assert typed_into_focus(qtbot, grant, "PCC grant") is grant.source
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert typed_into_focus(qtbot, grant, "£4K") is grant.amount
    assert grant.ok_button.isDefault()
    qtbot.keyClick(grant.amount, Qt.Key.Key_Return)
    assert [(g.source, g.amount_pence) for g in rows(workspace, Grant)] == [("PCC grant", 400_000)]
    assert len(emitted) == 1

    allocate = shown(qtbot, pane, "allocation")
    assert QApplication.focusWidget() is allocate.grant
    allocate.reject()
    workspace.write(
        funding.add_allocation,
        rows(workspace, Grant)[0].id,
        "£1K",
        priority_id=workspace.read(priority_ids, pane.plan_id)[0],
    )
    pane.refresh()
    spend = shown(qtbot, pane, "spend")
    assert QApplication.focusWidget() is spend.allocation
    qtbot.keyClick(spend.allocation, Qt.Key.Key_Return)  # the form is not valid yet: stays
    assert spend.isVisible() and count(workspace, Spend) == 0
    spend.reject()


def test_spend_is_dated_inside_the_plan_year(qtbot: QtBot, workspace: Workspace) -> None:
    """The tester's spend defaulted to today (2026) in a 2016/17 plan, and 2000 typed in the
    year was accepted and counted in 2016/17."""
    plan_id = workspace.read(first_plan_id)
    first, _ = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£14,019")
    workspace.write(funding.add_allocation, grant.id, "£4K", priority_id=first)
    pane, emitted = make_pane(qtbot, workspace)
    spend = pane.open_dialog("spend")
    start = spend.date.date()
    expected = default_spend_date("2016/17", 1, dt.date.today())
    assert (start.year(), start.month(), start.day()) == (
        expected.year,
        expected.month,
        expected.day,
    )
    assert dt.date(2016, 4, 1) <= expected <= dt.date(2017, 3, 31)
    qtbot.keyClicks(spend.amount, "£250")
    assert spend.message.text() == "" and spend.ok_button.isEnabled()
    spend.date.setDate(QDate(2000, 12, 7))
    assert spend.message.text() == (
        "Date: 7 Dec 2000 is outside the plan's year 2016/17 (1 Apr 2016 to 31 Mar 2017); "
        "spending is counted in the plan of the year it was spent."
    )
    assert not spend.ok_button.isEnabled()
    spend.accept()  # even forced, nothing is written
    assert spend.isVisible() and count(workspace, Spend) == 0 and emitted == []
    spend.date.setDate(QDate(2017, 3, 31))
    accept(qtbot, spend)
    assert [s.spent_on for s in rows(workspace, Spend)] == [dt.date(2017, 3, 31)]


def test_spend_past_the_allocation_warns_as_allocate_does(
    qtbot: QtBot, workspace: Workspace
) -> None:
    plan_id = workspace.read(first_plan_id)
    first, _ = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£14,019")
    allocation = workspace.write(funding.add_allocation, grant.id, "£4K", priority_id=first)
    workspace.write(funding.add_spend, allocation.id, "£3,500")
    pane, _ = make_pane(qtbot, workspace)
    spend = pane.open_dialog("spend")
    spend.date.setDate(QDate(2016, 9, 30))
    qtbot.keyClicks(spend.amount, "£500")
    assert spend.over.text() == ""
    spend.amount.setText("£750")
    assert spend.over.text() == "Warning: with this, the allocation is overspent by £250."
    assert "#B03A2E" in spend.over.styleSheet()
    accept(qtbot, spend)  # allowed (an overspend happens), but said
    assert count(workspace, Spend) == 2
