"""Quarter > Make partner returns…, Quarter > Import partner returns…, and the chase list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Plan, RagStatus
from cspdesk.core.plan.words import possessive
from cspdesk.core.rag.scheme import load_scheme, parse_rag
from cspdesk.errors import CspdeskError
from cspdesk.returns.diff import DONE_DATE, RAG, AddedRow, FieldChange, ReturnDiff
from cspdesk.returns.place import Placement, place_added_row, placement_targets
from cspdesk.returns.saved import local_text
from cspdesk.store.db import Workspace
from cspdesk.ui.file_folders import documents
from cspdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from cspdesk.returns.make import MadeReturn

CONFLICT = QColor("#F8D7DA")
DISAGREE = QColor("#FFF3CD")
REFUSED = QColor("#C0392B")
CHANGE_ROLE = Qt.ItemDataRole.UserRole + 1


def _plan(workspace: Workspace, plan_id: int) -> tuple[str, int]:
    def load(session: Any) -> tuple[str, int]:
        plan = session.get(Plan, plan_id)
        return plan.year, plan.current_quarter

    return workspace.read(load)


def returns_start_folder(workspace: Workspace, plan_id: int) -> Path:
    """Where to look for returns sent back: this quarter's returns folder when it is there,
    else the folder the returns are made in."""
    base = Path(str(QSettings().value("returns/base", "") or documents()))
    year, quarter = _plan(workspace, plan_id)
    folder = returns_folder(base, year, quarter)
    return folder if folder.is_dir() else base


def returns_folder(base: Path, year: str, quarter: int) -> Path:
    """Where a quarter's returns go by default: "Returns 2016-17 Q2" in ``base``."""
    return base / f"Returns {year.replace('/', '-')} Q{quarter}"


WHO_GETS_RETURNS = (
    "One workbook per lead agency, for it to fill in. Two more may be written: “All partners”, "
    "for actions the partners lead together (send it to whoever coordinates the "
    "partnership's update), and “No lead agency”, for actions with no lead set (fill it in "
    "yourself, or first set their leads with Edit › Edit leads…)."
)


class MakeReturnsDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, year: str, quarter: int, base: Path | None = None
    ) -> None:
        super().__init__(parent)
        from cspdesk.returns.make import default_due_date

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
        self.base = Path(str(QSettings().value("returns/base", "") or base or documents()))
        self.quarter.currentIndexChanged.connect(
            lambda i: self.folder.setText(str(returns_folder(self.base, year, i + 1)))
        )
        self.due.setDate(QDate(default_due_date(year, quarter)))
        self.emails = QCheckBox("Also write a draft email per lead (.eml)")
        self.who = QLabel(WHO_GETS_RETURNS)
        self.who.setWordWrap(True)
        self.folder = QLabel(str(returns_folder(self.base, year, quarter)))
        choose = QPushButton("Choose folder…")
        choose.clicked.connect(self._choose)
        form = QFormLayout(self)
        form.addRow("Quarter", self.quarter)
        form.addRow("Due by", self.due)
        form.addRow("Folder", self.folder)
        form.addRow("", choose)
        form.addRow(self.emails)
        form.addRow(self.who)
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
            self.base = Path(folder).parent  # next quarter's folder goes beside this one
            QSettings().setValue("returns/base", str(self.base))


def run_make_returns_dialog(
    parent: QWidget | None, workspace: Workspace, plan_id: int
) -> list[MadeReturn] | None:
    """Ask for quarter, due date and folder, then write the returns in a worker thread (a
    progress dialog shows if it takes long): the returns made, or None if cancelled or refused."""
    from cspdesk.returns.make import make_returns

    year, quarter = _plan(workspace, plan_id)
    dialog = MakeReturnsDialog(parent, year, quarter, documents())
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    # Read the widgets here: the worker thread must not touch them.
    chosen_quarter = dialog.quarter.currentIndex() + 1
    folder = Path(dialog.folder.text())
    if folder == returns_folder(dialog.base, year, chosen_quarter) and folder.parent.is_dir():
        folder.mkdir(exist_ok=True)  # the default folder is made; a chosen one must exist
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
    box = QMessageBox(
        QMessageBox.Icon.Information, "Partner returns", made_summary(made, folder, emails)
    )
    box.setParent(parent, box.windowFlags())
    open_folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
    no_address = emails and any(m.email_path is None for m in made)
    add_addresses = (
        box.addButton("Add e-mail addresses…", QMessageBox.ButtonRole.ActionRole)
        if no_address and hasattr(parent, "workspace_settings")
        else None
    )
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    if add_addresses is not None and box.clickedButton() is add_addresses:
        parent.workspace_settings(page="Agencies")  # type: ignore[union-attr]
    if box.clickedButton() is open_folder:
        from cspdesk.ui.file_notice import open_path

        if not open_path(folder):
            QMessageBox.information(parent, "Partner returns", f"No file manager opened {folder}.")
    return made


