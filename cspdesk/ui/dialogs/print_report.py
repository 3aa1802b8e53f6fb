"""File > Print quarterly update…: choose what goes in, write the PDF, HTML or Word appendix off
the UI thread, then open it in the system viewer or send it to a printer.

Print… prints the very PDF that Save PDF writes, handed to the system's printing (the default
PDF program's "print" on Windows, ``lp`` elsewhere): PySide6-Essentials has no PDF renderer
(QtPdf lives in the much larger Addons package), and a second rendering through Qt's rich
text lost the borders, colours, page breaks and running footer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.plan.plans import current_quarter, plan_year, priority_titles
from cspdesk.core.quarter.changes import quarters_with_updates
from cspdesk.core.quarter.guards import closed_quarters
from cspdesk.core.quarter.title_block import check_title, is_frozen, keep_title, quarter_title
from cspdesk.errors import CspdeskError
from cspdesk.report import title_block
from cspdesk.store.db import Workspace
from cspdesk.ui.file_folders import remember_folder, start_folder
from cspdesk.ui.file_notice import no_program_said, open_path
from cspdesk.ui.tasks import ProgressFn, Task, start_task

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter


def send_to_printer(pdf: Path, printer: str = "") -> None:
    """Hand ``pdf`` to the system's printing, on ``printer`` ("" for the default): Windows prints
    it with the PDF program set up for printing; elsewhere CUPS' ``lp`` sends it. CspdeskError
    when neither can."""
    if sys.platform == "win32":
        try:
            if printer:
                os.startfile(str(pdf), "printto", f'"{printer}"')  # type: ignore[attr-defined]
            else:
                os.startfile(str(pdf), "print")  # type: ignore[attr-defined]
        except OSError as error:
            raise CspdeskError(
                f"Windows could not print {pdf.name}: no program to print PDFs is set up "
                f"({error.strerror}). Use Save PDF and open… and print from there"
            ) from None
        return
    lp = shutil.which("lp")
    if lp is None:
        raise CspdeskError(
            "No printing service (lp) was found. Use Save PDF and open… and print from there"
        )
    command = [lp, *(["-d", printer] if printer else []), str(pdf)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CspdeskError(f"The printer refused the appendix: {done.stderr.strip()}")


def choose_printer(parent: QWidget) -> str | Path | None:
    """The printer the officer picks in the system's print dialog ("" for the default), the file
    its "Print to File" names, or None when they cancel."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return print_target(printer)


def print_target(printer: QPrinter) -> str | Path:
    """The file a printer set to print to a file writes (with .pdf added when its name has
    none: the PDF is what is written), else the printer's name."""
    named = printer.outputFileName()
    if not named:
        return printer.printerName()
    path = Path(named)
    return path if path.suffix.lower() == ".pdf" else path.with_name(f"{path.name}.pdf")


def write_appendix(
    workspace: Workspace, options: dict[str, Any], target: Path, progress: ProgressFn
) -> Path:
    """Build the report model from the dialog's ``options`` and write ``target`` (run off the
    UI thread)."""
    from cspdesk.report import write_report
    from cspdesk.report.source import build_quarter_report

    options = dict(options)
    layout = options.pop("layout")
    accessible = options.pop("accessible")
    block = options.pop("title_block")
    large_print = options.pop("large_print")
    plan_id = options.pop("plan_id")
    quarter = options.pop("quarter")
    model = workspace.read(build_quarter_report, plan_id, quarter, **options)
    model.title_block = block
    write_report(
        model,
        target,
        layout=layout,
        progress=progress,
        accessible=accessible,
        large_print=large_print,
    )
    return target


