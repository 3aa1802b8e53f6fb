"""Small dialogs to enter an indicator, a grant, an allocation or a spend entry.

Each checks its fields as they are typed (the problem is shown in the dialog, OK stays
disabled until there is none), then makes one core call in one transaction; the applied
Change is kept in ``dialog.change`` for the undo stack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.core.funding.lists import AllocationEntry, Target, funding_entries, plan_targets
from cspdesk.core.funding.money import MoneyError, format_money, parse_money
from cspdesk.core.funding.spend_dates import default_spend_date, spend_date_problem
from cspdesk.core.plan import ops
from cspdesk.core.plan.plans import current_quarter, plan_year
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace

PROBLEM_COLOUR = "#B03A2E"
DECIMALS_DEFAULT = "Report default"


def amount_problem(text: str) -> tuple[int | None, str | None]:
    """(pence, None) for an amount as councils type it, else (None, what is wrong)."""
    if not text.strip():
        return None, "Amount: enter an amount, for example £4,000 or £4K"
    try:
        pence = parse_money(text)
    except MoneyError as error:
        return None, f"Amount: {error}"
    if pence < 0:
        return None, f"Amount: {text.strip()!r} is negative; an amount cannot be negative"
    return pence, None


class EntryDialog(QDialog):
    """A form whose OK makes one undoable change; subclasses give ``problem`` and ``apply``."""

    def __init__(self, workspace: Workspace, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan_id = plan_id
        self.change: ops.Change | None = None
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.message.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with a warning
        self.ok_button.setDefault(True)  # Enter saves once the form is valid (OK enabled)
        self.first_shown = False

    def showEvent(self, event: QShowEvent) -> None:
        """Typing goes into the first field; Tab walks the fields, then OK and Cancel (the
        buttons were made before the fields, so they came first)."""
        super().showEvent(event)
        if self.first_shown:
            return
        self.first_shown = True
        fields = [
            widget
            for row in range(self.form.rowCount())
            if (item := self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)) is not None
            and (widget := item.widget()) is not None
            and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        ]
        if not fields:
            return
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for before, after in pairwise([*fields, self.ok_button, cancel]):
            QWidget.setTabOrder(before, after)
        fields[0].setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def ok_button(self) -> Any:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def watch(self, *widgets: QWidget) -> None:
        """Check the form again whenever one of these fields changes."""
        for widget in widgets:
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self.check)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self.check)
            elif isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(self.check)
            elif isinstance(widget, QDateEdit):
                widget.dateChanged.connect(self.check)

    def problem(self) -> str | None:
        raise NotImplementedError

    def apply(self) -> ops.Change:
        """Make the one change in one transaction."""
        raise NotImplementedError

    def check(self) -> bool:
        problem = self.problem()
        self.message.setText(problem or "")
        self.ok_button.setEnabled(problem is None)
        return problem is None

    def accept(self) -> None:
        if not self.check():
            return
        try:
            self.change = self.apply()
        except CspdeskError as error:
            self.message.setText(f"Not saved: {error}")
            return
        super().accept()


def _combo() -> QComboBox:
    """A picker that stays a sensible width however long an action's title is."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(45)
    return combo


def _target_combo(targets: list[Target]) -> QComboBox:
    combo = _combo()
    for target in targets:
        indent = "      " if target.kind == "action" else ""
        combo.addItem(indent + target.label, (target.kind, target.id))
    return combo


def _day(date: QDate) -> dt.date:
    return dt.date(date.year(), date.month(), date.day())


def choose(combo: QComboBox, data: object) -> bool:
    """Select the entry carrying ``data`` (findData cannot compare Python tuples)."""
    for index in range(combo.count()):
        if combo.itemData(index) == data:
            combo.setCurrentIndex(index)
            return True
    return False


def _target_ids(combo: QComboBox) -> dict[str, int | None]:
    kind, target_id = combo.currentData() or (None, None)
    return {
        "priority_id": target_id if kind == "priority" else None,
        "action_id": target_id if kind == "action" else None,
    }


