"""A file or folder just written, said in the status bar with "Open" and "Show in folder"; when
no program opens it, the officer is told so and where it is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

SHOWN_MS = 15_000  # as long as the status bar's other messages about a file written


def open_path(path: Path) -> bool:
    """Open a file or folder with the program the system has for it; False when none did."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def no_program_said(path: Path) -> str:
    kind = f"{path.suffix} files" if path.suffix else "folders"
    return f"No program on this computer opened {kind}; the file is at {path}."


class FileNotice(QWidget):
    """The status bar's line for a written file: what was written, Open, Show in folder."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__()
        self.path: Path | None = None
        self.text = QLabel()
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the file just written")
        self.folder_button = QPushButton("Show in folder")
        self.folder_button.setAccessibleName("Show the file just written in its folder")
        self.open_button.clicked.connect(self.open_file)
        self.folder_button.clicked.connect(self.show_folder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.open_button)
        layout.addWidget(self.folder_button)
        layout.addStretch(1)  # the notice spans the status bar; the buttons keep their size
        self._timer = QTimer(self)  # dies with the notice: never fires on a closed window
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        window.statusBar().addWidget(self, 1)
        self.hide()

    def announce(self, message: str, path: Path, *, can_open: bool = True) -> None:
        """Say ``message`` about ``path`` (a file, or a folder when ``can_open`` is False)."""
        self.path = path
        self.text.setText(message)
        self.open_button.setVisible(can_open and path.is_file())
        self.show()
        self._timer.start()

    def open_file(self) -> None:
        if self.path is not None and not open_path(self.path):
            self.text.setText(no_program_said(self.path))

    def show_folder(self) -> None:
        if self.path is None:
            return
        folder = self.path if self.path.is_dir() else self.path.parent
        if not open_path(folder):
            self.text.setText(f"No file manager opened the folder; it is {folder}.")
