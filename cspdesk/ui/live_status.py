"""The status bar's word on a shared plan's server: while it does not answer, say so plainly
(not an empty "Also open", which reads as "my colleague left"), say when it is back, and offer
the edits it did not take ("Save now")."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStatusBar,
    QWidget,
)

from cspdesk.core.plan.words import count, verb
from cspdesk.ui.document import PlanDocument
from cspdesk.ui.live import LiveView

AWAY = "Server not answering — changes are not being saved; retrying"
BACK = "The server is answering again: changes are saved as you make them."
BACK_MS = 15_000


class LiveStatus(QWidget):
    """A permanent part of the status bar for one open shared plan."""

    def __init__(self, live: LiveView, document: PlanDocument, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.live, self.document, self.status_bar = live, document, status_bar
        self.away = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("serverStatus")
        self.label.setAccessibleName("Server status")
        # Its own background, so it reads the same on a light or a dark window (as the
        # read-only banner does).
        self.label.setStyleSheet(
            "background:#FFF4CE;color:#3B2F00;font-weight:bold;padding:1px 6px;"
        )
        self.unsaved_label = QLabel()
        self.unsaved_label.setAccessibleName("Changes not saved")
        self.save_now = QPushButton("Save now")
        self.save_now.setToolTip("Save the changes the server did not take")
        self.save_now.clicked.connect(self._save_now)
        self.discard = QPushButton("Discard")
        self.discard.setToolTip("Give up the unsaved changes (their words go to the clipboard)")
        self.discard.clicked.connect(self._discard)
        for widget in (self.label, self.unsaved_label, self.save_now, self.discard):
            layout.addWidget(widget)
        status_bar.addPermanentWidget(self)
        live.live_changed.connect(self._live_changed)
        live.answered.connect(self._answered)
        document.connection_lost.connect(self._lost)
        document.unsaved.changed.connect(self._show)
        self._show()

    def _live_changed(self, listening: bool) -> None:
        if listening:
            self._answered()
        else:
            self._lost()

    def _lost(self, _reason: str = "") -> None:
        if not self.away:
            self.away = True
            self._show()
        self.live.check_soon()

    def _answered(self) -> None:
        if not self.away:
            return
        self.away = False
        self.document.server_answers()
        self._show()
        held = len(self.document.unsaved)
        said = BACK
        if held:
            said += f" {count(held, 'change')} typed meanwhile {verb(held, 'is', 'are')} "
            said += "not saved yet: “Save now” saves them."
        self.status_bar.showMessage(said, BACK_MS)

    def _show(self) -> None:
        self.label.setText(AWAY if self.away else "")
        self.label.setVisible(self.away)
        held = len(self.document.unsaved)
        self.unsaved_label.setText(f"{count(held, 'change')} not saved" if held else "")
        self.unsaved_label.setToolTip(self.document.unsaved.describe())
        for widget in (self.unsaved_label, self.save_now, self.discard):
            widget.setVisible(bool(held))
        self.save_now.setEnabled(bool(held) and not self.away)
        self.setVisible(self.away or bool(held))

    def save_held(self) -> None:
        """Save the held changes now if the server answers; if not, say they wait."""
        if self.away:
            held = len(self.document.unsaved)
            waiting = f"{count(held, 'change')} {verb(held, 'waits', 'wait')}"
            self.status_bar.showMessage(
                f"The server is not answering: {waiting} to be saved (“Save now” saves them "
                "once it answers).",
                10000,
            )
        else:
            self._save_now()

    def _save_now(self) -> None:
        saved = self.document.unsaved.save_now()  # a refusal or a failure says so itself
        if saved:
            self.status_bar.showMessage(f"Saved {count(saved, 'change')}.", 5000)

    def _discard(self) -> None:
        edits = self.document.unsaved.take_all()
        if edits:
            QGuiApplication.clipboard().setText("\n\n".join(edit.text for edit in edits))
            self.status_bar.showMessage(
                f"{count(len(edits), 'unsaved change')} given up; what you typed is on the "
                "clipboard.",
                10000,
            )

    def may_close(self) -> bool:
        """Asked as the window closes: changes the server did not take are saved, given up
        (their words to the clipboard), or the window stays open."""
        if not self.document.unsaved:
            return True
        choice = self._ask()
        if choice == "save":
            self._save_now()
            return not self.document.unsaved
        if choice == "discard":
            self._discard()
            return True
        return False

    def _ask(self) -> str:
        """ "save", "discard" or "cancel"."""
        held = len(self.document.unsaved)
        box = QMessageBox(self.window())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.window().windowTitle())
        box.setText(
            f"{count(held, 'change')} typed while the server was not answering "
            f"{verb(held, 'is', 'are')} not saved."
        )
        box.setDetailedText(self.document.unsaved.describe())
        save = box.addButton("Save now", QMessageBox.ButtonRole.AcceptRole)
        save.setEnabled(not self.away)
        discard = box.addButton(
            "Close without saving (copy the words)", QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def stop(self) -> None:
        """The plan is closing (or another opens in the window)."""
        self.status_bar.removeWidget(self)
        self.deleteLater()