def made_summary(made: Sequence[MadeReturn], folder: Path, emails: bool) -> str:
    """What was written, who each odd return is for, and why any draft e-mail was not."""
    from cspdesk.core.quarter.contributions import NO_LEAD_NAME

    lines = [f"{_count(len(made), 'return')} written to {folder}."]
    names = {m.lead.name for m in made}
    if NO_LEAD_NAME in names:
        lines.append(
            f"“{NO_LEAD_NAME}” is for actions with no lead set: set their leads "
            "(Edit › Edit leads…), or fill it in yourself."
        )
    shared = sorted(n for n in names if n.casefold() == "all partners")
    if shared:
        lines.append(
            f"“{shared[0]}” is for actions all partners lead together: send it to whoever "
            "coordinates the partnership's update."
        )
    if emails:
        written = [m for m in made if m.email_path is not None]
        # No e-mail for actions with no lead: nobody to send it to (said above), no address
        # to add.
        missing = sorted(
            m.lead.name for m in made if m.email_path is None and m.lead.name != NO_LEAD_NAME
        )
        said = f"{_count(len(written), 'draft e-mail')} written (.eml, beside the returns)."
        if missing:
            said += (
                f" None for {', '.join(missing)}: no e-mail address. Add them in File › "
                "Workspace settings › Agencies (Email for returns), then make the returns again."
            )
        lines.append(said)
    return "\n\n".join(lines)


# What "left as it was" means where the review says it: what was kept, why, and what to do.
LEFT_AS_IT_WAS = (
    (
        "the RAG the return showed, left as it was",
        "The partner wrote an update but left the RAG as the return showed it when it was "
        "sent out. Their part of this action had no RAG of its own yet, so that RAG is taken "
        "as theirs. Untick it if they did not mean it, or double-click the value from the "
        "return to put the right one.",
    ),
    (
        "is not a RAG status; the RAG was left as it was",
        "What the partner typed in the RAG cell is none of this workspace's RAG statuses, so "
        "the plan's RAG was not changed by this return. Set the RAG yourself in the plan, or "
        "ask the partner which they meant and import the corrected return.",
    ),
    (
        "the done date was left as it was",
        "The done date in the return could not be read as a date, so the plan's done date "
        "was not changed by this return. Type it in the milestone's details if you know it, "
        "or ask the partner for the date.",
    ),
)


def explained(note: str) -> str:
    """A review note for its tooltip: the note, and what any "left as it was" in it means."""
    for said, meaning in LEFT_AS_IT_WAS:
        if said in note:
            return f"{note}\n\n{meaning}"
    return note


