"""Quarter > Make partner returns…, Quarter > Import partner returns…, and the chase list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core import ops
from cspdesk.core.model import Plan, RagStatus
from cspdesk.core.rag import load_scheme, parse_rag
from cspdesk.core.returns_diff import DONE_DATE, RAG, FieldChange, ReturnDiff
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs._task import run_task

if TYPE_CHECKING:
    from cspdesk.io.returns_make import MadeReturn

CONFLICT = QColor("#F8D7DA")
REFUSED = QColor("#C0392B")
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1


def _plan(workspace: Workspace, plan_id: int) -> tuple[str, int]:
    def load(session: Any) -> tuple[str, int]:
        plan = session.get(Plan, plan_id)
        return plan.year, plan.current_quarter

    return workspace.read(load)


class MakeReturnsDialog(QDialog):
    def __init__(self, parent: QWidget | None, year: str, quarter: int) -> None:
        super().__init__(parent)
        from cspdesk.io.returns_make import default_due_date

        self.setWindowTitle(f"Make partner returns – {year}")
        self.quarter = QComboBox()
        self.quarter.addItems([f"Q{q}" for q in range(1, 5)])
        self.quarter.setCurrentIndex(quarter - 1)
        self.due = QDateEdit(calendarPopup=True)
        self.due.setDisplayFormat("dd/MM/yyyy")
        self.year = year
        self.quarter.currentIndexChanged.connect(
            lambda i: self.due.setDate(QDate(default_due_date(year, i + 1)))
        )
        self.due.setDate(QDate(default_due_date(year, quarter)))
        self.emails = QCheckBox("Also write a draft email per lead (.eml)")
        self.folder = QLabel(str(Path.home()))
        choose = QPushButton("Choose folder…")
        choose.clicked.connect(self._choose)
        form = QFormLayout(self)
        form.addRow("Quarter", self.quarter)
        form.addRow("Due by", self.due)
        form.addRow("Folder", self.folder)
        form.addRow("", choose)
        form.addRow(self.emails)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _choose(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save the returns in", self.folder.text())
        if folder:
            self.folder.setText(folder)


def run_make_returns_dialog(
    parent: QWidget | None, workspace: Workspace, plan_id: int
) -> list[MadeReturn] | None:
    """Ask for quarter, due date and folder, then write the returns in a worker thread (a
    progress dialog shows if it takes long): the returns made, or None if cancelled or refused."""
    from cspdesk.io.returns_make import make_returns

    year, quarter = _plan(workspace, plan_id)
    dialog = MakeReturnsDialog(parent, year, quarter)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    # Read the widgets here: the worker thread must not touch them.
    chosen_quarter = dialog.quarter.currentIndex() + 1
    folder = Path(dialog.folder.text())
    due = dialog.due.date().toPython()
    emails = dialog.emails.isChecked()
    try:
        made: list[MadeReturn] = run_task(
            parent,
            "Making the returns…",
            lambda progress: make_returns(
                workspace,
                plan_id,
                chosen_quarter,
                folder,
                due=due,
                emails=emails,
                progress=progress,
            ),
        )
    except CspdeskError as error:
        QMessageBox.warning(parent, "Partner returns", str(error))
        return None
    QMessageBox.information(parent, "Partner returns", f"{len(made)} returns written to {folder}")
    return made


def _show(value: Any, labels: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return (
        labels.get(value, str(value)) if isinstance(value, str) and value in labels else str(value)
    )


class ReviewDialog(QDialog):
    """A tree of every file's changes: tick, untick or edit each, then accept."""

    COLUMNS = ("Item", "Field", "Plan now", "From the return", "Note")

    def __init__(
        self,
        parent: QWidget | None,
        diffs: Sequence[ReturnDiff],
        refused: Sequence[CspdeskError],
        scheme: Sequence[RagStatus],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import partner returns")
        self.resize(1000, 600)
        self.diffs = list(diffs)
        self.scheme = list(scheme)
        self.labels = {s.code: s.label for s in scheme}
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.setHeaderLabels(self.COLUMNS)
        self.change_items: list[tuple[QTreeWidgetItem, FieldChange]] = []
        for diff in self.diffs:
            self._add_diff(diff)
        for error in refused:
            item = QTreeWidgetItem(self.tree, [str(error), "refused"])
            item.setForeground(0, QBrush(REFUSED))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Untick what you do not want; double-click a value from the "
                "return to correct it. Conflicts (red) are unticked."
            )
        )
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge ticked changes")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_diff(self, diff: ReturnDiff) -> None:
        head = f"{diff.lead_name} – Q{diff.quarter} {diff.plan_year} ({diff.file_name})"
        top = QTreeWidgetItem(self.tree, [head, f"{len(diff.changes)} changes"])
        if diff.merged_at is not None:
            top.setText(4, f"already merged on {diff.merged_at:%d/%m/%Y}")
        for change in diff.changes:
            item = QTreeWidgetItem(
                top,
                [
                    change.item_title,
                    change.label,
                    _show(change.old, self.labels),
                    _show(change.new, self.labels),
                    change.note,
                ],
            )
            item.setFlags(
                item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
            )
            item.setCheckState(
                0, Qt.CheckState.Checked if change.accepted else Qt.CheckState.Unchecked
            )
            item.setData(0, CHANGE_ROLE, len(self.change_items))
            if change.conflict:
                for column in range(len(self.COLUMNS)):
                    item.setBackground(column, QBrush(CONFLICT))
            self.change_items.append((item, change))
        for row in diff.added:
            QTreeWidgetItem(
                top,
                [
                    row.describe(),
                    "added row",
                    "",
                    "",
                    f"row {row.row}: place it in the plan by hand",
                ],
            )
        for row in diff.deleted:
            QTreeWidgetItem(top, [row.title, "row deleted", "", "", "no change"])
        for problem in diff.problems:
            QTreeWidgetItem(top, [problem.describe(), "note"])

    def _value(self, change: FieldChange, text: str) -> Any:
        if change.field == RAG:
            try:
                return parse_rag(text, self.scheme)
            except ValueError as error:
                raise CspdeskError(f"{change.item_title}: {error}") from error
        if change.field == DONE_DATE:
            from cspdesk.io.returns_cells import NotADate, parse_date

            try:
                return parse_date(text)
            except NotADate as error:
                raise CspdeskError(f"{change.item_title}: {error}") from error
        return text

    def collect(self) -> list[ReturnDiff]:
        """The diffs with the officer's ticks and edits applied (CspdeskError if a bad edit)."""
        for item, change in self.change_items:
            change.accepted = item.checkState(0) == Qt.CheckState.Checked
            if item.text(3) != _show(change.new, self.labels):
                change.new = self._value(change, item.text(3))
        return self.diffs


