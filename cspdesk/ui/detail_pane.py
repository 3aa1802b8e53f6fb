"""The detail pane: the long fields of the selected item, each saved when you leave it.

A change saved elsewhere (a colleague, this window's tree) shows at once in every field and
label, except the one field the user has typed into and is still in: that one follows once it
is left, and its save states what the user saw, so a colleague's change of it is refused with
their name rather than overwritten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cspdesk.core.plan.model import Action
from cspdesk.core.plan.plans import plan_item
from cspdesk.core.plan.words import count
from cspdesk.core.quarter.contributions import current_quarter_of
from cspdesk.core.quarter.outline import TreeLoader
from cspdesk.ui.date_field import DateField
from cspdesk.ui.delegates import fill_rag_combo
from cspdesk.ui.document import PlanDocument
from cspdesk.ui.focus import FocusOut
from cspdesk.ui.mnemonics import literal
from cspdesk.ui.pick_combo import PickOnlyCombo

if TYPE_CHECKING:
    from cspdesk.ui.new_work_box import NewWorkBox
    from cspdesk.ui.quarter_box import QuarterBox

HISTORY_ROWS = 200


def _short(text: str | None, limit: int = 80) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    widget: str = "line"  # line, text, date, rag, quarter


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "plan": (
        FieldSpec("year", "Financial year"),
        FieldSpec("title", "Title"),
        FieldSpec("version_label", "Version line"),
        FieldSpec("current_quarter", "Current quarter", "quarter"),
        FieldSpec("introduction", "Introduction", "text"),
    ),
    "priority": (
        FieldSpec("title", "Priority"),
        FieldSpec("sub_themes", "Sub-themes", "text"),
        FieldSpec("indicators", "Performance indicators", "text"),
        FieldSpec("baseline", "Baseline", "text"),
        FieldSpec("target", "Target", "text"),
        FieldSpec("lead_agencies", "Lead agencies"),
        FieldSpec("resources", "CSP resources", "text"),
        FieldSpec("key_risks", "Key risks to achieving", "text"),
        FieldSpec("mitigations", "Key actions to mitigate risk", "text"),
    ),
    "objective": (FieldSpec("title", "Strategic objective", "text"),),
    "action": (
        FieldSpec("title", "Action", "text"),
        FieldSpec("outcomes", "Outcomes / measures", "text"),
        FieldSpec("timescale", "Timescale"),
        FieldSpec("start_date", "Start", "date"),
        FieldSpec("due_date", "Due", "date"),
        FieldSpec("notes", "Notes", "text"),
    ),
    "milestone": (
        FieldSpec("title", "Milestone", "text"),
        FieldSpec("outcomes", "Outcomes & outputs", "text"),
        FieldSpec("due_date", "Due", "date"),
        FieldSpec("original_due_date", "Originally due", "date"),
        FieldSpec("done_date", "Done", "date"),
        FieldSpec("rag", "RAG", "rag"),
    ),
}
READ_ONLY_FIELDS = {"year", "original_due_date"}


NARROW_CHARS = 50  # a pane narrower than this many characters has its labels above the fields
AWAY_TEXT = "The server is not answering: this item's details show once it answers."


def _placeholder(text: str = "Select an item to see its details.") -> QLabel:
    label = QLabel(text, alignment=Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class DetailPane(QScrollArea):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWidgetResizable(True)
        self.setAccessibleName("Details of the selected item")
        self.key: tuple[str, int] | None = None
        self.editors: dict[str, QWidget] = {}
        self.shown_values: dict[str, Any] = {}  # as loaded: what the user saw before typing
        self.quarter_box: QuarterBox | None = None
        self.refusal: str | None = None  # why the item shown may not be edited now
        self._leads_label: QLabel | None = None
        self._history: tuple[QGroupBox, QTreeWidget] | None = None
        self._new_work: NewWorkBox | None = None
        self._forms: list[QFormLayout] = []  # labels beside fields where there is room
        self._side_by_side: list[QBoxLayout] = []  # and a field's controls side by side
        self._loading = False
        self._stale = False  # changed since shown, by us or elsewhere: show afresh when free
        self._saving = False
        self._filters: list[FocusOut] = []
        self._replace_page(_placeholder())
        document.changed.connect(self._on_changed)
        document.outside_changed.connect(self._on_outside_change)
        document.server_back.connect(self._focus_moved)  # what waited for the server
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _replace_page(self, page: QWidget) -> None:
        # An editor of the old page may be inside its own focus-out handler right now:
        # delete the page later, never at once.
        old = self.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.setWidget(page)

    # ---- showing an item ----

    def show_item(self, key: tuple[str, int] | None) -> None:
        if key is not None and key == self.key and self.editors and self.is_busy():
            # The same item again (a reload of the tree re-selects it) while the user types:
            # show what is saved around the field being typed in, and save nothing yet.
            self._refresh_after_change()
            return
        self._commit_all()
        try:
            self._show_item(key)
        except Exception as error:  # the driver's own, when the server is away
            if not self.document.held_back(error, saving=False):
                raise
            # The server is not answering: say so here, and show the item once it answers.
            self._loading = False
            self.editors, self.shown_values, self.quarter_box = {}, {}, None
            self._leads_label = self._history = self._new_work = None
            self._stale = True
            self._replace_page(_placeholder(AWAY_TEXT))

    def _show_item(self, key: tuple[str, int] | None) -> None:
        self.key = key
        self._stale = False
        self.editors = {}
        self.shown_values = {}
        self._filters = []
        self.quarter_box = None
        self.refusal = None
        self._leads_label = None
        self._history = None
        self._new_work = None
        self._forms, self._side_by_side = [], []
        if key is None:
            self._replace_page(_placeholder())
            return
        kind, item_id = key
        row = self.document.workspace.read(plan_item, kind, item_id)
        if row is None:
            self._show_item(None)
            return
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow pane: below
        heading = QLabel(f"<b>{kind.capitalize()}</b>")
        layout.addWidget(heading)
        # Said before any typing, as the tree says it on F2: never a field that takes words
        # only to refuse them when it is left.
        self.refusal = self.document.why_not_editable(kind, item_id)
        if self.refusal is not None:
            why = QLabel(self.refusal)
            why.setWordWrap(True)
            why.setObjectName("detailRefusal")
            layout.addWidget(why)
        layout.addLayout(form)
        self._loading = True
        for spec in FIELDS[kind]:
            editor = self._make_editor(spec, getattr(row, spec.name))
            editor.setAccessibleName(spec.label)
            form.addRow(literal(spec.label), editor)
            self.editors[spec.name] = editor
            self.shown_values[spec.name] = getattr(row, spec.name)
        if isinstance(row, Action):
            # An action's boxes come with the first action shown, not with the window.
            from cspdesk.ui.new_work_box import NewWorkBox

            layout.addWidget(self._leads_box(item_id))
            self._new_work = NewWorkBox(self.document, item_id, row.objective_id)
            layout.addWidget(self._new_work)
            layout.addWidget(self._update_box(item_id))
            layout.addWidget(self._history_box(item_id))
        self._loading = False
        layout.addStretch(1)
        read_only = self.refusal is not None
        for name, editor in self.editors.items():
            editor.setEnabled(not read_only and name not in READ_ONLY_FIELDS)
        self._replace_page(page)
        wrap_all = QFormLayout.RowWrapPolicy.WrapAllRows
        self._forms = [f for f in page.findChildren(QFormLayout) if f.rowWrapPolicy() != wrap_all]
        self._side_by_side = [  # a field of two controls side by side (a list and its button)
            box
            for form in self._forms
            for row in range(form.rowCount())
            if (item := form.itemAt(row, QFormLayout.ItemRole.FieldRole)) is not None
            and isinstance(box := item.layout(), QBoxLayout)
            and box.direction() == QBoxLayout.Direction.LeftToRight
        ]
        self._fit_form()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_form()

    def _labels(self) -> list[QLabel]:
        page = self.widget()
        if page is None:
            return []
        return [
            label
            for form in page.findChildren(QFormLayout)
            for row in range(form.rowCount())
            if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
            and isinstance(label := item.widget(), QLabel)
        ]

    def _fit_form(self) -> None:
        """Labels beside their fields in a pane wide enough, else every label above its field
        and a field's controls one above the other (a narrow pane, or a large text scale):
        the dates are never cut off, and there is no sideways scroll bar."""
        page = self.widget()
        if not self._forms or page is None:
            return
        narrow = self.viewport().width() < self.fontMetrics().averageCharWidth() * NARROW_CHARS
        for form in self._forms:
            form.setRowWrapPolicy(
                QFormLayout.RowWrapPolicy.WrapAllRows
                if narrow
                else QFormLayout.RowWrapPolicy.WrapLongRows
            )
        for label in self._labels():
            label.setWordWrap(narrow)  # a long partner's name, on two lines
        for row in self._side_by_side:
            row.setDirection(
                QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
            )
        # Then the scroll area sizes the page (and its scroll bars) for the new layout.
        QTimer.singleShot(0, self, self._size_page)

    def _size_page(self) -> None:
        QApplication.sendEvent(self, QEvent(QEvent.Type.LayoutRequest))

    def _make_editor(self, spec: FieldSpec, value: Any) -> QWidget:
        commit = lambda: self._commit(spec.name)  # noqa: E731
        if spec.widget == "text":
            editor = QPlainTextEdit(value or "")
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(60)
            editor.setMaximumHeight(140)
            focus_out = FocusOut(commit)
            editor.installEventFilter(focus_out)
            self._filters.append(focus_out)
            return editor
        if spec.widget == "date":
            date_editor = DateField(value, near=self._near())
            date_editor.edited.connect(commit)
            return date_editor
        if spec.widget == "rag":
            combo = PickOnlyCombo()
            fill_rag_combo(combo, self.document.rag_style)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.activated.connect(lambda _i: commit())
            return combo
        if spec.widget == "quarter":
            quarter = PickOnlyCombo()
            for number in range(1, 5):
                quarter.addItem(f"Q{number}", number)
            quarter.setCurrentIndex(max(0, quarter.findData(value)))
            quarter.activated.connect(lambda _i: commit())
            return quarter
        line = QLineEdit(value or "")
        line.editingFinished.connect(commit)
        return line

    def _leads_box(self, action_id: int) -> QWidget:
        node = self.document.workspace.read(
            lambda s: TreeLoader(s).load_item("action", action_id, deep=False)
        )
        box = QGroupBox("Leads")
        row = QHBoxLayout(box)
        label = QLabel(node.leads or "No lead yet")
        label.setWordWrap(True)
        self._leads_label = label
        button = QPushButton("Change leads…")
        button.setAccessibleName("Change leads")
        button.setEnabled(self.refusal is None)
        button.clicked.connect(lambda: self._pick_leads(action_id))
        row.addWidget(label, 1)
        row.addWidget(button)
        return box

    def _update_box(self, action_id: int) -> QWidget:
        from cspdesk.ui.quarter_box import QuarterBox

        self.quarter_box = QuarterBox(self.document, action_id, self.current_quarter())
        return self.quarter_box

    def _history_box(self, action_id: int) -> QWidget:
        """Who changed what and when, across quarters and the years it was carried through."""
        box = QGroupBox()
        box.setCheckable(True)
        box.setAccessibleName("Show history")
        box.setChecked(False)  # folded: open it when you need it
        layout = QVBoxLayout(box)
        table = QTreeWidget()
        table.setAccessibleName("Action history")
        table.setRootIsDecorated(False)
        table.setHeaderLabels(["When", "Year", "Who", "What", "From", "To"])
        table.setMinimumHeight(140)
        table.setVisible(False)
        box.toggled.connect(table.setVisible)
        layout.addWidget(table)
        self._history = (box, table)
        self._fill_history(action_id)
        return box

    def _fill_history(self, action_id: int) -> None:
        from cspdesk.core.plan.history import action_history

        if self._history is None:
            return
        box, table = self._history
        items = self.document.workspace.read(action_history, action_id)
        box.setTitle(f"History ({count(len(items), 'change')})")
        table.clear()
        for item in items[:HISTORY_ROWS]:
            what = item.field.replace("_", " ") or item.note
            if item.entity == "milestone":
                what = f"milestone {what}"
            row = QTreeWidgetItem(
                [
                    f"{item.at:%d %b %Y %H:%M}",
                    item.year,
                    item.who,
                    what,
                    _short(item.old),
                    _short(item.new),
                ]
            )
            row.setToolTip(4, item.old or "")
            row.setToolTip(5, item.new or "")
            table.addTopLevelItem(row)

    def _near(self) -> dt.date | None:
        """Where a calendar opens for an empty date: the shown item's plan's as-at date."""
        node = self.document.model.index_by_key.get(self.key) if self.key else None
        while node is not None and node.kind != "plan":
            node = node.parent
        return self.document.as_at(node.id) if node is not None else self.document.as_at()

    def current_quarter(self) -> int:
        if self.key is None:
            return 1
        kind, item_id = self.key
        if kind != "action":
            return 1
        return self.document.workspace.read(current_quarter_of, item_id)

    # ---- saving ----

    def _value(self, name: str) -> Any:
        editor = self.editors[name]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip()
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        if isinstance(editor, DateField):
            return editor.date()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        return None

    def _is_text(self, name: str) -> bool:
        return isinstance(self.editors[name], QPlainTextEdit | QLineEdit)

    def _commit(self, name: str) -> None:
        if self._loading or self.key is None or self.refusal is not None:
            return
        if name in READ_ONLY_FIELDS:
            return
        if self._saving:
            return  # a refused save reloads the tree, which shows this item again: no second try
        kind, item_id = self.key
        value, seen = self._value(name), self.shown_values.get(name)
        as_shown = (seen or "").strip() if self._is_text(name) else seen
        if value != as_shown:  # the user changed it (a colleague's newer value is no reason)
            self._saving = True
            try:
                if self.document.edit_field(kind, item_id, name, value, seen):
                    self.shown_values[name] = value
            finally:
                self._saving = False

    def save_typing(self) -> None:
        """Save the field being typed in now (the window is closing)."""
        self._commit_all()

    def _commit_all(self) -> None:
        """Save whatever is being typed before the pane shows another item."""
        if self.key is None:
            return
        for name in list(self.editors):
            editor = self.editors[name]
            if isinstance(editor, QPlainTextEdit | QLineEdit) and editor.hasFocus():
                self._commit(name)
        if self.quarter_box is not None:
            self.quarter_box.commit_focused()

    def _pick_leads(self, action_id: int) -> None:
        from cspdesk.ui.dialogs.lead_picker import LeadPicker

        try:
            note = self.document.workspace.read(
                lambda s: plan_item(s, "action", action_id).lead_note
            )
        except Exception as error:  # the driver's own, when the server is away
            if self.document.held_back(error):
                return
            raise
        picker = LeadPicker(self.document.workspace, action_id, note, self)
        if picker.exec():
            self.document.set_leads(action_id, picker.chosen(), picker.note.text().strip())

    def _on_changed(self, change: object) -> None:
        QTimer.singleShot(0, self._refresh_after_change)

    def _on_outside_change(self, keys: tuple[tuple[str, int], ...] | None) -> None:
        if self.key is not None and (keys is None or self.key in keys):
            QTimer.singleShot(0, self._refresh_after_change)

    def _focus_moved(self, *_widgets: object) -> None:
        if self._stale:  # a change waited while a field was being edited: show it once free
            QTimer.singleShot(0, self._refresh_after_change)

    def is_busy(self) -> bool:
        """True while one of the pane's editors has the focus (the user may be typing)."""
        if any(editor.hasFocus() for editor in self.editors.values()):
            return True
        return self.quarter_box is not None and self.quarter_box.has_focus()

    def _refresh_after_change(self) -> None:
        if self.key is None:
            return
        if not self.is_busy():
            self._show_again()
            return
        # Never rebuild the page under the user's typing: show what is saved in every other
        # field and label now; the field being typed in follows once it is left.
        try:
            self._refresh_in_place()
        except Exception as error:  # the driver's own, when the server is away
            if not self.document.held_back(error, saving=False):
                raise
            self._stale = True  # shown once the server answers

    def _show_again(self) -> None:
        """Rebuild the page; the keyboard stays on the control it was on (Tab had moved on to
        a button, say), so a save never throws the focus out of the pane."""
        focused = QApplication.focusWidget()
        name = focused.accessibleName() if focused and self.isAncestorOf(focused) else ""
        assert self.key is not None
        self.show_item(self.key)
        page = self.widget()
        if name and page is not None:
            again = [w for w in page.findChildren(QWidget) if w.accessibleName() == name]
            if again:
                again[0].setFocus()

    def _refresh_in_place(self) -> None:
        """Every field shows what is saved, except one the user has typed into and is still
        in (its save then states what they saw: a colleague's change of it is not lost)."""
        assert self.key is not None
        kind, item_id = self.key
        row = self.document.workspace.read(plan_item, kind, item_id)
        if row is None:
            return  # deleted: the tree moves on and the pane follows
        self._stale = False
        self._loading = True
        try:
            for name, editor in self.editors.items():
                stored = getattr(row, name)
                if stored == self.shown_values.get(name):
                    continue
                if editor.hasFocus() and self._typed_in(name):
                    self._stale = True  # held back: shown once the field is left
                    continue
                _set_value(editor, stored)
                self.shown_values[name] = stored
        finally:
            self._loading = False
        if kind != "action":
            return
        if self._leads_label is not None:
            node = self.document.workspace.read(
                lambda s: TreeLoader(s).load_item("action", item_id, deep=False)
            )
            self._leads_label.setText(node.leads or "No lead yet")
        self._fill_history(item_id)
        if self._new_work is not None:
            self._new_work.fill()
        if self.quarter_box is not None:
            if self.quarter_box.quarter != self.current_quarter():
                self._stale = True  # another quarter now: the page is rebuilt once left
            elif self.quarter_box.refresh():
                self._stale = True

    def _typed_in(self, name: str) -> bool:
        """Whether the field's value differs from what the pane showed (the user changed it)."""
        value, seen = self._value(name), self.shown_values.get(name)
        return value != ((seen or "").strip() if self._is_text(name) else seen)


def _set_value(editor: QWidget, value: Any) -> None:
    """Show a stored value in one of the pane's editors (the cursor stays where it was)."""
    if isinstance(editor, QPlainTextEdit):
        cursor = editor.textCursor().position()
        editor.setPlainText(value or "")
        text_cursor = editor.textCursor()
        text_cursor.setPosition(min(cursor, len(editor.toPlainText())))
        editor.setTextCursor(text_cursor)
    elif isinstance(editor, QLineEdit):
        cursor = editor.cursorPosition()
        editor.setText(value or "")
        editor.setCursorPosition(min(cursor, len(editor.text())))
    elif isinstance(editor, DateField):
        editor.setDate(value)
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(0, editor.findData(value)))
