"""The plan tree as a QAbstractItemModel: a thin adapter over core.quarter.outline's plain Nodes.

Filtering happens in one Python pass over the nodes (core.quarter.outline.apply_filter) followed by
a model reset when the rows shown change (shown_changed); a QSortFilterProxyModel would call back
into Python for every row instead. Edits are not written here: setData and drops ask the
PlanDocument, which runs the operation, puts it on the undo stack and tells this model what changed.
"""

from __future__ import annotations

import json
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import child_level
from cspdesk.core.quarter.outline import Node
from cspdesk.core.quarter.overdue import as_at_text

if TYPE_CHECKING:
    from cspdesk.ui.document import PlanDocument

AnyIndex = QModelIndex | QPersistentModelIndex
MIME_TYPE = "application/x-cspdesk-items"


class Column(IntEnum):
    TITLE = 0
    LEADS = 1
    TIMESCALE = 2
    RAG = 3
    DIRECTION = 4
    UPDATE = 5


HEADERS = {
    Column.TITLE: "Title",
    Column.LEADS: "Lead",
    Column.TIMESCALE: "Timescale",
    Column.RAG: "RAG",
    Column.DIRECTION: "Since last quarter",
    Column.UPDATE: "Latest update",
}

# Short headings leave the title its room; the whole meaning is on hover.
HEADER_TIPS = {
    Column.LEADS: "Lead agency / officer: who leads the action (the plan's own words).",
    Column.TIMESCALE: "Timescale of an action as the plan gives it; due date of a milestone. "
    "Red with (overdue): a milestone not done by the as-at date.",
    Column.RAG: "The quarter's RAG status. After it, (Q1) means carried from that quarter, (plan) "
    "the RAG the plan was written with: nothing agreed or reported for this quarter yet.",
    Column.DIRECTION: "How the RAG moved since the last closed quarter.",
    Column.UPDATE: "The first line of the latest update (all of it on hover).",
}

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
RAG_CODE_ROLE = Qt.ItemDataRole.UserRole + 3
NODE_ROLE = Qt.ItemDataRole.UserRole + 4

# The view asks seven roles of every cell it paints, and rows and columns of every row it lays
# out: plain ints answer faster than Qt's enum members (looked up anew on each use).
COLUMN_COUNT = len(Column)
_TITLE, _LEADS, _TIMESCALE, _RAG, _DIRECTION, _UPDATE = (int(column) for column in Column)
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_EDIT = Qt.ItemDataRole.EditRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
# Roles data() has an answer for; alignment, background, check state... are left to the view.
_ANSWERED = frozenset(
    {
        _DISPLAY,
        _EDIT,
        _DECORATION,
        _TOOLTIP,
        _FONT,
        _FOREGROUND,
        _ACCESSIBLE,
        KIND_ROLE,
        ID_ROLE,
        RAG_CODE_ROLE,
    }
)

KIND_LABELS = {
    "plan": "Plan",
    "priority": "Priority",
    "objective": "Objective",
    "action": "Action",
    "milestone": "Milestone",
}
EDITABLE = {
    Column.TITLE: {"plan", "priority", "objective", "action", "milestone"},
    Column.TIMESCALE: {"action", "milestone"},  # an action's timescale, a milestone's due
    Column.RAG: {"action", "milestone"},
}


def reference(node: Node) -> str:
    """The item's number as the checker and the report give it ("2.1.3"): its place among its
    siblings at each level below the plan (the numbering of core.plan.refs.item_references)."""
    places: list[str] = []
    while node.parent is not None and node.kind not in ("plan", "root"):
        siblings = node.parent.children
        places.append(str(next(i for i, other in enumerate(siblings) if other is node) + 1))
        node = node.parent
    return ".".join(reversed(places))


def rag_mark_meaning(mark: str) -> str:
    """What the words after a RAG in the tree mean: " (Q1)", " (plan)", " (partners disagree)"."""
    mark = mark.strip()
    if mark == "(plan)":
        return "(plan): the RAG the plan was written with; no quarter has reported one yet."
    if mark.startswith("(Q"):
        return (
            f"{mark}: carried from that quarter; nothing has been agreed or reported for this "
            "quarter yet."
        )
    if mark == "(partners disagree)":
        return (
            "(partners disagree): the leads reported different RAGs; agree one in the detail "
            "pane (Agreed RAG)."
        )
    return ""


