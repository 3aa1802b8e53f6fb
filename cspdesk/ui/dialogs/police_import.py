"""Figures > Import police data…: a data.police.uk download (zip or folder) read with a progress
dialog, a preview (months, districts counted and ignored, rows with no location, what is
replaced) with the districts to count as check boxes, then one undoable import.

Nothing changes until Import; a download that cannot be imported says why in one line and the
Import button stays off.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.figures.police import PoliceImport, preview_police
from cspdesk.core.figures.police_apply import apply_police
from cspdesk.core.plan import ops
from cspdesk.errors import CspdeskError
from cspdesk.io.police_data import PoliceDownload, describe_sources, read_police_data
from cspdesk.store.db import Workspace
from cspdesk.ui.file_folders import remember_folder, start_folder
from cspdesk.ui.tasks import run_task

WARNING_COLOUR = "#B03A2E"


class PoliceImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, workspace: Workspace, plan_id: int) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.plan_id = plan_id
        self.download: PoliceDownload | None = None
        self.preview: PoliceImport | None = None
        self.change: ops.ChangeSet | None = None
        self.said = ""  # what the import did, for the status bar once it is done
        self._filling = False
        self.setWindowTitle("Import police data")
        self.resize(640, 520)

        self.intro = QLabel(
            "Choose a download from data.police.uk (its zip, or the folder it unzips to). "
            "Street-level crime is counted per month for the partnership's districts; "
            "outcomes and stop-and-search files are not used. Nothing changes until Import."
        )
        self.intro.setWordWrap(True)
        self.zip_button = QPushButton("Choose &zip…")
        self.zip_button.clicked.connect(self.choose_zip)
        self.folder_button = QPushButton("Choose &folder…")
        self.folder_button.clicked.connect(self.choose_folder)
        self.source = QLabel("No download chosen.")
        self.source.setWordWrap(True)
        self.districts = QListWidget()
        self.districts.setAccessibleName("Districts to count")
        self.districts.setMaximumHeight(120)
        self.districts.itemChanged.connect(self._districts_changed)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Preview")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)

        choose = QHBoxLayout()
        choose.addWidget(self.zip_button)
        choose.addWidget(self.folder_button)
        choose.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(choose)
        layout.addWidget(self.source)
        layout.addWidget(QLabel("Districts to count:"))
        layout.addWidget(self.districts)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    # ---- choosing and reading ----

    def choose_zip(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Police data download",
            str(start_folder("police")),
            "Police data (*.zip *.csv);;All files (*)",
        )
        if path:
            remember_folder("police", path)
            self.load([Path(path)])

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self, "Police data folder", str(start_folder("police"))
        )
        if path:
            remember_folder("police", path)
            self.load([Path(path)])

    def load(self, paths: list[Path]) -> None:
        """Read the download (with a progress dialog when it takes a while) and preview it."""
        self.download = None
        self.import_button.setEnabled(False)
        try:
            self.download = run_task(
                self, "Reading police data…", lambda progress: read_police_data(paths, progress)
            )
        except CspdeskError as error:
            self._show_problem(str(error))
            self.source.setText(f"{paths[0].name}: not read.")
            self.text.setPlainText("")
            return
        self.source.setText("\n".join(describe_sources(self.download)))
        self._fill_districts(None)
        self.refresh()

    def chosen(self) -> list[str] | None:
        """The districts ticked, or None before the officer changes the choice."""
        if not self.districts.property("changed"):
            return None
        return [
            self.districts.item(i).text()
            for i in range(self.districts.count())
            if self.districts.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _fill_districts(self, preview: PoliceImport | None) -> None:
        self._filling = True
        try:
            if preview is None:
                self.districts.clear()
                self.districts.setProperty("changed", False)
                return
            if self.districts.count() == 0:
                held = {**preview.counted, **preview.other_districts}
                for name in sorted(held, key=lambda d: (-held[d], d)):
                    item = QListWidgetItem(f"{name}")
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(
                        Qt.CheckState.Checked
                        if name in preview.districts
                        else Qt.CheckState.Unchecked
                    )
                    item.setToolTip(f"{held[name]:,} rows")
                    self.districts.addItem(item)
        finally:
            self._filling = False

    def _districts_changed(self, _item: QListWidgetItem) -> None:
        if not self._filling:
            self.districts.setProperty("changed", True)
            self.refresh()

    def refresh(self) -> None:
        if self.download is None:
            return
        months = list(self.download.months.values())
        wanted = self.chosen()
        if wanted == []:
            self.preview = None
            self.text.setPlainText("")
            self._show_problem("Tick at least one district to count.")
            return
        try:
            self.preview = self.workspace.read(
                preview_police, self.plan_id, months, self.download.path.name, districts=wanted
            )
        except CspdeskError as error:
            self._show_problem(str(error))
            return
        self._fill_districts(self.preview)
        if self.preview.ok:
            self.text.setPlainText("\n".join(self.preview.lines()))
            self._show_problem("")
        else:
            self.text.setPlainText("")
            self._show_problem(f"Cannot import: {self.preview.problem}. Nothing was changed.")
        self.import_button.setEnabled(self.preview.ok)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            self.import_button.setEnabled(False)

    # ---- importing ----

    def run_import(self) -> None:
        preview = self.preview
        if preview is None or not preview.ok or self.download is None:
            return
        months = list(self.download.months.values())
        wanted = self.chosen()
        name = self.download.path.name

        def apply(session):  # type: ignore[no-untyped-def]
            # Previewed again in the same transaction: what is kept is what the preview says.
            fresh = preview_police(session, self.plan_id, months, name, districts=wanted)
            return apply_police(session, fresh), fresh.done()

        try:
            change, said = self.workspace.write(apply)
        except CspdeskError as error:
            self._show_problem(f"{error}. Nothing was changed.")
            return
        self.change = change if change.changes else None
        self.said = said + (" Undo with Ctrl+Z." if self.change is not None else "")
        self.accept()


def run_police_import_dialog(
    parent: QWidget | None,
    workspace: Workspace,
    plan_id: int,
    say: Callable[[str], None] | None = None,
) -> ops.ChangeSet | None:
    """Show the dialog; the import's ChangeSet (for the undo stack), or None. ``say``: told
    what the import did (an import that changed nothing says so too)."""
    dialog = PoliceImportDialog(parent, workspace, plan_id)
    dialog.exec()
    if dialog.said and say is not None:
        say(dialog.said)
    return dialog.change
