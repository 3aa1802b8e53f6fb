"""File > Import plan (Excel, LibreOffice or Word)… (a preview to accept; .xlsx, .xls, .ods,
.docx) and File > Export to Excel….

The preview shows the plan to be created, the column mapping (editable), every distinct lead
text with what it becomes (editable: kept as the workspace's lead aliases) and the problems
grouped by kind. A year the workspace already has can go into a new workspace instead.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.core.leads.table import apply_choices, choose, plural
from cspdesk.core.plan import periods
from cspdesk.core.plan.ops import Change
from cspdesk.core.plan.plans import partnership_name, plan_year
from cspdesk.errors import CspdeskError
from cspdesk.io.plan_apply import apply_draft, plan_exists
from cspdesk.io.xlsx_book import Book
from cspdesk.io.xlsx_headers import DIRECTORY_FIELDS, FIELD_LABELS
from cspdesk.io.xlsx_plan_read import Overrides, RagScheme, parse_book, read_plan
from cspdesk.store.db import Workspace
from cspdesk.ui.dialogs.lead_table import LEAD_TIP, LeadTable
from cspdesk.ui.file_folders import remember_folder, start_folder
from cspdesk.ui.tasks import run_task

XLSX_FILTER = "Excel workbooks (*.xlsx *.xlsm);;All files (*)"
# Every format a plan is read from (io/plan_book.py).
PLAN_FILTER = (
    "Plans (*.xlsx *.xlsm *.xls *.ods *.docx);;Excel workbooks (*.xlsx *.xlsm *.xls);;"
    "OpenDocument spreadsheets (*.ods);;Word documents (*.docx);;All files (*)"
)
WORKSPACE_FILTER = "cspdesk workspaces (*.cspdesk);;All files (*)"
TREE_LIMIT = 2000  # actions shown in the preview tree; the counts cover them all


def _section(title: str, hint: str, widget: QWidget) -> QWidget:
    """A pane of the preview with its heading (and what can be done there)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    heading = QLabel(title)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    heading.setBuddy(widget)
    layout.addWidget(heading)
    if hint:
        note = QLabel(hint)
        note.setWordWrap(True)
        layout.addWidget(note)
    layout.addWidget(widget, 1)
    box.setAccessibleName(title)
    return box