class PrintReportDialog(QDialog):
    def __init__(self, parent: QWidget | None, workspace: Workspace, plan_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print quarterly update")
        self.workspace, self.plan_id = workspace, plan_id
        # Opens a written file in the system's viewer; False when no program opened it.
        self.open_file: Callable[[Path], bool | None] = open_path
        self.tell: Callable[[str], object] = lambda message: QMessageBox.information(
            self, "Print quarterly update", message
        )
        self.written: Path | None = None
        self.ask: Callable[[str], bool] = lambda question: (
            QMessageBox.question(self, "Print quarterly update", question)
            == QMessageBox.StandardButton.Yes
        )
        self._thread: Task | None = None  # the appendix being written
        current, self.year, priorities, self.updated, closed = workspace.read(
            lambda session: (  # one transaction: one round trip to a shared plan's server
                current_quarter(session, plan_id),
                plan_year(session, plan_id),
                priority_titles(session, plan_id),
                quarters_with_updates(session, plan_id),
                closed_quarters(session, plan_id),
            )
        )

        self.quarter = QComboBox(self)
        for q in range(1, 5):
            self.quarter.addItem(f"Q{q} (closed)" if q in closed else f"Q{q}", q)
        # the latest quarter with updates: the one to print, not the next, empty one
        latest = max(self.updated, default=min(current, 4))
        self.quarter.setCurrentIndex(max(0, latest - 1))
        self.layout_choice = QComboBox(self)
        self.layout_choice.addItem("By strategic objective (actions and updates)", "objectives")
        self.layout_choice.addItem("By priority (key milestones and outcomes)", "milestones")
        self.purpose = QComboBox(self)
        self.purpose.addItem("For printing", False)
        self.purpose.addItem("For the website (accessible)", True)
        self.purpose.setToolTip(
            "For the website: a tagged PDF (headings, bookmarks, chart descriptions) made by "
            "Microsoft Edge, Chrome or Chromium from the accessible web version"
        )
        self.large_print = QCheckBox("Large print (12 pt text)", self)
        self.appendix_label = QLineEdit(self)
        self.appendix_label.setPlaceholderText("e.g. Appendix A")
        self.committee = QLineEdit(self)
        self.committee.setPlaceholderText("the committee the paper goes to")
        self.meeting_date = QLineEdit(self)
        self.meeting_date.setPlaceholderText("e.g. 2016-11-24")
        self.version_line = QLineEdit(self)
        self.version_line.setPlaceholderText("the plan's version label")
        self._show_title()
        self.quarter.currentIndexChanged.connect(self._show_title)
        self.priorities = QListWidget(self)
        for priority_id, title in priorities:
            item = QListWidgetItem(title, self.priorities)
            item.setData(Qt.ItemDataRole.UserRole, priority_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.include_completed = QCheckBox("Include completed actions", self)
        self.include_completed.setChecked(True)
        self.include_milestones = QCheckBox("Include milestones", self)
        self.include_milestones.setChecked(True)
        self.include_performance = QCheckBox("Include performance figures", self)
        self.include_performance.setChecked(True)
        self.include_funding = QCheckBox("Include funding", self)
        self.include_funding.setChecked(True)

        form = QFormLayout()
        form.addRow("Quarter:", self.quarter)
        form.addRow("Layout:", self.layout_choice)
        form.addRow("PDF:", self.purpose)
        form.addRow("", self.large_print)
        form.addRow("Appendix label:", self.appendix_label)
        form.addRow("Committee:", self.committee)
        form.addRow("Meeting date:", self.meeting_date)
        form.addRow("Version line:", self.version_line)
        form.addRow("Priorities:", self.priorities)
        form.addRow("", self.include_completed)
        form.addRow("", self.include_milestones)
        form.addRow("", self.include_performance)
        form.addRow("", self.include_funding)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = QPushButton("Save PDF and open…", self)
        self.html_button = QPushButton("Save web version (HTML)…", self)
        self.word_button = QPushButton("Save for Word…", self)
        self.word_button.setToolTip(
            "The appendix as a Word document (.docx) for committee services' agenda template"
        )
        self.print_button = QPushButton("Print…", self)
        self.send_to_printer: Callable[[Path, str], None] = send_to_printer
        self.choose_printer: Callable[[QWidget], str | Path | None] = choose_printer
        for button in self._buttons():
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(lambda: self._ask_and_generate(".pdf"))
        self.html_button.clicked.connect(lambda: self._ask_and_generate(".html"))
        self.word_button.clicked.connect(lambda: self._ask_and_generate(".docx"))
        self.print_button.clicked.connect(self.print_report)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (self.save_button, self.html_button, self.word_button, self.print_button)

    def _show_title(self) -> None:
        """The chosen quarter's title lines as last printed (fixed once it is closed)."""
        quarter = self.quarter.currentData()
        block = self.workspace.read(quarter_title, self.plan_id, quarter)
        frozen = self.workspace.read(is_frozen, self.plan_id, quarter)
        for edit, value in (
            (self.appendix_label, block.appendix_label),
            (self.committee, block.committee),
            (self.meeting_date, block.meeting_date),
            (self.version_line, block.version_line),
        ):
            edit.setText(value)
            edit.setReadOnly(frozen)
            edit.setToolTip(f"Q{quarter} is closed: these lines are as it was sent"
                            if frozen else "")  # fmt: skip

    def title_lines(self) -> title_block.TitleBlock:
        """The title lines as typed (CspdeskError for a date that is not one, or for lines
        changed on a closed quarter)."""
        block = title_block.updated(
            title_block.TitleBlock(),
            appendix_label=self.appendix_label.text(),
            committee=self.committee.text(),
            meeting_date=self.meeting_date.text(),
            version_line=self.version_line.text(),
        )
        self.workspace.read(check_title, self.plan_id, self.quarter.currentData(), block)
        return block

    def options(self) -> dict[str, Any]:
        chosen = [
            self.priorities.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.priorities.count())
            if self.priorities.item(i).checkState() == Qt.CheckState.Checked
        ]
        return {
            "plan_id": self.plan_id,
            "quarter": self.quarter.currentData(),
            "layout": self.layout_choice.currentData(),
            "accessible": bool(self.purpose.currentData()),
            "title_block": self.title_lines(),
            "large_print": self.large_print.isChecked(),
            "priority_ids": chosen,
            "include_completed": self.include_completed.isChecked(),
            "include_milestones": self.include_milestones.isChecked(),
            "include_performance": self.include_performance.isChecked(),
            "include_funding": self.include_funding.isChecked(),
        }

    def default_name(self, suffix: str) -> str:
        return (
            f"Partnership Plan {self.year.replace('/', '-')} Q{self.quarter.currentData()}{suffix}"
        )

    def _ask_and_generate(self, suffix: str) -> None:
        kind = {".pdf": "PDF (*.pdf)", ".html": "Web page (*.html)"}.get(
            suffix, "Word document (*.docx)"
        )
        start = start_folder("report") / self.default_name(suffix)
        name, _ = QFileDialog.getSaveFileName(self, "Save the appendix", str(start), kind)
        if name:
            path = Path(name)
            remember_folder("report", path)
            self.generate(path if path.suffix else path.with_suffix(suffix), open_after=True)

    def generate(
        self, target: Path, *, open_after: bool = False, then: Callable[[Path], None] | None = None
    ) -> None:
        """Write ``target`` on a worker thread with a progress dialog shown after 600 ms; then
        open it (``open_after``) or hand it to ``then``."""
        from cspdesk.report.browser import find_browser

        try:
            options = self.options()
        except CspdeskError as error:
            QMessageBox.warning(self, "Print quarterly update", str(error))
            return
        if target.suffix.lower() == ".pdf" and self.purpose.currentData() and not find_browser():
            if self.ask(
                "No Microsoft Edge, Chrome or Chromium was found to make the accessible PDF."
                "\n\nSave the web version (HTML) instead?"
            ):
                self._ask_and_generate(".html")
            return
        if not self._quarter_worth_printing():
            return
        self._options, self._open_after, self._then = options, open_after, then
        for button in self._buttons():
            button.setEnabled(False)
        self._thread = start_task(
            self,
            "Writing the appendix…",
            lambda progress: write_appendix(self.workspace, options, target, progress),
            succeeded=self._on_finished,
            failed=self._on_failed,
        )

    def _done(self) -> None:
        for button in self._buttons():
            button.setEnabled(True)

    def _on_finished(self, path: Path) -> None:
        self.written = path
        options = self._options
        self._done()
        try:
            self.workspace.write(
                keep_title, options["plan_id"], options["quarter"], options["title_block"]
            )
        except CspdeskError as error:
            QMessageBox.warning(
                self,
                "Print quarterly update",
                f"The appendix was written, but its title lines were not kept: {error}",
            )
        if self._then is None:  # a file the officer saved (not the copy sent to a printer)
            notice = getattr(self.parentWidget(), "file_notice", None)
            if notice is not None:
                notice.announce(f"Appendix saved: {self.written}", self.written)
        if self._open_after and self.open_file(self.written) is False:
            self.tell(no_program_said(self.written))
        if self._then is not None:
            try:
                self._then(self.written)
            except CspdeskError as error:
                QMessageBox.warning(self, "Print quarterly update", str(error))

    def _on_failed(self, error: BaseException) -> None:
        self._done()
        message = (
            str(error)
            if isinstance(error, CspdeskError | OSError)
            else f"The appendix could not be written: {error!r}"  # never a dialog left waiting
        )
        QMessageBox.warning(self, "Print quarterly update", message)

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.wait()

    def _quarter_worth_printing(self) -> bool:
        """True, or asks first when the chosen quarter has no updates at all."""
        quarter = self.quarter.currentData()
        return quarter in self.updated or self.ask(
            f"Q{quarter} {self.year} has no updates yet: every action would print "
            "“No update this quarter.”\n\nPrint it anyway?"
        )

    def print_report(self) -> None:
        """Ask which printer, write the PDF that Save PDF writes to a temporary folder, and
        send that very file to the printer; printing to a file writes it there instead."""
        printer = self.choose_printer(self)
        if printer is None:
            return
        if isinstance(printer, Path):  # needs no printing service: the PDF is the file
            self.generate(printer, then=self._printed_to_file)
            return
        folder = Path(tempfile.mkdtemp(prefix="cspdesk-print-"))
        self.generate(
            folder / self.default_name(".pdf"),
            then=lambda pdf: self.send_to_printer(pdf, printer),
        )

    def _printed_to_file(self, path: Path) -> None:
        notice = getattr(self.parentWidget(), "file_notice", None)
        if notice is not None:
            notice.announce(f"Appendix printed to file: {path}", path)
        self.tell(f"The appendix was printed to the file {path}.")


def run_print_dialog(parent: QWidget | None, workspace: Workspace, plan_id: int) -> None:
    dialog = PrintReportDialog(parent, workspace, plan_id)
    dialog.exec()
    dialog.wait()
