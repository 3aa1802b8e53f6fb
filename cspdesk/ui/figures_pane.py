"""The figures pane: the plan's indicators with this quarter's figures (editable) and their
change against last year (computed, read-only), and funding by priority with warnings.

Indicators, grants, allocations and spend are added through small dialogs (ui.dialogs.funding)
and deleted with ops.delete_item. Every edit is one core call in one transaction; the pane emits
the applied Change on ``changed`` so the main window can put it on its undo stack.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.figures import performance as figures
from cspdesk.core.figures.performance import PERFORMANCE_COLUMNS
from cspdesk.core.funding.lists import funding_entries
from cspdesk.core.funding.summary import FundingSummary, funding_summary
from cspdesk.core.plan import ops
from cspdesk.core.plan.plans import current_quarter
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from cspdesk.ui.funding_tree import FundingTree

WARNING_COLOUR = "#B03A2E"
FILLS = {"better": "#CDEBD5", "worse": "#F6D0CC", "same": "#E8E8E8"}
INDICATOR_ROLE = Qt.ItemDataRole.UserRole + 1


class Col(IntEnum):
    PRIORITY = 0
    INDICATOR = 1
    PERIOD = 2
    FIGURE = 3
    LAST_YEAR = 4
    CHANGE = 5
    PERCENT = 6
    DIRECTION = 7


HEADINGS = ("Priority", "Indicator", *PERFORMANCE_COLUMNS)
EDITABLE = {Col.FIGURE, Col.LAST_YEAR}


class FundCol(IntEnum):
    PRIORITY = 0
    ALLOCATED = 1
    SPENT = 2
    REMAINING = 3


class FiguresPane(QWidget):
    """Indicators and funding of one plan; call ``refresh(plan_id)`` to show a plan."""

    changed = Signal(object)  # the Change just applied (for the undo stack)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan_id: int | None = None
        self.rows: list[figures.Row] = []
        self._filling = False

        self.quarter = QComboBox()
        self.quarter.addItems([f"Q{q}" for q in range(1, 5)])
        self.quarter.setAccessibleName("Quarter")
        self.quarter.currentIndexChanged.connect(lambda _index: self._refresh_figures())
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.error.setWordWrap(True)

        self.table = QTableWidget(0, len(HEADINGS))
        self.table.setHorizontalHeaderLabels(HEADINGS)
        self.table.setAccessibleName("Performance indicators")
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Col.INDICATOR, QHeaderView.ResizeMode.Stretch)
        for column in Col:  # "Same period last year" whole, not cut to "Same period la"
            if column != Col.INDICATOR:
                header.resizeSection(column, max(header.sectionSizeHint(column), 100))
        self.table.itemChanged.connect(self._item_changed)

        self.funding = QTableWidget(0, 4)
        self.funding.setHorizontalHeaderLabels(["Priority", "Allocated", "Spent", "Remaining"])
        self.funding.setAccessibleName("Funding by priority")
        self.funding.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.funding.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.grants = QLabel()
        self.grants.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARNING_COLOUR}; font-weight: bold;")

        self.entries = FundingTree()
        self.dialog: QWidget | None = None  # the entry dialog open, if any
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("indicator", "Add indicator…", lambda: self.open_dialog("indicator")),
            ("delete_indicator", "Delete indicator", self.delete_indicator),
            ("grant", "Add grant…", lambda: self.open_dialog("grant")),
            ("allocation", "Allocate…", lambda: self.open_dialog("allocation")),
            ("spend", "Record spend…", lambda: self.open_dialog("spend")),
            ("delete_entry", "Delete entry", self.delete_entry),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            button.setEnabled(not workspace.read_only)
            self.buttons[key] = button
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.entries.itemSelectionChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(QLabel("Performance figures for"))
        top.addWidget(self.quarter)
        top.addStretch(1)
        top.addWidget(self.buttons["indicator"])
        top.addWidget(self.buttons["delete_indicator"])
        money = QHBoxLayout()
        money.addWidget(QLabel("Funding"))
        money.addStretch(1)
        for key in ("grant", "allocation", "spend", "delete_entry"):
            money.addWidget(self.buttons[key])
        tables = QHBoxLayout()
        tables.addWidget(self.funding, 1)
        tables.addWidget(self.entries, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.error)
        layout.addLayout(money)
        layout.addWidget(self.grants)
        layout.addWidget(self.warning)
        layout.addLayout(tables, 2)
        # Docked below the tree on a small or scaled screen the pane may get a third of 440
        # pixels: it scrolls there instead of pushing the plan tree down to three rows.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Figures and funding")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self._update_buttons()

    # ---- showing ---------------------------------------------------------------------------

    def refresh(self, plan_id: int | None = None) -> None:
        """Show ``plan_id`` (or reload the plan shown) from the workspace."""
        if plan_id is not None and plan_id != self.plan_id:
            self.plan_id = plan_id
            current = self.workspace.read(current_quarter, plan_id)
            self.quarter.blockSignals(True)
            self.quarter.setCurrentIndex(max(0, min(3, (current or 1) - 1)))
            self.quarter.blockSignals(False)
        self._refresh_figures()
        self._refresh_funding()

    def current_quarter(self) -> int:
        return self.quarter.currentIndex() + 1

    def _refresh_figures(self) -> None:
        if self.plan_id is None:
            return
        quarter = self.current_quarter()
        self.rows = self.workspace.read(figures.performance_table, self.plan_id, quarter)
        self._filling = True
        try:
            self.table.setRowCount(len(self.rows))
            for r, row in enumerate(self.rows):
                own = row.quarter == quarter
                texts = {
                    Col.PRIORITY: row.priority,
                    Col.INDICATOR: row.name + (f" ({row.action})" if row.action else ""),
                    Col.PERIOD: row.period if own else f"no figure for Q{quarter} yet",
                    Col.FIGURE: row.value if own else "",
                    Col.LAST_YEAR: row.previous if own else "",
                    Col.CHANGE: row.change if own else "",
                    Col.PERCENT: row.percent_change if own else "",
                    Col.DIRECTION: (row.direction.capitalize() or row.summary) if own else "",
                }
                for column, text in texts.items():
                    item = QTableWidgetItem(text)
                    item.setData(INDICATOR_ROLE, row.indicator_id)
                    flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                    if column in EDITABLE:
                        flags |= Qt.ItemFlag.ItemIsEditable
                    item.setFlags(flags)
                    if column in (Col.FIGURE, Col.LAST_YEAR, Col.CHANGE, Col.PERCENT):
                        item.setTextAlignment(
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                        )
                    if column == Col.DIRECTION and own and row.direction in FILLS:
                        item.setBackground(QBrush(QColor(FILLS[row.direction])))
                        item.setToolTip(row.summary)
                    self.table.setItem(r, column, item)
        finally:
            self._filling = False

    def _refresh_funding(self) -> None:
        if self.plan_id is None:
            return
        summary: FundingSummary = self.workspace.read(funding_summary, self.plan_id)
        lines = (*summary.lines, summary.total)
        self.funding.setRowCount(len(lines))
        bold = QFont()
        bold.setBold(True)
        for r, line in enumerate(lines):
            texts = (line.title, line.allocated, line.spent, line.remaining)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if line is summary.total:
                    item.setFont(bold)
                if line.overspent and column == FundCol.REMAINING:
                    item.setBackground(QBrush(QColor(FILLS["worse"])))
                    item.setToolTip("Overspent")
                self.funding.setItem(r, column, item)
        if summary.grants:
            from cspdesk.core.funding.money import format_money

            parts = [f"{g.source}: {format_money(g.amount_pence)}" for g in summary.grants]
            self.grants.setText(
                "Grants: "
                + "; ".join(parts)
                + f". Not yet allocated: {format_money(summary.unallocated_pence)}."
            )
        else:
            self.grants.setText("No grants entered for this plan.")
        self.warning.setText("\n".join(f"Warning: {w}" for w in summary.warnings))
        self.warning.setVisible(bool(summary.warnings))
        self.entries.load(self.workspace.read(funding_entries, self.plan_id))
        self._update_buttons()

    # ---- editing ---------------------------------------------------------------------------

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() not in EDITABLE:
            return
        r = item.row()
        indicator_id = item.data(INDICATOR_ROLE)
        figure = self.table.item(r, Col.FIGURE).text()
        last_year = self.table.item(r, Col.LAST_YEAR).text()
        try:
            change = self.workspace.write(
                figures.set_value,
                indicator_id,
                figure,
                last_year,
                quarter=self.current_quarter(),
            )
        except CspdeskError as error:
            self.error.setText(f"Not saved: {error}")
        else:
            self.error.clear()
            self.changed.emit(change)
        # Items are rebuilt after this signal returns: the edited item must outlive it.
        QTimer.singleShot(0, self._refresh_figures)

    # ---- adding and deleting ---------------------------------------------------------------

    def _update_buttons(self) -> None:
        writable = not self.workspace.read_only and self.plan_id is not None
        for key in ("indicator", "grant", "allocation", "spend"):
            self.buttons[key].setEnabled(writable)
        self.buttons["delete_indicator"].setEnabled(
            writable and self.selected_indicator() is not None
        )
        self.buttons["delete_entry"].setEnabled(writable and self.entries.selected() is not None)

    def open_dialog(self, kind: str) -> QWidget | None:
        """Open the dialog adding a ``kind`` ("indicator", "grant", "allocation", "spend")."""
        from cspdesk.ui.dialogs.funding import DIALOGS

        if self.plan_id is None:
            return None
        dialog = DIALOGS[kind](self.workspace, self.plan_id, self)
        dialog.accepted.connect(lambda: self._applied(dialog.change))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _applied(self, change: ops.Change | None) -> None:
        if change is None:
            return
        self.changed.emit(change)
        self.refresh()

    def selected_indicator(self) -> int | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        item = self.table.item(rows.pop(), Col.INDICATOR)
        return None if item is None else item.data(INDICATOR_ROLE)

    def _delete(self, entity: str, item_id: int) -> None:
        try:
            change = self.workspace.write(ops.delete_item, entity, item_id)
        except CspdeskError as error:
            self.error.setText(f"Not deleted: {error}")
            return
        self.error.clear()
        self._applied(change)

    def delete_indicator(self) -> None:
        """Delete the selected indicator and its figures (undo puts them back)."""
        indicator_id = self.selected_indicator()
        if indicator_id is not None:
            self._delete("indicator", indicator_id)

    def delete_entry(self) -> None:
        """Delete the selected grant, allocation or spend, with what is under it (undoable)."""
        key = self.entries.selected()
        if key is not None:
            self._delete(*key)
