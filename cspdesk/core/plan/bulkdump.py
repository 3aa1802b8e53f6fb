"""Delete a whole plan and put it back exactly (same ids), with a few set-based queries.

ops.delete_item dumps a subtree row by row, which is right for the few rows a user deletes but
takes minutes for a 10,000-action plan; undoing a roll-forward deletes a whole plan. This walks
the same ON DELETE rules (CASCADE rows are kept to restore, SET NULL references outside the
plan are remembered to re-point) one table level at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Base

CHUNK = 500


@dataclass
class PlanDump:
    plan_id: int
    position: int
    # (table name, rows) in an order that can be inserted: parents before children.
    tables: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    # (table name, column, row id, value) of references outside the plan set to NULL.
    nulled: list[tuple[str, str, int, int]] = field(default_factory=list)


def _referencing(table: Table) -> list[tuple[Table, str, str | None]]:
    return [
        (other, fk.parent.name, fk.ondelete)
        for other in Base.metadata.sorted_tables
        for fk in other.foreign_keys
        if fk.column.table is table
    ]


def _chunks(ids: list[Any]) -> list[list[Any]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def dump_plan(session: Session, plan_id: int) -> PlanDump:
    plan_table = ops.table_of("plan")
    root = dict(
        session.execute(select(plan_table).where(plan_table.c.id == plan_id)).mappings().one()
    )
    dump = PlanDump(plan_id, root["position"], [("plan", [root])])
    deleted: dict[str, set[Any]] = {"plan": {plan_id}}
    set_null: list[tuple[Table, str, Table, list[Any]]] = []
    level: list[tuple[Table, list[dict[str, Any]]]] = [(plan_table, [root])]
    while level:
        next_level = []
        for table, rows in level:
            for other, column, ondelete in _referencing(table):
                target = next(iter(other.c[column].foreign_keys)).column.name
                keys = [row[target] for row in rows]
                if ondelete == "SET NULL":
                    set_null.append((other, column, table, keys))
                    continue
                if ondelete != "CASCADE":
                    continue
                found = []
                for chunk in _chunks(keys):
                    found.extend(
                        dict(r)
                        for r in session.execute(
                            select(other).where(other.c[column].in_(chunk))
                        ).mappings()
                    )
                seen = deleted.setdefault(other.name, set())
                found = [r for r in found if r["id"] not in seen]
                if found:
                    seen.update(r["id"] for r in found)
                    dump.tables.append((other.name, found))
                    next_level.append((other, found))
        level = next_level
    for other, column, _table, keys in set_null:
        for chunk in _chunks(keys):
            for row_id, value in session.execute(
                select(other.c.id, other.c[column]).where(other.c[column].in_(chunk))
            ):
                if row_id not in deleted.get(other.name, set()):
                    dump.nulled.append((other.name, column, row_id, value))
    return dump


def delete_plan(session: Session, plan_id: int) -> PlanDump:
    """Delete the plan (the database cascades); returns what restore_plan needs."""
    ops.lock_siblings(session, "plan", [None])
    dump = dump_plan(session, plan_id)
    plans = ops.table_of("plan")
    session.execute(delete(plans).where(plans.c.id == plan_id))
    session.execute(
        update(plans).where(plans.c.position > dump.position).values(position=plans.c.position - 1)
    )
    return dump


def restore_plan(session: Session, dump: PlanDump) -> None:
    plans = ops.table_of("plan")
    ops.lock_siblings(session, "plan", [None])
    session.execute(
        update(plans).where(plans.c.position >= dump.position).values(position=plans.c.position + 1)
    )
    for name, rows in dump.tables:
        session.execute(insert(ops.table_of(name)), rows)
    for name, column, row_id, value in dump.nulled:
        table = ops.table_of(name)
        session.execute(update(table).where(table.c.id == row_id).values({column: value}))


@dataclass(frozen=True)
class PlanAdded:
    """A whole plan was added (a roll-forward); undo deletes it, redo restores it, same ids."""

    plan_id: int
    label: str

    def revert(self, session: Session) -> ops.Change:
        return PlanDeleted(delete_plan(session, self.plan_id), self.label)

    def describe(self) -> str:
        return self.label


@dataclass(frozen=True)
class PlanDeleted:
    dump: PlanDump
    label: str

    def revert(self, session: Session) -> ops.Change:
        restore_plan(session, self.dump)
        return PlanAdded(self.dump.plan_id, self.label)

    def describe(self) -> str:
        return self.label
