"""What a new, empty workspace shows in its tree: what to do first."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

HINT = (
    "<b>This workspace has no plan yet.</b><br><br>"
    "Bring last year's plan in from its Excel workbook, or start one by hand: "
    "a plan, then its first priority (Ins adds an item, Ctrl+Ins one under it)."
)


class EmptyPlanHint(QWidget):
    """Shown over the tree's viewport while the workspace has no plan."""

    import_requested = Signal()
    add_requested = Signal()

    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree.viewport())
        self.setObjectName("emptyPlanHint")
        self.tree = tree
        self.label = QLabel(HINT)
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton("Import a plan from Excel…")
        self.import_button.setToolTip("Read the plan's priorities, objectives and actions")
        self.import_button.clicked.connect(self.import_requested)
        self.add_button = QPushButton("Add a plan and its first priority")
        self.add_button.setToolTip("Start the plan by hand; type the priority's title")
        self.add_button.clicked.connect(self.add_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        for button in (self.import_button, self.add_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        tree.viewport().installEventFilter(self)
        self.hide()

    def update_shown(self, empty: bool) -> None:
        """``empty``: the workspace has no plan at all (a filter hiding every row is not)."""
        self.setVisible(empty)
        if empty:
            self.setGeometry(self.tree.viewport().rect().adjusted(24, 0, -24, 0))
            self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self.tree.viewport().rect().adjusted(24, 0, -24, 0))
        return False
