"""Dialogs of the quarterly cycle: close a quarter, reopen one, roll the plan forward.

Each ``run_*`` entry shows its dialog modally, applies the change in one transaction (off the
UI thread, with a progress dialog if it takes more than 600 ms) and returns the applied Change
for the undo stack, or None when cancelled or refused (the reason is shown).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.plan import periods
from cspdesk.core.plan.ops import Change
from cspdesk.core.plan.plans import current_quarter, plan_year
from cspdesk.core.plan.words import count, verb
from cspdesk.core.quarter.checks import run_checks
from cspdesk.core.quarter.closing import ClosePreview, close_preview, close_quarter, reopen_quarter
from cspdesk.core.quarter.rollforward import preview_roll_forward, roll_forward
from cspdesk.core.quarter.snapshots import quarter_statuses
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from cspdesk.ui.tasks import run_task


def _refused(parent: QWidget | None, title: str, error: CspdeskError) -> None:
    QMessageBox.warning(parent, title, str(error))


def default_to_cancel(buttons: QDialogButtonBox, warns: bool) -> None:
    """Enter (in a field) answers Cancel while the dialog warns, OK otherwise: a warning is
    passed only by choosing the button that says so. Call it once the buttons are in the
    dialog (a default set before is overruled when the dialog shows)."""
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    ok.setDefault(not warns)
    cancel.setDefault(warns)


def _quarter_label(quarter: int, state: str) -> str:
    text = f"Q{quarter} ({periods.QUARTER_MONTHS[quarter]})"
    return text if state == "open" else f"{text} — {state}"


class CloseQuarterDialog(QDialog):
    """Pick a quarter, see what will be frozen, and confirm."""

    def __init__(self, parent: QWidget | None, workspace: Workspace, plan_id: int) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan_id = plan_id
        self.setWindowTitle("Close a quarter")
        statuses = workspace.read(quarter_statuses, plan_id)
        self.labels = {s.code: s.label for s in workspace.read(load_scheme)}
        current = workspace.read(current_quarter, plan_id)
        self.quarter = QComboBox()
        for quarter, status in statuses.items():
            self.quarter.addItem(_quarter_label(quarter, status.state), quarter)
        self.quarter.setCurrentIndex(current - 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Quarter:", self.quarter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.quarter.currentIndexChanged.connect(self.update_summary)
        self.update_summary()

    @property
    def chosen(self) -> int:
        return int(self.quarter.currentData())

    def update_summary(self) -> None:
        preview: ClosePreview = self.workspace.read(close_preview, self.plan_id, self.chosen)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if preview.status.closed:
            when = preview.status.closed_at
            self.summary.setText(
                f"Q{preview.quarter} {preview.year} was closed"
                f"{f' on {when:%d %b %Y}' if when else ''} by {preview.status.closed_by}. "
                "Reopen it first to change what was reported."
            )
            ok.setEnabled(False)
            ok.setText("Close")
            return
        rags = ", ".join(
            f"{count} {self.labels.get(code, code) if code else 'no status'}"
            for code, count in sorted(preview.rag_counts.items(), key=lambda kv: str(kv[0]))
        )
        missing = preview.actions - preview.with_update
        findings = len(self.workspace.read(run_checks, self.plan_id, preview.quarter))
        advice = (
            "The checker finds nothing to look at."
            if findings == 0
            else f"The checker finds {count(findings, 'thing')} to look at "
            "first (see the checker panel)."
        )
        updated = preview.with_update
        current = self.workspace.read(current_quarter, self.plan_id)
        after = (
            f" The plan then moves on to Q{preview.quarter + 1}."
            if preview.quarter == current and preview.quarter < 4
            else " Q4 is the year's last: then Quarter › Roll forward to next year… starts the "
            "next plan."
            if preview.quarter == 4
            else ""
        )
        self.summary.setText(
            f"Closing Q{preview.quarter} {preview.year} freezes what was reported: the text, "
            f"leads, RAG and update of {all_of(preview.actions)}, as they stand now. "
            f"Later edits will not change it; reports for this quarter print from it.{after}\n\n"
            f"{count(updated, 'action')} {verb(updated, 'has', 'have')} a Q{preview.quarter} "
            f"update; {missing} {verb(missing, 'has', 'have')} none."
            f"\nRAG: {rags or 'no actions'}.\n\n{advice}"
        )
        ok.setEnabled(True)
        ok.setText(f"Close Q{preview.quarter}")
        default_to_cancel(self.buttons, warns=findings > 0 or missing > 0)


def all_of(actions: int) -> str:
    """'the 1 action', 'all 3 actions'."""
    return f"the {count(actions, 'action')}" if actions == 1 else f"all {count(actions, 'action')}"


def run_close_quarter_dialog(
    parent: QWidget | None, workspace: Workspace, plan_id: int
) -> Change | None:
    dialog = CloseQuarterDialog(parent, workspace, plan_id)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    quarter = dialog.chosen
    try:
        return run_task(
            parent,
            f"Closing Q{quarter}…",
            lambda _progress: workspace.write(close_quarter, plan_id, quarter),
        )
    except CspdeskError as error:
        _refused(parent, "Close a quarter", error)
        return None


class ReopenQuarterDialog(QDialog):
    """Reopen a closed quarter: a reason and an explicit tick are required."""

    def __init__(self, parent: QWidget | None, workspace: Workspace, plan_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reopen a closed quarter")
        statuses = workspace.read(quarter_statuses, plan_id)
        self.quarter = QComboBox()
        for quarter, status in statuses.items():
            if status.closed:
                self.quarter.addItem(_quarter_label(quarter, status.state), quarter)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("Why is it reopened? (kept in the history)")
        self.confirm = QCheckBox(
            "I understand reports for this quarter will no longer print what the committee saw"
        )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Reopen")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Quarter:", self.quarter)
        form.addRow("&Reason:", self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        default_to_cancel(self.buttons, warns=True)  # what the committee saw is unfrozen
        self.reason.textChanged.connect(self._enable)
        self.confirm.toggled.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        ready = (
            self.quarter.count() > 0
            and bool(self.reason.toPlainText().strip())
            and self.confirm.isChecked()
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)


def run_reopen_quarter_dialog(
    parent: QWidget | None, workspace: Workspace, plan_id: int
) -> Change | None:
    dialog = ReopenQuarterDialog(parent, workspace, plan_id)
    if dialog.quarter.count() == 0:
        QMessageBox.information(parent, "Reopen a quarter", "No quarter of this plan is closed.")
        return None
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    quarter, reason = int(dialog.quarter.currentData()), dialog.reason.toPlainText()
    try:
        return workspace.write(reopen_quarter, plan_id, quarter, reason)
    except CspdeskError as error:
        _refused(parent, "Reopen a quarter", error)
        return None


class RollForwardDialog(QDialog):
    """Next year's plan from this one: the year, and what will be carried or left."""

    def __init__(self, parent: QWidget | None, workspace: Workspace, plan_id: int) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan_id = plan_id
        self.setWindowTitle("Roll the plan forward")
        year = workspace.read(plan_year, plan_id)
        self.to_year = QLineEdit(periods.next_year(year))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Roll forward")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("From:", QLabel(year))
        form.addRow("&To:", self.to_year)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.to_year.textChanged.connect(self.update_summary)
        self.update_summary()

    def update_summary(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            preview = self.workspace.read(
                preview_roll_forward, self.plan_id, self.to_year.text().strip()
            )
        except CspdeskError as error:
            self.summary.setText(str(error))
            ok.setEnabled(False)
            return
        statuses = self.workspace.read(quarter_statuses, self.plan_id)
        still_open = [q for q, status in statuses.items() if not status.closed]
        warning = (
            f"Not closed: {', '.join(f'Q{q}' for q in still_open)} of {preview.from_year}. What "
            f"{verb(len(still_open), 'it', 'they')} reported has not been frozen for the record "
            "(Quarter › Close quarter…); close "
            f"{verb(len(still_open), 'it', 'them')} first unless you mean to leave "
            f"{verb(len(still_open), 'it', 'them')} open.\n\n"
            if still_open
            else ""
        )
        self.summary.setText(
            f"{warning}A {preview.to_year} plan with the same "
            f"{count(preview.priorities, 'priority', 'priorities')} and "
            f"{count(preview.objectives, 'objective')}. "
            f"{count(preview.carried, 'unfinished action')} {verb(preview.carried, 'is', 'are')} "
            "carried over, linked to their history; "
            f"{count(preview.completed, 'completed action')} "
            f"{verb(preview.completed, 'stays', 'stay')} in {preview.from_year}, which becomes "
            "read-only."
        )
        ok.setEnabled(True)
        ok.setText("Roll forward anyway" if still_open else "Roll forward")
        default_to_cancel(self.buttons, warns=bool(still_open))


def run_roll_forward_dialog(
    parent: QWidget | None, workspace: Workspace, plan_id: int
) -> Change | None:
    dialog = RollForwardDialog(parent, workspace, plan_id)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    to_year = dialog.to_year.text().strip()
    try:
        return run_task(
            parent,
            f"Making the {to_year} plan…",
            lambda _progress: workspace.write(roll_forward, plan_id, to_year),
        )
    except CspdeskError as error:
        _refused(parent, "Roll the plan forward", error)
        return None
