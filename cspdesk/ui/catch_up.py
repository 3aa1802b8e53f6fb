"""Showing changes committed elsewhere (a colleague's window, a command) in the open tree.

Item by item where the notice names the items (a field edited, an item added, moved or deleted);
one reload, keeping the reader's place, when it cannot (or would touch many items). Nothing the
user is typing is disturbed: a change to the item whose cell editor is open (or to one of its
ancestors), or a reload, waits until the editor closes; the detail pane holds back only the
field being typed in (ui/detail_pane.py). When the user then saves over a colleague's change,
the edit's optimistic check refuses it and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cspdesk.core.plan.model import PARENT_COLUMN, parent_level
from cspdesk.core.plan.words import count
from cspdesk.core.quarter.outline import Node, item_place

if TYPE_CHECKING:
    from cspdesk.ui.document import PlanDocument

Key = tuple[str, Any]
# Changes to these alter what many items show (lead names): reload rather than item by item.
RELOADING = frozenset({"agency", "officer"})
MAX_ITEMS = 100  # more than this in one go: one reload is quicker than item by item


@dataclass(frozen=True)
class Editing:
    """What the user is in the middle of editing."""

    tree_key: Key | None = None  # the item whose cell editor is open in the tree


class CatchUp:
    """Changes committed elsewhere, waiting to be shown until they disturb no edit."""

    def __init__(self, document: PlanDocument) -> None:
        self.document = document
        self.keys: list[Key] = []
        self.everything = False
        self.clear_undo = False
        # What the last apply() took out of the tree, as (kind, title): the window names it.
        self.deleted: list[tuple[str, str]] = []
        self._applying = False

    @property
    def waiting(self) -> bool:
        return self.everything or bool(self.keys)

    def add(self, keys: Sequence[Key] | None, *, clear_undo: bool = False) -> None:
        """Note what changed (None: anything may have) and show what can be shown now."""
        if keys is None:
            self.everything = True
            self.clear_undo = self.clear_undo or clear_undo
        else:
            self.keys.extend(keys)
        self.apply()

    def apply(self) -> None:
        """Show what is waiting, except what would disturb an edit in progress.

        Showing one change can lead back here (a deleted item's row goes, the selection moves
        on, the pane saves what was typed there and hears of the delete again): such a call
        only adds its keys, and the outer one shows them.
        """
        if self._applying:
            return
        self._applying = True
        self.deleted = []
        try:
            for _ in range(3):  # what a nested call added, then stop
                if not self._apply_once():
                    break
        finally:
            self._applying = False

    def _apply_once(self) -> bool:
        """One pass; True when something was shown (so another pass may find more)."""
        document = self.document
        now = document.editing()
        keys = list(dict.fromkeys(self.keys))
        if len(keys) > MAX_ITEMS or any(kind in RELOADING for kind, _ in keys):
            self.everything = True
        if self.everything:
            # A reload resets the tree, which would close a cell's editor; the detail pane
            # keeps the field being typed in (it is shown the same item again).
            if now.tree_key is not None:
                return False
            self.keys, self.everything = [], False
            if self.clear_undo:
                self.clear_undo = False
                document.undo_stack.clear()  # undoing now could overwrite the newer change
            document.reload_rag_style()
            document.reload()
            document.outside_changed.emit(None)
            return True
        self.keys = [key for key in keys if self._disturbs(key, now.tree_key)]
        ready = [key for key in keys if key not in self.keys]
        for key in ready:
            self._show(key)
        if ready:
            document.outside_changed.emit(tuple(ready))
        return bool(ready)

    def _disturbs(self, key: Key, edited: Key | None) -> bool:
        if edited is None or key[0] not in PARENT_COLUMN:
            return False
        if self.document.filter_args:
            return True  # under a filter a structural change resets the model (and the editor)
        node: Node | None = self.document.model.index_by_key.get(edited)
        while node is not None:
            if node.key == key:
                return True
            node = node.parent
        return False

    def _show(self, key: Key) -> None:
        document = self.document
        model = document.model
        kind, item_id = key
        if kind == "rag_status":
            document.reload_rag_style()
            model.layoutChanged.emit()
            return
        if kind not in PARENT_COLUMN:
            return  # funding, figures: only the panes show them
        place = document.workspace.read(item_place, kind, item_id)
        node = model.index_by_key.get(key)
        parent_kind = parent_level(kind)
        parent_key = (
            None if place is None or parent_kind is None else (parent_kind, place.parent_id)
        )
        parent = model.root if parent_key is None else model.index_by_key.get(parent_key)
        if place is None or parent is None:
            # Gone, or moved under an item not shown yet (which brings it along when it comes).
            if place is None and node is not None:
                self.deleted.append((kind, node.title))
            model.remove_node(key)
            return
        position = _position(parent, place.siblings, item_id)
        if node is None:
            model.insert_node(parent_key, position, document.fresh_node(kind, item_id))
            return
        if node.parent is not parent or parent.children.index(node) != position:
            model.move_node(key, parent_key, position)
        model.replace_node_data(document.fresh_node(kind, item_id, deep=False))


def _position(parent: Node, siblings: tuple[int, ...], item_id: int) -> int:
    """Where the item goes among the children shown now: after the nearest earlier sibling
    the tree has (the others may be on their way in the same notice)."""
    shown = {
        child.id: row for row, child in enumerate(c for c in parent.children if c.id != item_id)
    }
    if item_id not in siblings:  # moved again between the two reads: the next notice says so
        return len(shown)
    for before in reversed(siblings[: siblings.index(item_id)]):
        if before in shown:
            return shown[before] + 1
    return 0


def describe(who: str, keys: Sequence[Key], deleted: Sequence[tuple[str, str]]) -> str:
    """The status bar's line for a colleague's change: "Graham Browne deleted the action
    “J9 scheme”." or "Graham Browne changed 2 items."."""
    changed = count(len(set(keys)), "item")
    if not deleted:
        return f"{who} changed {changed}."
    if len(deleted) == 1 and len(set(keys)) == 1:
        kind, title = deleted[0]
        return f"{who} deleted the {kind} “{title}”."
    titles = ", ".join(f"“{title}”" for _, title in deleted)
    return f"{who} changed {changed}, deleting {titles}."