def plan_of(node: Node) -> int | None:
    """The id of the plan an item belongs to."""
    while node.parent is not None and node.kind != "plan":
        node = node.parent
    return node.id if node.kind == "plan" else None


def overdue_colour() -> QColor:
    """Dark red on a light window, a light red on a dark one: legible either way."""
    from PySide6.QtGui import QGuiApplication, QPalette

    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    return QColor("#FF8A80") if base.lightness() < 128 else QColor("#B00020")


class RagStyle:
    """Label, colours and a swatch icon for each RAG code of the workspace's scheme."""

    def __init__(self, scheme: list[tuple[str, str, str, str]]) -> None:
        self.codes = [code for code, _, _, _ in scheme]
        self.labels = {code: label for code, label, _, _ in scheme}
        self.colours = {code: QColor(colour) for code, _, colour, _ in scheme}
        self.text_colours = {code: QColor(text) for code, _, _, text in scheme}
        self.icons = {code: self._swatch(QColor(colour)) for code, _, colour, _ in scheme}

    @staticmethod
    def _swatch(colour: QColor) -> QIcon:
        pixmap = QPixmap(14, 14)
        pixmap.fill(colour)
        return QIcon(pixmap)

    def label(self, code: str | None) -> str:
        if code is None:
            return ""
        return self.labels.get(code, code)


