"""New work partners wrote in their returns for an action, waiting in its detail pane to be
placed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspdesk.returns.new_work import WaitingWork, waiting_for_action
from cspdesk.returns.place import Placement, place_kept
from cspdesk.ui.document import PlanDocument


class NewWorkBox(QGroupBox):
    """New work partners wrote in their returns, not placed yet: who sent it, what it says,
    and where to place it (a new action beside this one, a milestone of it, or a note on it).
    Hidden while nothing waits."""

    def __init__(self, document: PlanDocument, action_id: int, objective_id: int) -> None:
        super().__init__()
        self.document, self.action_id, self.objective_id = document, action_id, objective_id
        self.setAccessibleName("New work from partners to place")
        self.rows = QVBoxLayout(self)
        self.waiting: list[WaitingWork] = []
        self.fill()

    def fill(self) -> None:
        waiting = self.document.workspace.read(waiting_for_action, self.action_id)
        if waiting == self.waiting and self.rows.count():
            return
        self.waiting = waiting
        while (item := self.rows.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.setTitle(f"New work from partners to place ({len(waiting)})")
        for work in waiting:
            self.rows.addWidget(self._row(work))
        self.setVisible(bool(waiting))

    def _row(self, work: WaitingWork) -> QWidget:
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 6)
        sent = QLabel(f"Q{work.quarter}, from {work.sent_by}:")
        words = QLabel(work.describe())
        for label in (sent, words):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        choice = QComboBox()
        # As narrow as the pane: the longest choice need not set the pane's width.
        choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        choice.setMinimumContentsLength(10)
        choice.setAccessibleName(f"Place row {work.row} of {work.file_name} as")
        choice.addItem("A new action beside this one", Placement("action", self.objective_id))
        choice.addItem("A new milestone of this action", Placement("milestone", self.action_id))
        choice.addItem(
            f"A note on this action ({work.lead_name}'s part)", Placement("note", self.action_id)
        )
        place = QPushButton("Place")
        place.setAccessibleName(f"Place row {work.row} of {work.file_name}")
        place.clicked.connect(lambda: self.place(work.id, choice.currentData()))
        for widget in (choice, place):
            widget.setEnabled(not self.document.read_only)
        line = QHBoxLayout()
        line.addWidget(choice, 1)
        line.addWidget(place)
        layout.addLayout(line)
        return row

    def place(self, new_work_id: int, where: Placement) -> bool:
        """Place the kept row (one undo step); False when refused (said to the officer)."""
        change = self.document.apply(place_kept, new_work_id, where, text="Place new work")
        return change is not None
