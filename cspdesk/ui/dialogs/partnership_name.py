"""Ask for the partnership's name when a new workspace is started (first run, an empty
shared database): OK stays disabled until a name is typed, so OK never means "nothing"."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from cspdesk import APP_DISPLAY_NAME


class PartnershipNameDialog(QDialog):
    """One field, the name; OK enabled once it holds more than spaces."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_DISPLAY_NAME)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Castle Point and Rochford CSP")
        self.name.setMinimumWidth(self.name.fontMetrics().averageCharWidth() * 45)
        label = QLabel("Your partnership's &name:")
        label.setBuddy(self.name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.name)
        layout.addWidget(self.buttons)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setDefault(True)
        self.name.textChanged.connect(self._enable)
        self._enable()
        self.name.setFocus()

    def _enable(self) -> None:
        self.ok.setEnabled(bool(self.name.text().strip()))

    def accept(self) -> None:
        if self.ok.isEnabled():  # Enter in an empty field does nothing
            super().accept()


def ask_partnership_name(parent: QWidget | None) -> str | None:
    """The name typed (trimmed), or None when the officer cancelled."""
    dialog = PartnershipNameDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.name.text().strip()