def _show(value: Any, labels: dict[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return (
        labels.get(value, str(value)) if isinstance(value, str) and value in labels else str(value)
    )


class WrappedColumn(QStyledItemDelegate):
    """A column whose text wraps onto as many lines as it needs at the column's width (a tree
    view asks an item's height without telling the delegate the column's width)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        wrapped = QStyleOptionViewItem(option)
        self.initStyleOption(wrapped, index)
        wrapped.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        wrapped.rect = QRect(0, 0, self.tree.columnWidth(index.column()), 1 << 16)
        style = self.tree.style()
        return style.sizeFromContents(
            style.ContentsType.CT_ItemViewItem, wrapped, QSize(), self.tree
        )


class ReviewDialog(QDialog):
    """Every file's changes: tick, untick or edit each (conflicts side by side), then merge."""

    COLUMNS = ("Action", "Lead", "Field", "Now", "From the return", "Note")
    ACTION, LEAD, FIELD, NOW, NEW, NOTE = range(6)
    WIDTHS = (230, 130, 70, 180, 220)  # the Note column takes what is left

    def __init__(
        self,
        parent: QWidget | None,
        diffs: Sequence[ReturnDiff],
        refused: Sequence[CspdeskError],
        scheme: Sequence[RagStatus],
        targets: Sequence[tuple[str, Placement]] = (),
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import partner returns")
        self.resize(1100, 640)
        self.targets = list(targets)
        self.added_items: list[tuple[QTreeWidgetItem, ReturnDiff, AddedRow]] = []
        self.placements: dict[int, Placement] = {}  # index into added_items -> where it goes
        self.diffs = list(diffs)
        self.scheme = list(scheme)
        self.labels = {s.code: s.label for s in scheme}
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(self.COLUMNS))
        self.tree.setHeaderLabels(self.COLUMNS)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.ExtendedSelection)
        for column, width in enumerate(self.WIDTHS):
            self.tree.setColumnWidth(column, width)
        self.tree.header().setStretchLastSection(True)
        # The note says why a change is as it is: wrapped, all of it, however wide the window.
        self.tree.setItemDelegateForColumn(self.NOTE, WrappedColumn(self.tree))
        relayout = QTimer(self, singleShot=True, interval=0)
        relayout.timeout.connect(self.tree.doItemsLayout)
        self.tree.header().sectionResized.connect(
            lambda column, _old, _new: relayout.start() if column == self.NOTE else None
        )
        self.change_items: list[tuple[QTreeWidgetItem, FieldChange]] = []
        for diff in self.diffs:
            self._add_diff(diff)
        for error in refused:
            item = QTreeWidgetItem(self.tree, [str(error), "", "refused"])
            item.setToolTip(0, str(error))  # a long refusal is cut off on a narrow screen
            item.setForeground(0, QBrush(REFUSED))
            item.setFirstColumnSpanned(True)
        self.tree.expandAll()
        self.show_only = QComboBox()
        self.show_only.addItems(["All changes", "Conflicts and disagreements only"])
        self.show_only.currentIndexChanged.connect(self._filter)
        accept_all = QPushButton("Accept all")
        accept_all.clicked.connect(lambda: self._tick(all_items=True))
        accept_selected = QPushButton("Accept selected")
        accept_selected.clicked.connect(lambda: self._tick(all_items=False))
        self.place_button = QPushButton("Place new row in the plan…")
        self.place_button.setToolTip("Add a row the partner added as a new action or milestone")
        self.place_button.setEnabled(bool(self.added_items and self.targets))
        self.place_button.clicked.connect(self._choose_place)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show"))
        bar.addWidget(self.show_only)
        bar.addStretch(1)
        bar.addWidget(self.place_button)
        bar.addWidget(accept_all)
        bar.addWidget(accept_selected)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self._summary())
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Merge ticked changes")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _summary(self) -> str:
        from cspdesk.returns.account import not_merged
        from cspdesk.returns.received import nothing_to_merge, takes_all_back, takes_all_back_words

        nothing = [
            f"{takes_all_back_words(diff)}: nothing is merged from it unless you tick its "
            "withdrawals (only if the partner really meant to withdraw it all)"
            if takes_all_back(diff)
            else nothing_to_merge(diff)
            for diff in self.diffs
        ]
        nothing = [said for said in nothing if said]
        changes = [c for d in self.diffs for c in d.changes]
        conflicts = sum(1 for c in changes if c.conflict)
        disagree = len({c.action_id for c in changes if c.disagree})
        left = sum(len(not_merged(d)) for d in self.diffs)
        new_work = sum(len(d.added) for d in self.diffs)
        return (
            "".join(f"{said}. " for said in nothing)
            + f"{_count(len(self.diffs), 'return')}, {_count(len(changes), 'change')}: "
            f"{_count(conflicts, 'conflict')} (unticked, red: pick a side or edit), "
            f"{_count(disagree, 'action')} where partners disagree on the RAG (amber). "
            + (
                f"{_count(left, 'cell')} of the partners' will not be merged as things stand: "
                "each is listed with where it is and why. "
                if left
                else ""
            )
            + (
                f"{_count(new_work, 'row')} of new work will be kept for you to place. "
                if new_work
                else ""
            )
            + "Untick what you do not want; double-click a value from the return to correct it."
        )

    def _add_diff(self, diff: ReturnDiff) -> None:
        head = f"{diff.lead_name} – Q{diff.quarter} {diff.plan_year} ({diff.file_name})"
        if diff.completed_by:
            head += f", completed by {diff.completed_by}"
        top = QTreeWidgetItem(self.tree, [head])
        top.setFirstColumnSpanned(True)
        from cspdesk.returns.received import nothing_written, takes_all_back

        if nothing_written(diff):
            top.setText(0, f"{head} – nothing written by {diff.lead_name}: nothing to merge")
        elif takes_all_back(diff):
            top.setText(
                0,
                f"{head} – nothing written by {diff.lead_name}, would take back everything "
                f"{diff.merged_file} said: tick only what the partner meant to withdraw",
            )
        elif diff.merged_at is not None:
            top.setText(0, f"{head} – already merged on {diff.merged_at:%d/%m/%Y}")
        for change in diff.changes:
            lead = diff.credit_name if change.kind == "action" else ""
            what = f"{diff.ref(change)} {change.item_title}"
            if change.kind == "milestone":
                what = f"{diff.ref(change)} milestone: {change.item_title}"
            values = [what, lead, change.label]
            now = _show(change.old, self.labels) or ("(nothing yet)" if lead else "(not set)")
            values += [now, _show(change.new, self.labels)]
            values.append(change.note)
            item = QTreeWidgetItem(top, values)
            for column, text in enumerate(values):
                item.setToolTip(column, text)
            item.setToolTip(self.NOTE, explained(change.note))
            if change.rival is not None:
                rival = _show(change.rival.new, self.labels)
                item.setToolTip(self.NEW, f"{values[self.NEW]}\n\n{change.rival_file}: {rival}")
            item.setFlags(
                item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable
            )
            item.setCheckState(
                0, Qt.CheckState.Checked if change.accepted else Qt.CheckState.Unchecked
            )
            item.setData(0, CHANGE_ROLE, len(self.change_items))
            colour = CONFLICT if change.conflict else DISAGREE if change.disagree else None
            if colour is not None:
                for column in range(len(self.COLUMNS)):
                    item.setBackground(column, QBrush(colour))
            self.change_items.append((item, change))
        for row in diff.added:
            text = "; ".join(f"{k}: {v}" for k, v in row.values.items() if v)
            item = QTreeWidgetItem(
                top,
                [
                    text,
                    diff.lead_name,
                    "new work",
                    "",
                    "",
                    f"sheet {row.sheet!r} row {row.row}: kept for you to place in the plan",
                ],
            )
            item.setToolTip(0, text)
            self.added_items.append((item, diff, row))
        for row in diff.deleted:
            QTreeWidgetItem(top, [row.title, diff.lead_name, "row deleted", "", "", "no change"])
        for problem in diff.problems:
            item = QTreeWidgetItem(top, [problem.describe()])
            item.setFirstColumnSpanned(True)
            item.setToolTip(0, explained(problem.describe()))

    def _choose_place(self) -> None:
        selected = set(map(id, self.tree.selectedItems()))
        index = next(
            (i for i, (item, _, _) in enumerate(self.added_items) if id(item) in selected), None
        )
        if index is None:
            QMessageBox.information(self, "Place new row", "Select a new row first.")
            return
        labels = [label for label, _ in self.targets]
        chosen, ok = QInputDialog.getItem(
            self, "Place new row", "Add it to the plan as", labels, 0, False
        )
        if ok:
            self.place(index, self.targets[labels.index(chosen)][1])

    def place(self, index: int, where: Placement) -> None:
        """Add the ``index``-th added row to the plan at ``where`` when the merge is made."""
        self.placements[index] = where
        item = self.added_items[index][0]
        label = next(text for text, target in self.targets if target == where)
        item.setText(self.NOTE, f"will be added: {label}")
        item.setText(self.FIELD, "new row (placed)")

    def placed(self) -> list[tuple[ReturnDiff, AddedRow, Placement]]:
        return [
            (self.added_items[i][1], self.added_items[i][2], where)
            for i, where in sorted(self.placements.items())
        ]

    def _filter(self, index: int) -> None:
        for item, change in self.change_items:
            item.setHidden(index == 1 and not (change.conflict or change.disagree))

    def _tick(self, *, all_items: bool) -> None:
        selected = set(map(id, self.tree.selectedItems()))
        for item, _change in self.change_items:
            if all_items or id(item) in selected:
                item.setCheckState(0, Qt.CheckState.Checked)

    def _value(self, change: FieldChange, text: str) -> Any:
        if change.field == RAG:
            try:
                return parse_rag(text, self.scheme)
            except ValueError as error:
                raise CspdeskError(f"{change.item_title}: {error}") from error
        if change.field == DONE_DATE:
            from cspdesk.returns.cells import NotADate, parse_date

            try:
                return parse_date(text)
            except NotADate as error:
                raise CspdeskError(f"{change.item_title}: {error}") from error
        return text

    def collect(self) -> list[ReturnDiff]:
        """The diffs with the officer's ticks and edits applied (CspdeskError if a bad edit)."""
        for item, change in self.change_items:
            change.accepted = item.checkState(0) == Qt.CheckState.Checked
            if item.text(self.NEW) != _show(change.new, self.labels):
                change.new = self._value(change, item.text(self.NEW))
        return self.diffs