def run_apply_returns_dialog(
    parent: QWidget | None,
    workspace: Workspace,
    plan_id: int,
    paths: Sequence[Path | str] | None = None,
) -> ops.Change | None:
    """Choose return files, review their changes, merge the ticked ones as one undo step."""
    from cspdesk.core.returns_apply import apply_returns
    from cspdesk.io.returns_read import read_returns

    if paths is None:
        chosen, _ = QFileDialog.getOpenFileNames(
            parent, "Import partner returns", "", "Excel workbooks (*.xlsx);;All files (*)"
        )
        paths = chosen
    if not paths:
        return None
    diffs, refused = run_task(
        parent,
        f"Reading {len(paths)} return(s)…",
        lambda _progress: workspace.read(read_returns, paths, plan_id=plan_id),
    )
    scheme = workspace.read(load_scheme)
    dialog = ReviewDialog(parent, diffs, refused, scheme)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        try:
            return workspace.write(apply_returns, dialog.collect()) if diffs else None
        except CspdeskError as error:
            QMessageBox.warning(dialog, "Import partner returns", str(error))
    return None


class ChaseListView(QWidget):
    """Which leads have returned, which are late: refresh(plan_id, quarter)."""

    HEADINGS = ("Lead", "Status", "Actions", "Made", "Due", "Merged", "File")

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.table = QTableWidget(0, len(self.HEADINGS))
        self.table.setHorizontalHeaderLabels(self.HEADINGS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def refresh(self, plan_id: int, quarter: int, today: dt.date | None = None) -> None:
        from cspdesk.core.chase import LATE, RETURNED, chase_list

        rows = self.workspace.read(chase_list, plan_id, quarter, today)
        self.table.setRowCount(len(rows))
        colours = {LATE: QColor("#F8D7DA"), RETURNED: QColor("#D4EDDA")}
        for number, row in enumerate(rows):
            values = (
                row.lead,
                row.status,
                str(row.actions),
                f"{row.made_at:%d/%m/%Y}" if row.made_at else "",
                f"{row.due_date:%d/%m/%Y}" if row.due_date else "",
                f"{row.merged_at:%d/%m/%Y %H:%M}" if row.merged_at else "",
                row.merged_file,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.status in colours:
                    item.setBackground(QBrush(colours[row.status]))
                self.table.setItem(number, column, item)
        self.table.resizeColumnsToContents()
