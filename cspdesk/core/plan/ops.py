"""Every change a user can make to a plan, as plain functions on a Session.

Each function makes its change inside the caller's transaction and returns a Change: a record
of what changed (so a view can refresh just that) that can ``revert`` itself, which applies the
inverse and returns the inverse's own Change. The GUI's undo stack is built on that; so is any
headless caller that needs to back out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from cspdesk.core.plan.limits import check_length, check_lengths
from cspdesk.core.plan.model import (
    PARENT_COLUMN,
    TREE_LEVELS,
    ActionLead,
    Base,
    HistoryEntry,
    Partnership,
    Update,
    parent_level,
)
from cspdesk.errors import CspdeskError

# A change made "by whoever is signed in": signer() replaces it with the session's user name.
DEFAULT_WHO = "officer"
SESSION_WHO_KEY = "who"  # Session.info key the workspace sets to the user's name
RETURN_SIGNER = "return:"  # a merged return signs "return: <lead> <file>" (returns/diff.py)
# Execution option of a statement whose result nobody reads (the history row, the notice): on a
# server it travels with the next statement that is answered, or with the commit, instead of
# costing a round trip of its own (store/server.py, one_trip_write).
UNREAD_RESULT_KEY = "cspdesk_unread_result"
UNREAD_RESULT = {UNREAD_RESULT_KEY: True}
NOT_GIVEN: Any = object()  # edit_field(expected=...): the caller did not say what it saw
# Refuse edits of a row that moved on (tests/core/test_concurrent_edits.py's control run
# switches it off to show that two officers then lose edits).
CHECK_CONCURRENT_EDITS = True
# Adds, moves and deletes lock the parent row before reading sibling positions (the control
# run of tests/core/test_concurrent_structure.py switches it off to show that two officers'
# adds under one objective then share a position).
LOCK_SIBLINGS = True


class EditConflict(CspdeskError):
    """The row moved on since the caller saw it (a colleague's edit); nothing was changed."""


UNEDITABLE = {"id", "position", "uid", "code"}
AUDITED = {"action", "milestone", "update", "action_lead"}


class Change(Protocol):
    def revert(self, session: Session) -> Change: ...

    def describe(self) -> str: ...


def table_of(entity: str) -> Table:
    table = Base.metadata.tables.get(entity)
    if table is None:
        raise ValueError(f"unknown entity {entity!r}")
    return table


def _key_column(table: Table):  # type: ignore[no-untyped-def]
    """The primary key column: ``id`` almost everywhere, ``code`` for RAG statuses."""
    return next(iter(table.primary_key.columns))


def signer(session: Session, who: str = DEFAULT_WHO) -> str:
    """The name a change is signed with: ``who`` if the caller named someone (a return, a
    script), else the user of the session's workspace (cspdesk.identity.user_name)."""
    if who and who != DEFAULT_WHO:
        return who
    return str(session.info.get(SESSION_WHO_KEY) or DEFAULT_WHO)


def _log(
    session: Session,
    entity: str,
    entity_id: int,
    field_name: str,
    old: Any,
    new: Any,
    who: str,
    note: str = "",
    *,
    unread: bool = False,
) -> None:
    """A history row for the change. ``unread``: sent at once with no RETURNING of its id, so
    on a server it goes with the commit (one edit's fast path); otherwise added to the session,
    where many rows (a merge, a move) are flushed together in one statement."""
    if entity not in AUDITED:
        return
    row = {
        "who": signer(session, who),
        "entity": entity,
        "entity_id": entity_id,
        "field": field_name,
        "old": None if old is None else str(old),
        "new": None if new is None else str(new),
        "note": note,
    }
    if unread:
        statement = insert(table_of("history")).inline()
        session.execute(statement, row, execution_options=UNREAD_RESULT)
    else:
        session.add(HistoryEntry(**row))


# ---- editing one field -------------------------------------------------------------------


@dataclass(frozen=True)
class FieldEdited:
    entity: str
    id: Any  # the row's primary key (an int, or a RAG status code)
    field: str
    old: Any
    new: Any

    def revert(self, session: Session) -> Change:
        # Undo never overwrites a later change by someone else: it expects what we wrote.
        return edit_field(
            session,
            self.entity,
            self.id,
            self.field,
            self.old,
            keep_original=False,
            expected=self.new,
        )

    def describe(self) -> str:
        return f"Edit {self.entity} {self.field.replace('_', ' ')}"


def edit_field(
    session: Session,
    entity: str,
    item_id: int,
    field_name: str,
    value: Any,
    who: str = DEFAULT_WHO,
    *,
    keep_original: bool = True,
    expected: Any = NOT_GIVEN,
    old: Any = NOT_GIVEN,
    locked: bool = False,
) -> Change:
    """Set one field; a moved milestone date keeps its original due date (unless undoing).

    ``old``: the field's value as the caller read it in this transaction (read_for_edit),
    saving a statement; ``locked``: that read locked the row (on a server), so the UPDATE's
    result need not be waited for.

    ``expected``: the value the caller saw; if the field holds something else now (a colleague
    changed it), EditConflict and nothing is changed. The UPDATE itself also states the value
    this transaction read on a server, so a commit landing between the read and the write
    (officers write at once there) is refused too, never overwritten. SQLAlchemy's
    version_id_col would not help here: it guards ORM flushes, not these Core statements.
    """
    table = table_of(entity)
    if (
        field_name in UNEDITABLE
        or field_name == PARENT_COLUMN.get(entity)
        or field_name not in table.c
    ):
        raise ValueError(f"{entity}.{field_name} cannot be edited")
    check_length(entity, field_name, value)
    key = _key_column(table)
    if old is NOT_GIVEN:
        old = session.execute(select(table.c[field_name]).where(key == item_id)).scalar_one()
    if CHECK_CONCURRENT_EDITS and expected is not NOT_GIVEN and old != expected:
        raise EditConflict(conflict_message(session, entity, item_id, field_name))
    if old == value:
        return FieldEdited(entity, item_id, field_name, old, value)
    column = table.c[field_name]
    where = [key == item_id]
    if CHECK_CONCURRENT_EDITS and session.get_bind().dialect.name != "sqlite":
        # On SQLite BEGIN IMMEDIATE already holds the write lock since the read (and a date
        # stored in an older text form would not compare equal to the re-rendered one).
        where.append(column.is_not_distinct_from(old))
    statement = update(table).where(*where).values({column: value})
    if locked:  # the row is ours since the read: the UPDATE cannot miss it
        session.execute(statement, execution_options=UNREAD_RESULT)
    elif session.execute(statement).rowcount != 1:
        raise EditConflict(conflict_message(session, entity, item_id, field_name))
    _log(session, entity, item_id, field_name, old, value, who, unread=locked)
    edited = FieldEdited(entity, item_id, field_name, old, value)
    if keep_original and entity == "milestone" and field_name == "due_date" and old is not None:
        original = session.execute(
            select(table.c.original_due_date).where(table.c.id == item_id)
        ).scalar_one()
        if original is None:
            keep = edit_field(session, entity, item_id, "original_due_date", old, who)
            return ChangeSet((edited, keep), edited.describe())
    return edited


class ItemGone(CspdeskError):
    """The item was deleted (by a colleague, or elsewhere) before the edit reached it."""

    def __init__(self, message: str, key: tuple[str, Any]) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class ForEdit:
    """A field as read for an edit: its value, and whether its plan is kept read-only."""

    value: Any
    plan_read_only: bool | None  # None: not asked, or not an item of a plan's tree
    locked: bool  # the row is locked until the transaction ends (on a server)


def read_for_edit(session: Session, entity: str, item_id: Any, field_name: str) -> ForEdit:
    """The field's value and its plan's read-only flag in one statement, the row locked on a
    server (SQLite's BEGIN IMMEDIATE holds the whole file already). ItemGone, saying who
    deleted it, when the item is not there."""
    table = table_of(entity)
    if field_name not in table.c:
        raise ValueError(f"{entity}.{field_name} cannot be edited")
    key = _key_column(table)
    query = select(table.c[field_name]).where(key == item_id)
    planned = entity in PARENT_COLUMN
    if planned:
        query = _up_to_plan(query, entity, table)
    on_server = session.get_bind().dialect.name != "sqlite"
    locked = on_server and CHECK_CONCURRENT_EDITS
    if locked:
        query = query.with_for_update(of=table)
    row = session.execute(query).one_or_none()
    if row is None:
        raise ItemGone(deleted_message(session, entity, item_id), (entity, item_id))
    return ForEdit(row[0], bool(row[1]) if planned else None, locked)


def _up_to_plan(query: Any, entity: str, table: Table) -> Any:
    """``query`` with the plan's read_only flag added, joined up the tree from ``entity``."""
    plan = table_of("plan")
    current, level = table, entity
    while level != "plan":
        parent_kind = parent_level(level)
        assert parent_kind is not None
        parent = table_of(parent_kind)
        query = query.join(parent, parent.c.id == current.c[str(PARENT_COLUMN[level])])
        current, level = parent, parent_kind
    return query.add_columns(plan.c.read_only if table is not plan else table.c.read_only)


def conflict_message(
    session: Session, entity: str, item_id: Any, field_name: str, what: str | None = None
) -> str:
    """ "Emma Clark changed this at 10:42 — …", from the newest history row of the field."""
    last = session.execute(
        select(HistoryEntry.who, HistoryEntry.at)
        .where(
            HistoryEntry.entity == entity,
            HistoryEntry.entity_id == item_id,
            HistoryEntry.field == field_name,
        )
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    ).first()
    what = what or f"the {entity}'s {field_name.replace('_', ' ')}"
    if last is None:
        who = f"Someone else changed {what}"
    else:
        when = last.at.replace(tzinfo=dt.UTC).astimezone()
        who = f"{last.who or 'Someone else'} changed {what} at {when:%H:%M}"
    return f"{who} — reloaded; your change was not saved"


def deleted_message(session: Session, entity: str, item_id: Any) -> str:
    """ "Graham Browne deleted this action at 10:42", from the history row of the delete;
    "This priority was deleted elsewhere" when no row names who (only actions and milestones
    are audited)."""
    last = session.execute(
        select(HistoryEntry.who, HistoryEntry.at)
        .where(
            HistoryEntry.entity == entity,
            HistoryEntry.entity_id == item_id,
            HistoryEntry.note == "deleted",
        )
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    ).first()
    if last is None or not last.who:
        return f"This {entity} was deleted elsewhere"
    when = last.at.replace(tzinfo=dt.UTC).astimezone()
    return f"{last.who} deleted this {entity} at {when:%H:%M}"


# ---- adding, deleting, moving tree items ----------------------------------------------------


def _siblings_filter(table: Table, entity: str, parent_id: int | None):  # type: ignore[no-untyped-def]
    parent_column = PARENT_COLUMN.get(entity)
    return True if parent_column is None else table.c[parent_column] == parent_id


def lock_siblings(session: Session, entity: str, parent_ids: Iterable[int | None]) -> None:
    """Hold the parents of ``entity`` rows under ``parent_ids`` until the transaction ends.

    Two officers adding, moving or deleting under one parent then take turns on a server
    (READ COMMITTED): positions read after this are the committed ones, so the order stays
    dense and unique. A plan's siblings are every plan: the partnership row stands for their
    parent. FOR NO KEY UPDATE does not block foreign-key checks of rows inserted under the
    parent; on SQLite (BEGIN IMMEDIATE: one writer already) SQLAlchemy leaves FOR UPDATE out.
    No unique index on (parent, position): ``_shift`` moves positions in place, and a
    non-deferrable index would refuse the rows it passes through.
    """
    if not LOCK_SIBLINGS:
        return
    level = parent_level(entity)
    if level is None:
        lock_rows(session, Partnership.__table__)
    else:
        lock_rows(session, table_of(level), [p for p in parent_ids if p is not None])


def lock_rows(session: Session, table: Table, ids: Iterable[int] | None = None) -> None:
    """Hold rows of ``table`` (all of them when ``ids`` is None) until the transaction ends:
    another transaction locking them waits for our commit, then reads what we wrote."""
    query = select(table.c.id).order_by(table.c.id).with_for_update(key_share=True)
    if ids is not None:
        query = query.where(table.c.id.in_(sorted(set(ids))))
    session.execute(query).all()


def _locked_row(session: Session, entity: str, item_id: int, *also: int | None) -> Any:
    """The item's row, read once its parent (and the parents ``also``) are locked."""
    table = table_of(entity)
    parent_column = PARENT_COLUMN.get(entity)
    locked: set[int | None] = set()
    while True:
        row = session.execute(select(table).where(table.c.id == item_id)).mappings().one()
        wanted = {row[parent_column] if parent_column else None, *also}
        if wanted <= locked:
            return row
        lock_siblings(session, entity, wanted - locked)
        locked |= wanted


def _shift(
    session: Session, entity: str, parent_id: int | None, from_position: int, delta: int
) -> None:
    table = table_of(entity)
    session.execute(
        update(table)
        .where(_siblings_filter(table, entity, parent_id), table.c.position >= from_position)
        .values(position=table.c.position + delta)
    )


def child_count(session: Session, entity: str, parent_id: int | None) -> int:
    table = table_of(entity)
    return session.execute(
        select(func.count()).select_from(table).where(_siblings_filter(table, entity, parent_id))
    ).scalar_one()


@dataclass(frozen=True)
class ItemAdded:
    entity: str
    id: int
    parent_id: int | None
    position: int

    def revert(self, session: Session) -> Change:
        # Undoing an add deletes the item: never with a colleague's work on it or under it.
        if CHECK_CONCURRENT_EDITS:
            _refuse_if_others_worked_on(session, self.entity, self.id)
        return delete_item(session, self.entity, self.id)

    def describe(self) -> str:
        return f"Add {self.entity}"


def _refuse_if_others_worked_on(session: Session, entity: str, item_id: int) -> None:
    """EditConflict if anyone but this session's user changed the item or added under it.

    A return's merge is not someone else: placing a partner's new row writes the action and
    that lead's part in one step, and undoing it must take both away."""
    if entity in TREE_LEVELS:
        lock_rows(session, table_of(entity), [item_id])
    me = signer(session)
    touched = [(entity, item_id)]
    child = next((k for k, parent in PARENT_COLUMN.items() if parent_level(k) == entity), None)
    if child is not None:
        child_table = table_of(child)
        below = select(child_table.c.id).where(child_table.c[PARENT_COLUMN[child]] == item_id)
        touched += [(child, child_id) for child_id in session.execute(below).scalars()]
    for kind, key in touched:
        own_creation = kind == entity and key == item_id  # whoever added it (a return, even)
        other = session.execute(
            select(HistoryEntry.field)
            .where(
                HistoryEntry.entity == kind,
                HistoryEntry.entity_id == key,
                HistoryEntry.who != me,
                HistoryEntry.who.not_like(f"{RETURN_SIGNER}%"),
                HistoryEntry.note != "added" if own_creation else True,
            )
            .order_by(HistoryEntry.id.desc())
            .limit(1)
        ).first()
        if other is not None:
            what = f"the new {entity}" if kind == entity else f"the new {entity}'s {kind}s"
            raise EditConflict(conflict_message(session, kind, key, other.field, what))


def add_item(
    session: Session,
    entity: str,
    parent_id: int | None,
    position: int | None = None,
    who: str = DEFAULT_WHO,
    **values: Any,
) -> ItemAdded:
    """Insert a tree item under ``parent_id`` at ``position`` (default: last)."""
    if entity not in TREE_LEVELS:
        raise ValueError(f"{entity!r} is not a plan tree level")
    table = table_of(entity)
    lock_siblings(session, entity, [parent_id])
    count = child_count(session, entity, parent_id)
    position = count if position is None else max(0, min(position, count))
    _shift(session, entity, parent_id, position, +1)
    parent_column = PARENT_COLUMN[entity]
    if parent_column is not None:
        values[parent_column] = parent_id
    new_id = session.execute(insert(table).values(position=position, **values)).inserted_primary_key
    assert new_id is not None
    _log(session, entity, new_id[0], "", None, values.get("title", ""), who, "added")
    return ItemAdded(entity, new_id[0], parent_id, position)


def add_row(session: Session, entity: str, who: str = DEFAULT_WHO, **values: Any) -> ItemAdded:
    """Insert a row of a table outside the plan tree (an agency, an officer...)."""
    if entity in TREE_LEVELS:
        raise ValueError(f"use add_item for {entity}")
    check_lengths(entity, values)
    new_id = session.execute(insert(table_of(entity)).values(**values)).inserted_primary_key
    assert new_id is not None
    return ItemAdded(entity, new_id[0], None, 0)


@dataclass
class RowDump:
    """A row and every row that would be deleted with it (ON DELETE CASCADE), recursively."""

    table: str
    values: dict[str, Any]
    dependants: list[RowDump] = field(default_factory=list)
    # (table, column, id) of rows whose reference is set to NULL by the delete.
    nulled: list[tuple[str, str, int]] = field(default_factory=list)


def _referencing(table: Table) -> list[tuple[Table, str, str | None]]:
    found = []
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table:
                found.append((other, fk.parent.name, fk.ondelete))
    return found


def dump_row(session: Session, table_name: str, row_id: Any, key: str = "id") -> RowDump:
    table = table_of(table_name)
    values = dict(session.execute(select(table).where(table.c[key] == row_id)).mappings().one())
    dump = RowDump(table_name, values)
    for other, column, ondelete in _referencing(table):
        referenced = values[next(iter(other.c[column].foreign_keys)).column.name]
        ids = (
            session.execute(
                select(other.c.id)
                .where(other.c[column] == referenced)
                .order_by(other.c.position if "position" in other.c else other.c.id)
            )
            .scalars()
            .all()
            if "id" in other.c
            else []
        )
        if ondelete == "CASCADE":
            dump.dependants.extend(dump_row(session, other.name, i) for i in ids)
        elif ondelete == "SET NULL":
            dump.nulled.extend(
                (other.name, column, i) for i in ids if not (other is table and i == row_id)
            )
    return dump


def _restore(session: Session, dump: RowDump) -> None:
    session.execute(insert(table_of(dump.table)).values(**dump.values))
    for child in dump.dependants:
        _restore(session, child)
    for table_name, column, row_id in dump.nulled:
        table = table_of(table_name)
        session.execute(
            update(table).where(table.c.id == row_id).values({column: dump.values["id"]})
        )


@dataclass(frozen=True)
class ItemDeleted:
    entity: str
    id: int
    parent_id: int | None
    position: int | None
    dump: RowDump

    def revert(self, session: Session) -> Change:
        if self.position is not None:
            if self.entity in TREE_LEVELS:
                lock_siblings(session, self.entity, [self.parent_id])
            _shift(session, self.entity, self.parent_id, self.position, +1)
        _restore(session, self.dump)
        _log(session, self.entity, self.id, "", None, None, DEFAULT_WHO, "restored")
        return ItemAdded(self.entity, self.id, self.parent_id, self.position or 0)

    def describe(self) -> str:
        return f"Delete {self.entity}"


def delete_item(session: Session, entity: str, item_id: int, who: str = DEFAULT_WHO) -> ItemDeleted:
    """Delete an item and everything under it; the Change can put it all back, ids and all."""
    table = table_of(entity)
    if entity in TREE_LEVELS:
        _locked_row(session, entity, item_id)
    dump = dump_row(session, entity, item_id)
    parent_column = PARENT_COLUMN.get(entity)
    parent_id = dump.values.get(parent_column) if parent_column else None
    position = dump.values.get("position")
    session.execute(delete(table).where(table.c.id == item_id))
    if position is not None and entity in TREE_LEVELS:
        _shift(session, entity, parent_id, position + 1, -1)
    _log(session, entity, item_id, "", dump.values.get("title"), None, who, "deleted")
    return ItemDeleted(entity, item_id, parent_id, position, dump)


@dataclass(frozen=True)
class ItemMoved:
    entity: str
    id: int
    old_parent_id: int | None
    old_position: int
    new_parent_id: int | None
    new_position: int

    def revert(self, session: Session) -> Change:
        if CHECK_CONCURRENT_EDITS:  # a colleague moved it on since: leave it where they put it
            row = _locked_row(session, self.entity, self.id, self.old_parent_id)
            if row[PARENT_COLUMN[self.entity]] != self.new_parent_id:
                what = f"where the {self.entity} is"
                raise EditConflict(
                    conflict_message(session, self.entity, self.id, "position", what)
                )
        return move_item(session, self.entity, self.id, self.old_parent_id, self.old_position)

    def describe(self) -> str:
        return f"Move {self.entity}"


def move_item(
    session: Session,
    entity: str,
    item_id: int,
    new_parent_id: int | None,
    new_position: int,
    who: str = DEFAULT_WHO,
) -> ItemMoved:
    """Move an item to ``new_position`` among the children of ``new_parent_id``.

    ``new_position`` counts in the destination list as it is once the item has left its old
    place, so moving an item down within one parent needs no adjustment by the caller.
    """
    table = table_of(entity)
    parent_column = PARENT_COLUMN[entity]
    row = _locked_row(session, entity, item_id, new_parent_id)
    old_parent = row[parent_column] if parent_column else None
    old_position = row["position"]
    if parent_column is None and new_parent_id is not None:
        raise ValueError("a plan has no parent")
    _shift(session, entity, old_parent, old_position + 1, -1)
    session.execute(update(table).where(table.c.id == item_id).values(position=-1))
    count = child_count(session, entity, new_parent_id) - (1 if new_parent_id == old_parent else 0)
    new_position = max(0, min(new_position, count))
    _shift(session, entity, new_parent_id, new_position, +1)
    values: dict[str, Any] = {"position": new_position}
    if parent_column is not None:
        values[parent_column] = new_parent_id
    session.execute(update(table).where(table.c.id == item_id).values(values))
    _log(
        session,
        entity,
        item_id,
        "position",
        f"{old_parent}:{old_position}",
        f"{new_parent_id}:{new_position}",
        who,
        "moved",
    )
    return ItemMoved(entity, item_id, old_parent, old_position, new_parent_id, new_position)


# ---- leads and quarterly updates ------------------------------------------------------------

LeadRef = tuple[int | None, int | None]  # (agency_id, officer_id)


@dataclass(frozen=True)
class LeadsSet:
    action_id: int
    old: tuple[LeadRef, ...]
    new: tuple[LeadRef, ...]

    def revert(self, session: Session) -> Change:
        if CHECK_CONCURRENT_EDITS:
            lock_rows(session, table_of("action"), [self.action_id])
            if get_leads(session, self.action_id) != self.new:
                message = conflict_message(
                    session, "action", self.action_id, "leads", "the action's leads"
                )
                raise EditConflict(message)
        return set_leads(session, self.action_id, self.old)

    def describe(self) -> str:
        return "Change leads"


def get_leads(session: Session, action_id: int) -> tuple[LeadRef, ...]:
    rows = session.execute(
        select(ActionLead.agency_id, ActionLead.officer_id)
        .where(ActionLead.action_id == action_id)
        .order_by(ActionLead.position)
    ).all()
    return tuple((a, o) for a, o in rows)


def set_leads(
    session: Session, action_id: int, leads: Sequence[LeadRef], who: str = DEFAULT_WHO
) -> LeadsSet:
    old = get_leads(session, action_id)
    new = tuple((a, o) for a, o in leads if a is not None or o is not None)
    if old != new:
        session.execute(delete(ActionLead).where(ActionLead.action_id == action_id))
        for position, (agency_id, officer_id) in enumerate(new):
            session.add(
                ActionLead(
                    action_id=action_id,
                    position=position,
                    agency_id=agency_id,
                    officer_id=officer_id,
                )
            )
        session.flush()
        _log(
            session,
            "action",
            action_id,
            "leads",
            _lead_names(session, old),
            _lead_names(session, new),
            who,
        )
    return LeadsSet(action_id, old, new)


@dataclass(frozen=True)
class UpdateValue:
    text: str
    rag: str | None
    source: str = DEFAULT_WHO


@dataclass(frozen=True)
class UpdateSet:
    action_id: int
    quarter: int
    old: UpdateValue | None
    new: UpdateValue | None

    def revert(self, session: Session) -> Change:
        if CHECK_CONCURRENT_EDITS:  # words or RAG saved by a colleague since stay
            lock_rows(session, table_of("action"), [self.action_id])
            now = get_update(session, self.action_id, self.quarter)
            said = [(v.text, v.rag) if v is not None else None for v in (now, self.new)]
            if said[0] != said[1]:
                changed = "rag" if said[0] and said[1] and said[0][0] == said[1][0] else "update"
                message = conflict_message(
                    session,
                    "action",
                    self.action_id,
                    f"q{self.quarter}_{changed}",
                    f"the action's Q{self.quarter} {'RAG' if changed == 'rag' else 'update'}",
                )
                raise EditConflict(message)
        return set_update(session, self.action_id, self.quarter, self.old)

    def describe(self) -> str:
        return f"Edit Q{self.quarter} update"


def get_update(session: Session, action_id: int, quarter: int) -> UpdateValue | None:
    row = session.execute(
        select(Update.text, Update.rag, Update.source).where(
            Update.action_id == action_id, Update.quarter == quarter
        )
    ).one_or_none()
    return None if row is None else UpdateValue(row.text, row.rag, row.source)


def set_update(
    session: Session,
    action_id: int,
    quarter: int,
    value: UpdateValue | None,
    who: str | None = None,
    *,
    expected_text: str = NOT_GIVEN,
) -> UpdateSet:
    """Set (or with None, remove) an action's update for a quarter.

    ``expected_text``: the officer's words the caller saw ("" for none); if a colleague saved
    others meanwhile, EditConflict and nothing is changed (the action row is locked first, so
    on a server a commit in between is seen)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter {quarter} is not 1 to 4")
    if CHECK_CONCURRENT_EDITS and expected_text is not NOT_GIVEN:
        lock_rows(session, table_of("action"), [action_id])
        now = get_update(session, action_id, quarter)
        if (now.text if now is not None else "") != expected_text:
            field_name = f"q{quarter}_update"
            what = f"the action's Q{quarter} summary"
            raise EditConflict(conflict_message(session, "action", action_id, field_name, what))
    if value is not None:
        value = UpdateValue(value.text, value.rag, signer(session, value.source))
    old = get_update(session, action_id, quarter)
    if old != value:
        where = (Update.action_id == action_id, Update.quarter == quarter)
        if value is None:
            session.execute(delete(Update).where(*where))
        elif old is None:
            session.add(
                Update(
                    action_id=action_id,
                    quarter=quarter,
                    text=value.text,
                    rag=value.rag,
                    source=value.source,
                    updated_at=_now(),
                )
            )
            session.flush()
        else:
            session.execute(
                update(Update)
                .where(*where)
                .values(text=value.text, rag=value.rag, source=value.source, updated_at=_now())
            )
        author = who or (value.source if value else DEFAULT_WHO)
        old_text, new_text = (None if v is None else v.text for v in (old, value))
        if old_text != new_text:
            _log(session, "action", action_id, f"q{quarter}_update", old_text, new_text, author)
        old_rag, new_rag = (None if v is None else v.rag for v in (old, value))
        if old_rag != new_rag:
            _log(session, "action", action_id, f"q{quarter}_rag", old_rag, new_rag, author)
    return UpdateSet(action_id, quarter, old, value)


def _lead_names(session: Session, leads: tuple[LeadRef, ...]) -> str:
    """Leads as people read them in the history: "Essex Police – Emma Clark; RDC"."""
    from cspdesk.core.plan.model import Agency, Officer

    parts = []
    for agency_id, officer_id in leads:
        agency = session.get(Agency, agency_id) if agency_id is not None else None
        officer = session.get(Officer, officer_id) if officer_id is not None else None
        names = [x.name for x in (agency, officer) if x is not None]
        parts.append(" – ".join(names))
    return "; ".join(parts)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# ---- several changes as one ----------------------------------------------------------------


@dataclass(frozen=True)
class ChangeSet:
    changes: tuple[Change, ...]
    label: str

    def revert(self, session: Session) -> Change:
        return ChangeSet(tuple(c.revert(session) for c in reversed(self.changes)), self.label)

    def describe(self) -> str:
        return self.label