class PlanModel(QAbstractItemModel):
    # Before rows are added, removed or moved, while the views still know where each row is
    # (a tree view forgets its rows in rowsAboutToBeRemoved): the reader's place is taken here.
    rows_changing = Signal()

    def __init__(self, document: PlanDocument, root: Node, rag_style: RagStyle) -> None:
        super().__init__()
        self.document = document
        self.root = root
        self.rag_style = rag_style
        # The plan of the selected item: the title heading gives its as-at date (None: newest).
        self.shown_plan: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._overdue_brush = QBrush(overdue_colour())
        self.index_by_key: dict[tuple[str, int], Node] = {}
        # Counts the changes to the tree's items (not the filter's): a filter may start from
        # what it showed before only while this stands still.
        self.revision = 0
        self._flags = self._flag_table()
        self._reindex()

    def follow_palette(self) -> None:
        self._overdue_brush = QBrush(overdue_colour())

    # ---- structure ----

    def _reindex(self) -> None:
        self.index_by_key = {node.key: node for node in self.root.walk() if node.kind != "root"}

    def node(self, index: AnyIndex) -> Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore[return-value]

    def index_of(self, node: Node, column: int = 0) -> QModelIndex:
        if node is self.root or node.parent is None:
            return QModelIndex()
        siblings = node.parent.visible_children()
        try:
            row = siblings.index(node)
        except ValueError:
            return QModelIndex()
        return self.createIndex(row, column, node)

    def find(self, kind: str, item_id: int) -> QModelIndex:
        node = self.index_by_key.get((kind, item_id))
        return QModelIndex() if node is None else self.index_of(node)

    # index, rowCount and hasChildren are asked for every row the view lays out (after each
    # filter keystroke, thousands of times): written out rather than through node().
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        node: Node = parent.internalPointer() if parent.isValid() else self.root  # type: ignore
        shown = node.shown
        children = node.children if shown is None else shown
        if 0 <= row < len(children) and 0 <= column < COLUMN_COUNT:
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self.node(index).parent
        if parent is None or parent is self.root:
            return QModelIndex()
        return self.index_of(parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            node = self.root
        elif parent.column() != 0:
            return 0
        else:
            node = parent.internalPointer()  # type: ignore[assignment]
        shown = node.shown
        return len(node.children if shown is None else shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return COLUMN_COUNT

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:
        if not parent.isValid():
            node = self.root
        elif parent.column() != 0:
            return False
        else:
            node = parent.internalPointer()  # type: ignore[assignment]
        shown = node.shown
        return bool(node.children if shown is None else shown)

    def sibling(self, row: int, column: int, index: AnyIndex) -> QModelIndex:
        # Asked for every cell the view paints: the same row's node, without asking its parent
        # for it again (Qt's default goes through parent() and index()).
        if index.isValid() and row == index.row() and 0 <= column < COLUMN_COUNT:
            return self.createIndex(row, column, index.internalPointer())
        return super().sibling(row, column, index)

    # ---- data ----

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        # The title column says the as-at date: it is wide, so the words cost no room.
        as_at = self.document.as_at(self.shown_plan) if section == Column.TITLE else None
        if role == Qt.ItemDataRole.DisplayRole:
            text = HEADERS[Column(section)]
            return f"{text} · overdue {as_at_text(as_at)}" if as_at else text
        if role == Qt.ItemDataRole.ToolTipRole and section != Column.TITLE:
            return HEADER_TIPS.get(Column(section))
        if role == Qt.ItemDataRole.ToolTipRole and as_at is not None:
            return (
                f"Milestones are overdue when due before {as_at.day} {as_at:%B %Y}: the end of "
                "the plan's current quarter once it is past, today while it runs."
            )
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        node: Node = index.internalPointer()  # type: ignore[assignment]
        column = index.column()
        if role in (_DISPLAY, _EDIT):
            return self._display(node, column, role == _EDIT)
        if role == _DECORATION:
            return self.rag_style.icons.get(node.rag) if column == _RAG and node.rag else None
        if role == _TOOLTIP:
            return self._tooltip(node, column)
        if role == _FONT:
            return self._bold if column == _TITLE and node.kind in ("plan", "priority") else None
        if role == _FOREGROUND:
            return self._overdue_brush if column == _TIMESCALE and node.overdue else None
        if role == KIND_ROLE:
            return node.kind
        if role == ID_ROLE:
            return node.id
        if role == RAG_CODE_ROLE:
            return node.rag
        # The one role left: the accessible text.
        return f"{KIND_LABELS.get(node.kind, '')}: {self._display(node, column, False)}"

    def _display(self, node: Node, column: int, editing: bool) -> str | None:
        if column == _TITLE:
            return node.title
        if column == _LEADS:
            return node.leads
        if column == _TIMESCALE:
            if node.overdue and not editing:
                return f"{node.timescale} (overdue)"
            return node.timescale
        if column == _RAG:
            return node.rag if editing else self.rag_style.label(node.rag) + node.rag_mark
        if column == _DIRECTION:
            return node.direction
        if column == _UPDATE:
            return node.update.split("\n", 1)[0]
        return None

    def _tooltip(self, node: Node, column: int) -> str | None:
        if column == Column.RAG and (node.rag_note or node.rag_mark):
            said = [f"{self.rag_style.label(node.rag)}: {node.rag_note}" if node.rag_note else ""]
            said.append(rag_mark_meaning(node.rag_mark))
            return "\n".join(line for line in said if line)
        if column == Column.UPDATE and node.update:
            return node.update
        if column == Column.LEADS and node.leads:
            return node.leads
        if column == Column.TIMESCALE and node.overdue:
            as_at = self.document.as_at(plan_of(node))
            if as_at is not None:
                return f"Overdue: due {node.timescale}, not done {as_at_text(as_at)}"
        if column == Column.TIMESCALE and node.timescale:
            return node.timescale
        if column == Column.TITLE and node.title:
            number = reference(node)
            return f"{KIND_LABELS.get(node.kind, '')} {number}: {node.title}".replace(" :", ":")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        # Called for every row the view lays out: look the answer up, never compute it.
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return self._flags[(index.internalPointer().kind, index.column())]  # type: ignore[union-attr]

    def _flag_table(self) -> dict[tuple[str, int], Qt.ItemFlag]:
        table = {}
        for kind in KIND_LABELS:
            for column in Column:
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if not self.document.read_only:
                    if kind in EDITABLE.get(column, ()):
                        flags |= Qt.ItemFlag.ItemIsEditable
                    if kind != "plan":
                        flags |= Qt.ItemFlag.ItemIsDragEnabled
                    if child_level(kind) is not None:
                        flags |= Qt.ItemFlag.ItemIsDropEnabled
                table[(kind, int(column))] = flags
        return table

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        node = self.node(index)
        field = {Column.TITLE: "title", Column.TIMESCALE: "timescale", Column.RAG: "rag"}.get(
            Column(index.column())
        )
        if field is None or node.kind not in EDITABLE.get(Column(index.column()), ()):
            return False
        if field == "timescale" and node.kind == "milestone":
            return self._set_due(node, value)
        if field == "rag":
            value = value or None
            if node.kind == "action":  # the quarter's agreed RAG (core.quarter.rule)
                return self.document.set_agreed_rag(node.id, value)
        elif isinstance(value, str):
            value = value.strip()
        # The value the editor started from (a plan's title shows its year too): if a colleague
        # has changed it since, the save is refused with a message, never written over theirs.
        seen = ops.NOT_GIVEN if node.kind == "plan" else getattr(node, field)
        return self.document.edit_field(node.kind, node.id, field, value, seen)

    def _set_due(self, node: Node, typed: object) -> bool:
        """A milestone's due date typed in the tree ("15/12/2016", "15 Dec 2016", blank)."""
        from cspdesk.io.xlsx_values import parse_date

        text = str(typed or "").strip()
        value, note = parse_date(text)
        if text and value is None:
            self.document.error.emit(f"{note}: the due date of {node.title!r} was not changed.")
            return False
        return self.document.edit_field("milestone", node.id, "due_date", value)

    # ---- drag and drop (moves within the tree) ----

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        keys = []
        for index in indexes:
            if index.isValid() and index.column() == 0:
                node = self.node(index)
                keys.append([node.kind, node.id])
        mime = QMimeData()
        mime.setData(MIME_TYPE, json.dumps(keys).encode())
        return mime

    def _drop_target(
        self, data: QMimeData, row: int, parent: AnyIndex
    ) -> tuple[list[tuple[str, int]], Node, int] | None:
        if not data.hasFormat(MIME_TYPE) or self.document.read_only:
            return None
        keys = [(str(k), int(i)) for k, i in json.loads(bytes(data.data(MIME_TYPE)).decode())]
        if not keys:
            return None
        kinds = {k for k, _ in keys}
        target = self.node(parent)
        if len(kinds) != 1 or child_level(target.kind if target.kind != "root" else "plan") is None:
            return None
        kind = kinds.pop()
        if target.kind == "root" or child_level(target.kind) != kind:
            # Dropped onto an item of the same kind: place it after that item.
            if target.kind == kind and target.parent is not None:
                row = target.parent.children.index(target) + 1
                target = target.parent
            else:
                return None
        if row < 0:
            row = len(target.visible_children())
        elif target.shown is not None and row < len(target.shown):
            row = target.children.index(target.shown[row])  # filtered row -> real position
        for _, item_id in keys:  # never into itself or its own subtree
            ancestor: Node | None = target
            while ancestor is not None:
                if ancestor.key == (kind, item_id):
                    return None
                ancestor = ancestor.parent
        return keys, target, row

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return (
            action == Qt.DropAction.MoveAction and self._drop_target(data, row, parent) is not None
        )

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        found = self._drop_target(data, row, parent)
        if found is None or action != Qt.DropAction.MoveAction:
            return False
        keys, target, position = found
        self.document.move_items(keys, target.id, position)
        # The move is done (and on the undo stack); returning False stops the view from
        # also removing the source rows, which the document already moved.
        return False

    # ---- changes pushed by the document ----

    def reset_tree(self, root: Node) -> None:
        self.revision += 1
        self.beginResetModel()
        self.root = root
        self._reindex()
        self.endResetModel()

    def shown_changed(self) -> None:
        """The filter has changed the children shown: the views lay the tree out again.

        A reset is cheaper than a layout change here: the view forgets its rows and lays out
        only what the caller expands next, instead of walking every expanded row in Python.
        Nothing reads the model in between (the reader's place is not kept while filtering:
        the filter decides what is open).
        """
        self.beginResetModel()
        self.endResetModel()

    def replace_node_data(self, fresh: Node) -> None:
        """Copy the display fields of a freshly loaded node into the existing one."""
        self.revision += 1
        node = self.index_by_key.get(fresh.key)
        if node is None:
            return
        for name in (
            "title",
            "leads",
            "lead_keys",
            "timescale",
            "rag",
            "rag_mark",
            "rag_note",
            "update",
            "overdue",
            "haystack",
        ):
            setattr(node, name, getattr(fresh, name))
        index = self.index_of(node)
        if index.isValid():
            self.dataChanged.emit(index, index.siblingAtColumn(COLUMN_COUNT - 1))

    def insert_node(self, parent_key: tuple[str, int] | None, position: int, fresh: Node) -> None:
        self.revision += 1
        parent = self.root if parent_key is None else self.index_by_key.get(parent_key)
        if parent is None:
            return
        position = max(0, min(position, len(parent.children)))
        fresh.parent = parent
        if parent.shown is None:
            self.rows_changing.emit()
            self.beginInsertRows(self.index_of(parent), position, position)
            parent.children.insert(position, fresh)
            self._index_subtree(fresh)
            self.endInsertRows()
        else:  # a filter is active: a new item is shown until the filter changes
            parent.children.insert(position, fresh)
            self._index_subtree(fresh)
            self.beginResetModel()
            parent.shown = [c for c in parent.children if c in parent.shown or c is fresh]
            self.endResetModel()

    def _index_subtree(self, node: Node) -> None:
        for item in node.walk():
            self.index_by_key[item.key] = item

    def remove_node(self, key: tuple[str, int]) -> None:
        """Forget an item and everything under it. Safe to call again for the same item, even
        from inside its own removal (the view's selection moving on can save, which can hear
        of the same delete again)."""
        self.revision += 1
        node = self.index_by_key.get(key)
        if node is None or node.parent is None:
            return
        parent = node.parent
        for item in node.walk():  # first: a second call while rows are removed is a no-op
            self.index_by_key.pop(item.key, None)
        if node not in parent.children:
            return
        visible = parent.visible_children()
        if node in visible:
            row = visible.index(node)
            self.rows_changing.emit()
            self.beginRemoveRows(self.index_of(parent), row, row)
            parent.children.remove(node)
            if parent.shown is not None:
                parent.shown.remove(node)
            self.endRemoveRows()
        else:
            parent.children.remove(node)

    def move_node(
        self, key: tuple[str, int], new_parent_key: tuple[str, int] | None, position: int
    ) -> None:
        self.revision += 1
        node = self.index_by_key.get(key)
        new_parent = self.root if new_parent_key is None else self.index_by_key.get(new_parent_key)
        if node is None or node.parent is None or new_parent is None:
            return
        old_parent = node.parent
        if old_parent.shown is not None or new_parent.shown is not None:
            self.beginResetModel()
            old_parent.children.remove(node)
            new_parent.children.insert(position, node)
            node.parent = new_parent
            for parent in (old_parent, new_parent):
                if parent.shown is not None:
                    shown = set(map(id, parent.shown)) | {id(node)}
                    parent.shown = [c for c in parent.children if id(c) in shown]
            if (
                old_parent is not new_parent
                and old_parent.shown is not None
                and node in old_parent.shown
            ):
                old_parent.shown.remove(node)
            self.endResetModel()
            return
        old_row = old_parent.children.index(node)
        # Qt counts the destination row before the source row is removed.
        destination = position + 1 if old_parent is new_parent and position > old_row else position
        if old_parent is new_parent and destination in (old_row, old_row + 1):
            return
        self.rows_changing.emit()
        self.beginMoveRows(
            self.index_of(old_parent), old_row, old_row, self.index_of(new_parent), destination
        )
        old_parent.children.remove(node)
        new_parent.children.insert(position, node)
        node.parent = new_parent
        self.endMoveRows()