@dataclass(frozen=True)
class MergeOutcome:
    """What a merge of partner returns did: its undo step (None when nothing was merged, so
    there is nothing to undo) and what the status bar says of it, from what truly happened."""

    change: ops.Change | None
    said: str


UNDO_HINT = "saved (Edit › Undo Merge partner returns takes them back)"


def run_apply_returns_dialog(
    parent: QWidget | None,
    workspace: Workspace,
    plan_id: int,
    paths: Sequence[Path | str] | None = None,
) -> MergeOutcome | None:
    """Choose return files, review their changes, merge the ticked ones as one undo step;
    None when cancelled."""
    from cspdesk.returns.apply import merge_returns
    from cspdesk.returns.read import read_returns
    from cspdesk.returns.received import Merged, merged_words

    if paths is None:
        chosen, _ = QFileDialog.getOpenFileNames(
            parent,
            "Import partner returns",
            str(returns_start_folder(workspace, plan_id)),
            "Returns (*.xlsx *.ods *.xls);;All files (*)",
        )
        paths = chosen
    if not paths:
        return None
    diffs, refused = run_task(
        parent,
        f"Reading {_count(len(paths), 'return')}…",
        lambda _progress: workspace.read(read_returns, paths, plan_id=plan_id),
    )
    diffs = [d for d in diffs if not d.leftover or _merge_leftover(parent, d)]
    scheme = workspace.read(load_scheme)
    targets = workspace.read(placement_targets, plan_id)
    dialog = ReviewDialog(parent, diffs, refused, scheme, targets)

    done: list[Merged] = []

    def merge(session: Any) -> ops.Change:
        done[:] = [merge_returns(session, dialog.collect())]
        merged = done[0].change
        placed = [place_added_row(session, *chosen) for chosen in dialog.placed()]
        return ops.ChangeSet((merged, *placed), merged.describe()) if placed else merged

    while dialog.exec() == QDialog.DialogCode.Accepted:
        if not diffs:
            return None
        try:
            change = workspace.write(merge)
        except CspdeskError as error:
            QMessageBox.warning(dialog, "Import partner returns", str(error))
            continue
        placed = len(dialog.placed())
        if done[0].received or placed:
            return MergeOutcome(change, merged_words(done[0], placed, saved=UNDO_HINT))
        return MergeOutcome(None, merged_words(done[0]))
    return None


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _merge_leftover(parent: QWidget | None, diff: ReturnDiff) -> bool:
    """Ask before merging a return made for another quarter than the plan's current one."""
    answer = QMessageBox.warning(
        parent,
        "Import partner returns",
        f"{diff.file_name} is {possessive(diff.lead_name)} return for Q{diff.quarter} "
        f"{diff.plan_year}, "
        f"but the plan is now in Q{diff.plan_quarter}.\n\nMerge it into Q{diff.quarter}?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


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
        from cspdesk.returns.chase import LATE, RETURNED, chase_list

        rows = self.workspace.read(chase_list, plan_id, quarter, today)
        self.table.setRowCount(len(rows))
        colours = {LATE: QColor("#F8D7DA"), RETURNED: QColor("#D4EDDA")}
        for number, row in enumerate(rows):
            values = (
                row.lead,
                row.state,
                str(row.actions),
                f"{row.made_at:%d/%m/%Y}" if row.made_at else "",
                f"{row.due_date:%d/%m/%Y}" if row.due_date else "",
                local_text(row.merged_at) if row.merged_at else "",
                row.merged_file,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.status in colours:
                    item.setBackground(QBrush(colours[row.status]))
                self.table.setItem(number, column, item)
        self.table.resizeColumnsToContents()
