"""The open workspace as the GUI sees it: runs each edit, records it for undo, refreshes views."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import PARENT_COLUMN, parent_level
from cspdesk.core.quarter import contributions, guards
from cspdesk.core.quarter.outline import Node, TreeLoader, apply_filter, narrows
from cspdesk.core.quarter.window_view import (
    directions_by_action,
    rag_style_rows,
    window_view,
)
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace, read_apart
from cspdesk.store.live import connection_trouble
from cspdesk.ui.catch_up import CatchUp, Editing, Key
from cspdesk.ui.commands import AppliedChange
from cspdesk.ui.plan_model import PlanModel, RagStyle
from cspdesk.ui.unsaved import HeldEdit, UnsavedEdits, not_saved_message

# Tables whose changes never alter what the tree shows.
OUTSIDE_TREE = frozenset(
    {
        "indicator",
        "indicator_value",
        "grant",
        "allocation",
        "spend",
        "snapshot",
        "return_record",
        "return_new_work",
        "history",
    }
)


def _guarded_revert(session: Any, change: ops.Change) -> ops.Change:
    guards.ensure_revert_allowed(session, change)
    return change.revert(session)


class PlanDocument(QObject):
    error = Signal(str)
    directions_ready = Signal(object)  # {action id: "▲ improved"}, computed off the UI thread
    changed = Signal(object)  # the Change just applied (done, undone or redone)
    # Keys of items changed elsewhere (a colleague, a command), once shown; None: everything.
    outside_changed = Signal(object)
    # A save or read failed because a shared plan's server is not answering (the reason).
    connection_lost = Signal(str)
    server_back = Signal()  # ...and answers again

    def __init__(
        self, workspace: Workspace, *, read_only: bool = False, today: dt.date | None = None
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.read_only = read_only or workspace.read_only
        self.today = today
        self.undo_stack = QUndoStack(self)
        self.as_at_by_plan: dict[int, dt.date] = {}
        self.rag_style: RagStyle
        root = self._load()  # and the RAG scheme with it
        self.model = PlanModel(self, root, self.rag_style)
        self.filter_args: dict[str, Any] = {}
        self.filter_matched: list[Node] = []
        self._filtered_revision = -1  # the model's revision the filter was last applied to
        self.shown_unchanged = False
        self.directions_ready.connect(self._apply_directions)
        # What the user is editing right now (the window says): outside changes wait for it.
        self.editing: Callable[[], Editing] = Editing
        self.outside = CatchUp(self)
        # Edits the server did not take while it was away, offered again when it answers.
        self.unsaved = UnsavedEdits(self)
        self.server_away = False  # since a failure said so, until the server answers again

    # ---- a shared plan's server not answering ----

    def held_back(
        self, error: BaseException, held: HeldEdit | None = None, *, saving: bool = True
    ) -> bool:
        """True when ``error`` means the server is not answering: the edit is kept (never
        shown as saved) to be offered again, and the first failed save says so in a box (a
        failed read only in the status bar)."""
        reason = connection_trouble(self.workspace, error)
        if reason is None:
            return False
        if held is not None:
            self.unsaved.hold(held)
        first = not self.server_away
        self.server_away = True
        self.connection_lost.emit(reason)
        # A typed edit kept says so once (the status bar counts the rest); anything else that
        # was not done (an add, a delete, an undo) says so every time.
        if saving and (first or held is None):
            self.error.emit(not_saved_message(reason, held, str(error)))
        return True

    def server_answers(self) -> None:
        """The server answers again (the live view heard it)."""
        self.server_away = False
        self.server_back.emit()

    def refresh_directions(self) -> None:
        """Work out each action's direction of travel in the background, then show it.

        A plain thread, not ui.tasks.start_task: that one shows a window-modal progress
        dialog once the work passes SHOW_AFTER_MS (on the 10,000-action plan this work takes
        about that long), which would block the officer for a column of hints, and its QThread
        must be waited for before the window may close; this thread dies with the program.
        """
        import threading

        path = self.workspace.path

        def work() -> None:
            try:  # on an engine of its own: a reader never takes the write lock
                found = read_apart(path, directions_by_action)
            except Exception:  # a column of hints must never break the window
                return
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self.directions_ready.emit(found)

        threading.Thread(target=work, name="cspdesk-directions", daemon=True).start()

    def _apply_directions(self, found: dict[int, str]) -> None:
        for node in self.model.root.walk():
            if node.kind == "action":
                node.direction = found.get(node.id, "")

    def reload_rag_style(self) -> None:
        self.rag_style = self._load_rag_style()
        self.model.rag_style = self.rag_style

    def _load_rag_style(self) -> RagStyle:
        return RagStyle(self.workspace.read(rag_style_rows))

    def _load(self) -> Node:
        """The whole tree and the RAG scheme, read in one transaction (noted as what the window
        has seen of a shared plan)."""
        view = self.workspace.read_as_seen(window_view, self.today)
        self.as_at_by_plan = view.as_at_by_plan
        self.rag_style = RagStyle(view.rag_rows)
        return view.root

    def as_at(self, plan_id: int | None = None) -> dt.date | None:
        """The date a plan's milestones are judged overdue on (default: the latest of them)."""
        if plan_id is not None:
            return self.as_at_by_plan.get(plan_id)
        return max(self.as_at_by_plan.values(), default=None)

    def read_only_sentence(self) -> str:
        """Why nothing here can be saved, as a sentence (the server's or the file's reason)."""
        reason = (self.workspace.read_only_reason or "").strip().rstrip(".")
        if reason:
            return f"{reason}. Changes cannot be saved."
        name = self.workspace.path.name
        return f"This workspace ({name}) is open read-only: changes cannot be saved."

    def why_not_editable(
        self, kind: str, item_id: int, *, in_current_quarter: bool = False
    ) -> str | None:
        """Why the item may not be edited now, asked before its editor opens (a workspace
        open read-only, a plan kept read-only, a closed quarter); None when it may. A read that
        fails says nothing here: the save itself will."""
        if self.read_only:
            return self.read_only_sentence()
        try:
            return self.workspace.read(
                guards.why_not_editable, kind, item_id, in_current_quarter=in_current_quarter
            )
        except Exception:  # the server away, the item gone: the edit's own save says so
            return None

    # ---- running changes ----

    def commit(
        self, operation: Callable[..., ops.Change], *args: Any, **kwargs: Any
    ) -> ops.Change | None:
        """Save ``operation`` without recording it (the caller pushes it): None when refused,
        said to the officer."""
        return self._run(operation, *args, **kwargs)

    def _run(
        self,
        operation: Callable[..., ops.Change],
        *args: Any,
        unsaved: str = "",
        held: HeldEdit | None = None,
        **kwargs: Any,
    ) -> ops.Change | None:
        """Commit ``operation``; on a refusal say why (and give back ``unsaved``, the text the
        user typed, so that it is not lost). ``held``: the edit to keep if the server is not
        answering."""
        if self.read_only:
            self.error.emit(
                f"{self.workspace.path.name} is open read-only; changes cannot be saved."
            )
            return None
        try:
            change = self.workspace.write(operation, *args, **kwargs)
        except ops.ItemGone as error:
            message = f"{error}; your change was not saved.{_typed(unsaved)}"
            self.catch_up([error.key])
            # Said once the tree is still: this can run while the item's row is being removed.
            QTimer.singleShot(0, lambda: self.error.emit(message))
            return None
        except ops.EditConflict as error:
            self.reload()  # show the colleague's value, as the message says
            self.error.emit(str(error) + _typed(unsaved))
            return None
        except (CspdeskError, ValueError, LookupError) as error:
            if not self.held_back(error, held):
                self.error.emit(str(error))
            return None
        if held is not None:
            self.unsaved.drop(held.key)  # saved since: the kept one is out of date
        return change

    def _revert(self, change: ops.Change) -> ops.Change | None:
        """Undo/redo callback: commit the inverse, refresh, and keep the stack honest; None
        when the step is refused (the same refusals as the edit it replays)."""
        if self.read_only:
            self.error.emit(f"{self.workspace.path.name} is open read-only; nothing was undone.")
            return None
        try:
            inverse = self.workspace.write(_guarded_revert, change)
        except (guards.QuarterClosed, guards.PlanReadOnly, guards.UndoRefused) as error:
            self.error.emit(f"{error}\nNothing was undone or redone.")
            return None
        except CspdeskError as error:
            if self.held_back(error):
                return None  # the stack stays: undo again once the server answers
            self.error.emit(f"{error}\nThe undo history was cleared; the plan is as saved.")
            QTimer.singleShot(0, self.undo_stack.clear)
            self.reload()
            return change
        self.refresh(inverse)
        return inverse

    def push(self, change: ops.Change, text: str | None = None) -> None:
        """Record a Change that is already committed (by an edit here or by a dialog)."""
        self.refresh(change)
        self.undo_stack.push(AppliedChange(change, self._revert, text, self._step_back))

    def _step_back(self, undoing: bool) -> None:
        """Put the stack back where it was after a refused undo (or redo)."""
        QTimer.singleShot(0, self.undo_stack.redo if undoing else self.undo_stack.undo)

    def apply(
        self,
        operation: Callable[..., ops.Change],
        *args: Any,
        text: str | None = None,
        unsaved: str = "",
        held: HeldEdit | None = None,
        **kwargs: Any,
    ) -> ops.Change | None:
        change = self._run(operation, *args, unsaved=unsaved, held=held, **kwargs)
        if change is not None:
            self.push(change, text)
        return change

    # ---- the edits a user makes ----

    def _guarded(
        self, checks: Callable[[Any], None], operation: Callable[..., ops.Change]
    ) -> Callable[..., ops.Change]:
        """``operation`` preceded, in the same transaction, by the refusals in ``checks``."""

        def run(session: Any, *args: Any, **kwargs: Any) -> ops.Change:
            checks(session)
            return operation(session, *args, **kwargs)

        return run

    @staticmethod
    def _editable(session: Any, kind: str, item_id: int | None) -> None:
        if kind in PARENT_COLUMN and item_id is not None:
            guards.ensure_plan_editable(session, guards.plan_id_of(session, kind, item_id))

    def edit_field(
        self, kind: str, item_id: int, field: str, value: Any, seen: Any = ops.NOT_GIVEN
    ) -> bool:
        """Save one field. ``seen``: the value the user saw when they started (default: the
        stored one); if a colleague has changed it since, nothing is saved and the message
        says who, giving back what the user typed."""
        typed = value if isinstance(value, str) else ""
        if seen is not ops.NOT_GIVEN and value == seen:
            return True  # nothing to save (and a colleague's newer value stays)
        held = HeldEdit(
            (kind, item_id, field),
            f"the {kind}'s {field.replace('_', ' ')}",
            typed or _as_text(value),
            lambda: self.edit_field(kind, item_id, field, value, seen),
        )
        unlocking = kind == "plan" and field == "read_only"

        def save(session: Any) -> ops.Change:
            # One statement reads the value, locks the row and says whether the plan is kept
            # read-only; the write and its history row go with the commit.
            found = ops.read_for_edit(session, kind, item_id, field)
            if found.plan_read_only and not unlocking:
                self._editable(session, kind, item_id)  # refused, in the guard's words
            expected = found.value if seen is ops.NOT_GIVEN else seen
            if value in (expected, found.value):
                # Nothing to save (and a colleague's newer value stays).
                return ops.FieldEdited(kind, item_id, field, found.value, found.value)
            return ops.edit_field(
                session,
                kind,
                item_id,
                field,
                value,
                expected=expected,
                old=found.value,
                locked=found.locked,
            )

        change = self._run(save, unsaved=typed, held=held)
        if change is None:
            return False
        if isinstance(change, ops.FieldEdited) and change.old == change.new:
            return True  # nothing was written: nothing to undo
        self.push(change, None)
        return True

    def add_item(
        self, kind: str, parent_id: int | None, position: int | None = None, **values: Any
    ) -> tuple[str, int] | None:
        parent = parent_level(kind)
        operation = self._guarded(
            lambda s: self._editable(s, parent, parent_id) if parent else None, ops.add_item
        )
        change = self.apply(operation, kind, parent_id, position, **values)
        return None if change is None else (kind, change.id)  # type: ignore[attr-defined]

    def delete_items(self, keys: Sequence[tuple[str, int]]) -> bool:
        """Delete the items (and what is under them) as one step; False when nothing was
        (a refusal, the server away: the message says so)."""

        def delete_all(session):  # type: ignore[no-untyped-def]
            for kind, item_id in keys:
                if kind != "plan":  # a whole plan may go; items of a kept plan may not
                    self._editable(session, kind, item_id)
            changes = tuple(ops.delete_item(session, kind, item_id) for kind, item_id in keys)
            return (
                changes[0]
                if len(changes) == 1
                else ops.ChangeSet(changes, f"Delete {len(changes)} items")
            )

        return bool(keys) and self.apply(delete_all) is not None

    def move_items(
        self, keys: Sequence[tuple[str, int]], parent_id: int | None, position: int
    ) -> None:
        def move_all(session):  # type: ignore[no-untyped-def]
            for kind, item_id in keys:
                self._editable(session, kind, item_id)
                parent = parent_level(kind)
                if parent is not None:
                    self._editable(session, parent, parent_id)
            changes = []
            for offset, (kind, item_id) in enumerate(keys):
                changes.append(ops.move_item(session, kind, item_id, parent_id, position + offset))
            return (
                changes[0]
                if len(changes) == 1
                else ops.ChangeSet(tuple(changes), f"Move {len(changes)} items")
            )

        if keys:
            self.apply(move_all)

    def set_leads(self, action_id: int, leads: Sequence[ops.LeadRef], note: str) -> None:
        def set_both(session):  # type: ignore[no-untyped-def]
            self._editable(session, "action", action_id)
            return ops.ChangeSet(
                (
                    ops.set_leads(session, action_id, leads),
                    ops.edit_field(session, "action", action_id, "lead_note", note),
                ),
                "Change leads",
            )

        self.apply(set_both)

    def set_update(
        self,
        action_id: int,
        quarter: int,
        value: ops.UpdateValue | None,
        expected_text: str = ops.NOT_GIVEN,
    ) -> bool:
        """Save the officer's summary; ``expected_text``: the words the editor showed."""
        typed = value.text if value is not None else ""
        held = HeldEdit(
            ("update", action_id, quarter),
            f"your Q{quarter} summary",
            typed or "(cleared)",
            lambda: self.set_update(action_id, quarter, value, expected_text),
        )
        change = self.apply(
            self._guarded(
                lambda s: guards.ensure_update_editable(s, action_id, quarter), ops.set_update
            ),
            action_id,
            quarter,
            value,
            expected_text=expected_text,
            unsaved=typed,
            held=held,
        )
        return change is not None

    def set_agreed_rag(self, action_id: int, rag: str | None) -> bool:
        """Agree an action's RAG for its plan's current quarter (the tree's RAG column)."""
        held = HeldEdit(
            ("agreed rag", action_id),
            "the agreed RAG",
            self.rag_style.label(rag) or "not agreed",
            lambda: self.set_agreed_rag(action_id, rag),
        )
        try:
            seen = self.workspace.read(contributions.agreed_rag, action_id)
        except Exception as error:  # the driver's own, when the server is away
            if self.held_back(error, held):
                return False
            raise
        if seen == rag:  # already agreed: no step for Undo, and the redo steps stay
            return True

        def agree(session: Any) -> ops.Change:
            quarter = contributions.current_quarter_of(session, action_id)
            guards.ensure_update_editable(session, action_id, quarter)
            change = contributions.set_agreed_rag(session, action_id, quarter, rag, expected=seen)
            return ops.ChangeSet((change,), f"Set Q{quarter} RAG")

        return self.apply(agree, held=held) is not None

    def set_contributions(
        self,
        values: dict[contributions.ContributionKey, contributions.ContributionValue | None],
        label: str = "Edit contribution",
        expected: dict[contributions.ContributionKey, contributions.ContributionValue | None]
        | None = None,
    ) -> bool:
        """Save leads' parts; ``expected``: what the editors showed of them."""

        def write(session: Any) -> ops.Change:
            for action_id, quarter, _ in values:
                guards.ensure_update_editable(session, action_id, quarter)
            return contributions.write_contributions(
                session, values, label=label, expected=expected
            )

        typed = "\n".join(value.text for value in values.values() if value is not None)
        held = HeldEdit(
            ("parts", *sorted(values, key=str)),
            label[0].lower() + label[1:],
            typed or "(cleared)",
            lambda: self.set_contributions(values, label, expected),
        )
        return self.apply(write, unsaved=typed, held=held) is not None

    # ---- keeping the model in step ----

    def refresh(self, change: ops.Change) -> None:
        self._refresh(change)
        self.changed.emit(change)

    def _refresh(self, change: ops.Change) -> None:
        model = self.model
        entity = getattr(change, "entity", None)
        if entity in OUTSIDE_TREE or getattr(change, "affects_tree", True) is False:
            return
        if entity == "rag_status":
            self.reload_rag_style()
            model.layoutChanged.emit()
        elif entity in ("agency", "officer"):
            self.reload()
        elif entity == "partnership":
            pass
        elif isinstance(change, contributions.ContributionsSet):
            if len(change.action_ids) > 200:
                self.reload()
                return
            for action_id in change.action_ids:
                if ("action", action_id) in model.index_by_key:
                    model.replace_node_data(self.fresh_node("action", action_id, deep=False))
        elif isinstance(change, ops.ChangeSet):
            for part in change.changes:
                self._refresh(part)
        elif isinstance(change, ops.FieldEdited | ops.LeadsSet | ops.UpdateSet):
            kind, item_id = (
                (change.entity, change.id)
                if isinstance(change, ops.FieldEdited)
                else ("action", change.action_id)
            )
            if isinstance(change, ops.FieldEdited) and change.field == "current_quarter":
                self.reload()  # the as-at date moved: every milestone is judged afresh
            elif isinstance(change, ops.FieldEdited) and self._retitled(change):
                pass  # shown without reading the item back
            elif (kind, item_id) in model.index_by_key:
                model.replace_node_data(self.fresh_node(kind, item_id, deep=False))
        elif isinstance(change, ops.ItemAdded):
            if change.entity in PARENT_COLUMN:
                parent = parent_level(change.entity)
                parent_key = None if parent is None else (parent, change.parent_id)
                model.insert_node(
                    parent_key, change.position, self.fresh_node(change.entity, change.id)
                )
        elif isinstance(change, ops.ItemDeleted):
            model.remove_node((change.entity, change.id))
        elif isinstance(change, ops.ItemMoved):
            parent = parent_level(change.entity)
            parent_key = None if parent is None else (parent, change.new_parent_id)
            model.move_node((change.entity, change.id), parent_key, change.new_position)
        else:
            self.reload()

    def _retitled(self, change: ops.FieldEdited) -> bool:
        """Show a title edited here as written, without reading the item back (over a slow
        link that read costs more than the save); False when it needs the read after all."""
        node = self.model.index_by_key.get((change.entity, change.id))
        if change.field != "title" or node is None or node.kind == "plan":
            return False  # a plan's title is shown with its year
        old, new = change.old or "", change.new or ""
        # Every level's search text starts with its title (core.quarter.outline).
        if not old or node.title != old or not node.haystack.startswith(old.casefold()):
            return False
        if new:
            node.haystack = new.casefold() + node.haystack[len(old.casefold()) :]
        else:
            node.haystack = node.haystack[len(old.casefold()) :].removeprefix("\n")
        node.title = new
        self.model.replace_node_data(node)
        return True

    # ---- changes committed elsewhere ----

    def catch_up(self, keys: Sequence[Key] | None, *, clear_undo: bool = False) -> None:
        """Show items changed elsewhere (None: anything may have changed, so reload), as soon
        as that disturbs no edit in progress."""
        self.outside.add(keys, clear_undo=clear_undo)

    def catch_up_waiting(self) -> None:
        """An edit ended: show the outside changes that waited for it."""
        if self.outside.waiting:
            self.outside.apply()

    def fresh_node(self, kind: str, item_id: int, deep: bool = True) -> Node:
        """The item as stored now (with everything under it when ``deep``)."""
        return self.workspace.read(
            lambda s: TreeLoader(s, self.today).load_item(kind, item_id, deep)
        )

    def reload(self) -> None:
        """Reload the whole tree from the file (after a dialog made wide changes)."""
        root = self._load()
        self.model.rag_style = self.rag_style  # a colleague may have changed the scheme
        if self.filter_args:
            apply_filter(root, **self.filter_args)
        self.model.reset_tree(root)

    def set_filter(
        self,
        text: str = "",
        lead: tuple[str, int] | None = None,
        rags: frozenset[str | None] | None = None,
    ) -> int:
        """Show what the filter lets through; returns how many items match. ``shown_unchanged``
        then says whether every row stayed where it was (the views were told nothing)."""
        before, matched_before = self.filter_args, self.filter_matched
        text_only = lead is None and rags is None
        self.filter_args = (
            {"text": text, "lead": lead, "rags": rags} if text.strip() or not text_only else {}
        )
        was_text = bool(before) and before["lead"] is None and before["rags"] is None
        as_filtered = self._filtered_revision == self.model.revision
        # Typing on narrows what shows: only that is sifted again. Unfiltered, everything shows.
        narrowing = text_only and (
            not before or (was_text and as_filtered and narrows(before["text"], text))
        )
        self.filter_matched: list[Node] = []
        matches = apply_filter(
            self.model.root, text, lead, rags, self.filter_matched, narrowing=narrowing
        )
        # A text filter's rows follow from what matched: the same items, the same rows.
        self.shown_unchanged = (
            as_filtered
            and was_text
            and text_only
            and bool(self.filter_args)
            and self.filter_matched == matched_before
        )
        if not self.shown_unchanged:
            self.model.shown_changed()
        self._filtered_revision = self.model.revision
        return matches

    def shown_actions(self) -> int:
        """How many actions the tree shows under the filter."""
        shown = 0
        stack = [self.model.root]
        while stack:
            node = stack.pop()
            children = node.visible_children()
            if node.kind == "objective":  # its children are actions: counted, not walked
                shown += len(children)
            elif node.kind != "action":
                stack.extend(children)
        return shown


def _as_text(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dt.date):
        return f"{value:%d %b %Y}"
    return str(value)


def _typed(text: str) -> str:
    """The words of a refused edit, given back and put on the clipboard so they outlive the
    message."""
    if not text.strip():
        return ""
    QGuiApplication.clipboard().setText(text)
    return f"\n\nWhat you typed: {text}\n\n(It is on the clipboard: paste it with Ctrl+V.)"