class ImportPlanDialog(QDialog):
    """The preview: the tree to be created, the column mapping (changeable) and the problems."""

    def __init__(self, parent: QWidget | None, workspace: Workspace) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import plan")
        self.resize(1100, 860)
        self.workspace = workspace
        self.base_directory: Directory = workspace.read(Directory.from_session)
        self.scheme: RagScheme = workspace.read(RagScheme.from_session)
        self.book: Book | None = None
        self.draft: PlanDraft | None = None
        self.overrides: Overrides = {}
        self.lead_choices: dict[str, tuple[str, str]] = {}  # lead text -> (leads, note)
        self.change: Change | None = None
        self.new_workspace: Path | None = None  # the plan went into this new workspace
        self.source: Path | None = None  # the file read
        self.said = ""  # what the import did, for the status bar once it is done

        self.file_label = QLabel()
        self.year_edit = QLineEdit()
        self.year_edit.setPlaceholderText("e.g. 2016/17")
        self.counts_label = QLabel()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Plan item", "RAG", "Leads"])
        self.tree.setColumnWidth(0, 460)
        self.mapping = QTableWidget(0, 4)
        self.mapping.setHorizontalHeaderLabels(["Sheet", "Header row", "Column", "Imported as"])
        self.mapping.horizontalHeader().setStretchLastSection(True)
        self.leads = LeadTable()
        self.leads.chosen.connect(self.lead_chosen)
        self.problems = QTreeWidget()
        self.problems.setHeaderHidden(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("File:", self.file_label)
        form.addRow("Plan year:", self.year_edit)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(_section("What will be created", "", self.tree))
        splitter.addWidget(
            _section(
                "Column mapping (editable)",
                "Each column of the workbook and what it is imported as: choose another field, "
                "or '(not imported)', and the preview is read again.",
                self.mapping,
            )
        )
        self.leads_heading = _section(
            "Leads (editable)",
            "Every lead text once, with the agencies, officers and note it becomes. "
            "Double-click a cell to correct it: " + LEAD_TIP[0].lower() + LEAD_TIP[1:],
            self.leads,
        )
        splitter.addWidget(self.leads_heading)
        splitter.addWidget(_section("Problems and notes, by kind", "", self.problems))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.counts_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

    # ---- reading --------------------------------------------------------------------------

    def load(self, path: Path | str) -> bool:
        """Read ``path`` off the UI thread; False (after telling the user) if it cannot be read."""
        path = Path(path)
        directory = copy.deepcopy(self.base_directory)
        try:
            self.book, self.draft = run_task(
                self, f"Reading {path.name}…",
                lambda progress: read_plan(path, directory, self.scheme, progress=progress),
            )  # fmt: skip
        except CspdeskError as error:
            QMessageBox.warning(self, "Import plan", str(error))
            return False
        self.source = path
        self.file_label.setText(str(path))
        self.year_edit.setText(self.draft.year or "")
        apply_choices(self.draft, self.lead_choices)
        self.show_draft()
        return True

    def reparse(self) -> None:
        """Parse the already loaded workbook again with the mapping as the user set it."""
        assert self.book is not None
        book, directory, year = self.book, copy.deepcopy(self.base_directory), self.year()
        self.draft = run_task(
            self, "Reading the workbook again…",
            lambda progress: parse_book(book, directory, self.scheme, year=year,
                                        overrides=self.overrides, progress=progress),
        )  # fmt: skip
        apply_choices(self.draft, self.lead_choices)
        self.show_draft()

    def year(self) -> str | None:
        try:
            return periods.parse_year(self.year_edit.text())
        except ValueError:
            return None

    # ---- showing ----------------------------------------------------------------------------

    def show_draft(self) -> None:
        assert self.draft is not None
        draft = self.draft
        self.show_counts(draft)
        self.fill_tree(draft)
        self.fill_mapping(draft)
        self.fill_leads(draft)
        self.fill_problems(draft)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(draft.actions()))

    def show_counts(self, draft: PlanDraft) -> None:
        counts = draft.counts()
        self.counts_label.setText(", ".join(f"{n} {name}" for name, n in counts.items()))

    def fill_problems(self, draft: PlanDraft) -> None:
        self.problems.clear()
        for kind, problems in draft.problem_groups():
            group = QTreeWidgetItem(self.problems, [f"{kind} ({len(problems)})"])
            for problem in problems:
                item = QTreeWidgetItem(group, [problem.describe()])
                item.setData(0, Qt.ItemDataRole.UserRole, (problem.sheet, problem.row,
                                                           problem.column))  # fmt: skip
            group.setExpanded(len(problems) <= 5 or problems[0].level != "note")

    def fill_leads(self, draft: PlanDraft) -> None:
        count = self.leads.fill(draft)
        heading = self.leads_heading.findChild(QLabel)
        if heading is not None:
            heading.setText(f"Leads (editable): {plural(count, 'distinct text')}")

    def lead_chosen(self, text: str, leads: str, note: str) -> None:
        if self.draft is None:
            return
        self.lead_choices[text] = (leads, note)
        choose(self.draft, text, leads, note)
        self.show_counts(self.draft)
        self.fill_tree(self.draft)
        self.fill_leads(self.draft)  # as read back: the names the workspace will hold

    def fill_tree(self, draft: PlanDraft) -> None:
        self.tree.clear()
        shown = 0
        for priority in draft.priorities:
            p_item = QTreeWidgetItem(self.tree, [f"Priority: {priority.title}"])
            for objective in priority.objectives:
                o_item = QTreeWidgetItem(p_item, [f"Objective: {objective.title or '(untitled)'}"])
                for action in objective.actions:
                    shown += 1
                    if shown > TREE_LIMIT:
                        continue
                    a_item = QTreeWidgetItem(o_item, [
                        action.title, self.scheme.label(action.rag),
                        draft.directory.describe(action.leads),
                    ])  # fmt: skip
                    for milestone in action.milestones:
                        QTreeWidgetItem(a_item, [f"Milestone: {milestone.title}",
                                                 self.scheme.label(milestone.rag)])  # fmt: skip
        if shown > TREE_LIMIT:
            QTreeWidgetItem(self.tree, [f"… and {shown - TREE_LIMIT} more actions"])
        self.tree.expandToDepth(1)

    def fill_mapping(self, draft: PlanDraft) -> None:
        rows = [(m, c) for m in draft.mappings for c in range(len(m.headers)) if m.headers[c]]
        self.mapping.setRowCount(len(rows))
        for r, (mapping, column) in enumerate(rows):
            cells = (mapping.sheet, str(mapping.header_row), mapping.headers[column])
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.mapping.setItem(r, c, item)
            combo = QComboBox()
            combo.setAccessibleName(
                f"What column {mapping.headers[column]!r} of sheet {mapping.sheet!r} becomes"
            )
            choices: list[tuple[str, str | None]] = [("(not imported)", None)]
            if mapping.kind == "directory":
                choices += [(name.replace("_", " "), name) for name in DIRECTORY_FIELDS]
            else:
                choices += [(label, name) for name, label in FIELD_LABELS.items()]
            for label, name in choices:
                combo.addItem(label, name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.fields[column])))
            combo.currentIndexChanged.connect(
                lambda _i, m=mapping, col=column, box=combo: self.set_field(m, col, box)
            )
            self.mapping.setCellWidget(r, 3, combo)

    def set_field(self, mapping: Any, column: int, combo: QComboBox) -> None:
        fields = list(mapping.fields)
        fields[column] = combo.currentData()
        self.overrides[(mapping.sheet, mapping.header_row)] = fields
        self.reparse()

    # ---- writing ----------------------------------------------------------------------------

    def accept(self) -> None:
        assert self.draft is not None
        year = self.year()
        if year is None:
            QMessageBox.warning(self, "Import plan",
                                "Give the plan's financial year, like 2016/17.")  # fmt: skip
            return
        if self.workspace.read(plan_exists, year):
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("Import plan")
            box.setText(
                f"The workspace already has a plan for {year}; nothing was imported. Import it "
                "into a new workspace, give another year, or delete that plan first."
            )
            new = box.addButton("New workspace for this plan", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is new:
                self.import_into_new_workspace(year)
            return
        draft = self.draft
        try:
            self.change = run_task(
                self, "Importing the plan…",
                lambda progress: self.workspace.write(apply_draft, draft, year=year,
                                                      progress=progress),
            )  # fmt: skip
        except CspdeskError as error:
            QMessageBox.critical(self, "Import plan", str(error))
            return
        self.said = f"{self._imported(year)} Undo with Ctrl+Z."
        super().accept()

    def _imported(self, year: str, into: str = "") -> str:
        """ "Imported the 2016/17 plan from plan.xlsx: 3 priorities, 15 objectives, …" """
        assert self.draft is not None
        counts = ", ".join(f"{n} {name}" for name, n in self.draft.counts().items())
        source = self.source.name if self.source is not None else "the file"
        return f"Imported the {year} plan from {source}{into}: {counts}."

    def import_into_new_workspace(self, year: str) -> None:
        """The year clashes: make a workspace beside this one and import the plan there."""
        assert self.draft is not None and self.book is not None
        name = self.draft.partnership or self.workspace.read(partnership_name) or "Partnership"
        suggested = self.workspace.path.parent / f"{name} {year.replace('/', '-')}.cspdesk"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "New workspace for this plan", str(suggested), WORKSPACE_FILTER
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".cspdesk":
            path = path.with_name(path.name + ".cspdesk")
        try:
            new = Workspace.create(path, name)
        except CspdeskError as error:
            QMessageBox.warning(self, "New workspace for this plan", str(error))
            return
        book, overrides = self.book, self.overrides
        try:
            directory = new.read(Directory.from_session)
            scheme = new.read(RagScheme.from_session)

            def work(progress: Any) -> Change:
                draft = parse_book(book, directory, scheme, year=year, overrides=overrides)
                apply_choices(draft, self.lead_choices)
                return new.write(apply_draft, draft, year=year, progress=progress)

            run_task(self, "Importing the plan into the new workspace…", work)
        except CspdeskError as error:
            QMessageBox.critical(self, "New workspace for this plan", str(error))
            return
        finally:
            new.close()
        self.new_workspace = path
        self.said = self._imported(year, f" into the new workspace {path.name}, now open")
        super().accept()


def run_import_plan_dialog(
    parent: QWidget | None,
    workspace: Workspace,
    path: Path | str | None = None,
    say: Callable[[str], None] | None = None,
) -> Change | None:
    """Pick a workbook, preview it, and import it on Accept: the applied Change, or None.
    ``say``: told what was imported, once the window shows it."""
    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Import plan", str(start_folder("plan")), PLAN_FILTER
        )
        if not chosen:
            return None
        remember_folder("plan", chosen)
        path = chosen
    dialog = ImportPlanDialog(parent, workspace)
    try:
        if not dialog.load(path):
            return None
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        if dialog.new_workspace is not None:
            open_path = getattr(parent, "open_path", None)
            if open_path is not None and open_path(dialog.new_workspace) and say is not None:
                say(dialog.said)  # the window shows the new workspace
            return None
        if say is not None:
            say(dialog.said)
        return dialog.change
    finally:
        dialog.deleteLater()


def run_export_xlsx_dialog(
    parent: QWidget | None, workspace: Workspace, plan_id: int, path: Path | str | None = None
) -> None:
    """Choose where to save, write the whole plan as a workbook, and say how it went."""
    from cspdesk.io.xlsx_plan_write import export_plan_xlsx

    if path is None:
        try:
            year = workspace.read(plan_year, plan_id)
        except CspdeskError:  # no such plan: a neutral name
            year = "plan"
        suggested = f"Partnership Plan {year.replace('/', '-')}.xlsx"
        start = str(start_folder("plan") / suggested)
        chosen, _ = QFileDialog.getSaveFileName(parent, "Export to Excel", start, XLSX_FILTER)
        if not chosen:
            return
        remember_folder("plan", chosen)
        path = chosen
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    try:
        run_task(
            parent, f"Writing {target.name}…",
            lambda progress: workspace.read(export_plan_xlsx, plan_id, target, progress),
        )  # fmt: skip
    except CspdeskError as error:
        QMessageBox.critical(parent, "Export to Excel", str(error))
        return
    QMessageBox.information(parent, "Export to Excel", f"The plan was exported to {target}.")