class IndicatorDialog(EntryDialog):
    def __init__(self, workspace: Workspace, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(workspace, plan_id, parent)
        self.setWindowTitle("Add indicator")
        self.target = _target_combo(workspace.read(plan_targets, plan_id))
        self.name = QLineEdit()
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("crimes, incidents, victims, %")
        self.source = QLineEdit()
        self.source.setPlaceholderText("e.g. Essex Police")
        self.better = QComboBox()
        self.better.addItem("Lower is better (down)", "down")
        self.better.addItem("Higher is better (up)", "up")
        self.baseline = QLineEdit()
        self.baseline_period = QLineEdit()
        self.baseline_period.setPlaceholderText("e.g. 2015/16")
        self.target_value = QLineEdit()
        self.decimals = QComboBox()
        self.decimals.addItem(DECIMALS_DEFAULT, None)
        for places in range(4):
            self.decimals.addItem(str(places), places)
        self.decimals.setToolTip("Decimal places of the % change as printed")
        for label, widget in (
            ("Priority or action", self.target),
            ("Name", self.name),
            ("Unit", self.unit),
            ("Source", self.source),
            ("Better", self.better),
            ("Baseline", self.baseline),
            ("Baseline period", self.baseline_period),
            ("Target", self.target_value),
            ("Decimal places", self.decimals),
        ):
            self.form.addRow(label, widget)
        self.watch(self.target, self.name)
        self.check()

    def problem(self) -> str | None:
        if self.target.count() == 0:
            return "The plan has no priorities yet: add one first."
        if not self.name.text().strip():
            return "Name: enter the indicator's name, for example 'Burglary in dwelling'."
        return None

    def apply(self) -> ops.Change:
        return self.workspace.write(
            figures.add_indicator,
            self.name.text(),
            **_target_ids(self.target),
            unit=self.unit.text(),
            decimals=self.decimals.currentData(),
            source=self.source.text().strip(),
            better=self.better.currentData(),
            baseline=self.baseline.text().strip(),
            baseline_period=self.baseline_period.text().strip(),
            target=self.target_value.text().strip(),
        )


class GrantDialog(EntryDialog):
    def __init__(self, workspace: Workspace, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(workspace, plan_id, parent)
        self.setWindowTitle("Add grant")
        self.source = QLineEdit()
        self.source.setPlaceholderText("e.g. PCC grant")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. £12,527 or £4K")
        self.conditions = QPlainTextEdit()
        self.conditions.setTabChangesFocus(True)
        self.form.addRow("Source", self.source)
        self.form.addRow("Amount", self.amount)
        self.form.addRow("Conditions", self.conditions)
        self.watch(self.source, self.amount)
        self.check()

    def problem(self) -> str | None:
        if not self.source.text().strip():
            return "Source: enter where the grant comes from, for example 'PCC grant'."
        return amount_problem(self.amount.text())[1]

    def apply(self) -> ops.Change:
        return self.workspace.write(
            funding.add_grant,
            self.plan_id,
            self.source.text(),
            self.amount.text(),
            self.conditions.toPlainText().strip(),
        )


class AllocationDialog(EntryDialog):
    def __init__(self, workspace: Workspace, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(workspace, plan_id, parent)
        self.setWindowTitle("Allocate part of a grant")
        self.entries = workspace.read(funding_entries, plan_id)
        self.grant = _combo()
        for grant in self.entries:
            free = grant.amount_pence - grant.allocated_pence
            left = (
                f"{format_money(free)} not yet allocated"
                if free >= 0
                else f"already over-allocated by {format_money(-free)}"
            )
            self.grant.addItem(
                f"{grant.source}: {format_money(grant.amount_pence)} ({left})", grant.id
            )
        self.target = _target_combo(workspace.read(plan_targets, plan_id))
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. £4K")
        self.note = QLineEdit()
        self.over = QLabel()
        self.over.setWordWrap(True)
        self.over.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: bold;")
        self.form.addRow("Grant", self.grant)
        self.form.addRow("Priority or action", self.target)
        self.form.addRow("Amount", self.amount)
        self.form.addRow("Note", self.note)
        self.form.addRow(self.over)
        self.watch(self.grant, self.target, self.amount)
        self.check()

    def problem(self) -> str | None:
        self.over.clear()
        if self.grant.count() == 0:
            return "There is no grant for this plan yet: add a grant first."
        if self.target.count() == 0:
            return "The plan has no priorities yet: add one first."
        pence, problem = amount_problem(self.amount.text())
        if pence is not None:
            grant = next(g for g in self.entries if g.id == self.grant.currentData())
            excess = grant.allocated_pence + pence - grant.amount_pence
            if excess > 0:  # allowed (grants get topped up), but said plainly
                self.over.setText(
                    f"Warning: this over-allocates {grant.source} by {format_money(excess)}."
                )
        return problem

    def apply(self) -> ops.Change:
        return self.workspace.write(
            funding.add_allocation,
            self.grant.currentData(),
            self.amount.text(),
            **_target_ids(self.target),
            note=self.note.text().strip(),
        )


class SpendDialog(EntryDialog):
    def __init__(self, workspace: Workspace, plan_id: int, parent: QWidget | None = None) -> None:
        super().__init__(workspace, plan_id, parent)
        self.setWindowTitle("Record spend")
        self.year = workspace.read(plan_year, plan_id)
        self.allocation = _combo()
        self.allocations: dict[int, AllocationEntry] = {}
        for grant in workspace.read(funding_entries, plan_id):
            for allocation in grant.allocations:
                self.allocation.addItem(allocation.label(grant.source), allocation.id)
                self.allocations[allocation.id] = allocation
        start = default_spend_date(
            self.year, workspace.read(current_quarter, plan_id), dt.date.today()
        )
        self.date = QDateEdit(QDate(start.year, start.month, start.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. £1,250")
        self.description = QLineEdit()
        self.over = QLabel()
        self.over.setWordWrap(True)
        self.over.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: bold;")
        self.form.addRow("Allocation", self.allocation)
        self.form.addRow("Date", self.date)
        self.form.addRow("Amount", self.amount)
        self.form.addRow("Description", self.description)
        self.form.addRow(self.over)
        self.watch(self.allocation, self.date, self.amount)
        self.check()

    def problem(self) -> str | None:
        self.over.clear()
        if self.allocation.count() == 0:
            return "Nothing is allocated yet: allocate part of a grant first."
        date_problem = spend_date_problem(self.year, _day(self.date.date()))
        if date_problem is not None:
            return f"Date: {date_problem}."
        pence, problem = amount_problem(self.amount.text())
        if pence is not None:
            allocation = self.allocations[self.allocation.currentData()]
            spent = allocation.spent_pence + pence
            if spent > allocation.amount_pence:  # allowed (an overspend happens), but said
                self.over.setText(
                    "Warning: with this, the allocation is overspent by "
                    f"{format_money(spent - allocation.amount_pence)}."
                )
        return problem

    def apply(self) -> ops.Change:
        return self.workspace.write(
            funding.add_spend,
            self.allocation.currentData(),
            self.amount.text(),
            spent_on=_day(self.date.date()),
            description=self.description.text().strip(),
        )


DIALOGS: dict[str, type[EntryDialog]] = {
    "indicator": IndicatorDialog,
    "grant": GrantDialog,
    "allocation": AllocationDialog,
    "spend": SpendDialog,
}


def _run(kind: str) -> Callable[[QWidget, Workspace, int], ops.Change | None]:
    def run(parent: QWidget, workspace: Workspace, plan_id: int) -> ops.Change | None:
        dialog = DIALOGS[kind](workspace, plan_id, parent)
        return dialog.change if dialog.exec() == QDialog.DialogCode.Accepted else None

    run.__name__ = f"run_{kind}_dialog"
    run.__doc__ = f"Ask for a new {kind}, add it; the applied Change, or None when cancelled."
    return run


run_indicator_dialog = _run("indicator")
run_grant_dialog = _run("grant")
run_allocation_dialog = _run("allocation")
run_spend_dialog = _run("spend")
