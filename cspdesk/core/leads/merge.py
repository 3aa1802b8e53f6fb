"""Merging two agencies (or two officers) into one: everything that names the one going moves
to the one kept, in one change that undo puts back exactly.

``REFERENCES`` lists every (table, column) that holds an agency's or an officer's id; a new
table that refers to them is added there and merges move its rows too. A contribution is also
keyed by its lead ("agency:12"): the key moves with it, and when both leads had written for the
same action and quarter, the two become one (the words of both, the kept lead's RAG first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Base
from cspdesk.errors import CspdeskError

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "agency": (
        ("action_lead", "agency_id"),
        ("officer", "agency_id"),
        ("return_record", "agency_id"),
        ("return_new_work", "agency_id"),
        ("lead_alias", "agency_id"),
        ("contribution", "agency_id"),
    ),
    "officer": (
        ("action_lead", "officer_id"),
        ("lead_alias", "officer_id"),
        ("contribution", "officer_id"),
    ),
}
# Tables keyed by their lead as text ("agency:12"): (key column, the columns a key is unique in).
LEAD_KEYS = {"contribution": ("lead_key", ("action_id", "quarter"))}
# Fields of the one kept that the one going fills in when they are blank.
FILLED = {"agency": ("short_name", "email"), "officer": ("initials", "email", "agency_id")}
# Rows that would say the same thing twice once merged: one is removed.
_SAME = {"action_lead": ("action_id", "agency_id", "officer_id")}


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


@dataclass(frozen=True)
class Merged:
    entity: str
    keep_id: int
    gone: dict[str, Any]  # the row merged away, as it was
    moved: tuple[tuple[str, str, tuple[int, ...]], ...]  # (table, column, row ids)
    removed: tuple[tuple[str, dict[str, Any]], ...]  # duplicate rows dropped, as they were
    filled: dict[str, Any]  # field of the one kept -> its value before
    folded: tuple[tuple[str, dict[str, Any]], ...] = ()  # rows that took another's words: before

    def revert(self, session: Session) -> Unmerged:
        table = _table(self.entity)
        session.execute(insert(table).values(**self.gone))
        if self.filled:
            session.execute(update(table).where(table.c.id == self.keep_id).values(**self.filled))
        for name, values in self.folded:
            other = _table(name)
            session.execute(update(other).where(other.c.id == values["id"]).values(**values))
        for name, column, ids in self.moved:
            other = _table(name)
            value = self.gone["id"]
            if name in LEAD_KEYS and column == LEAD_KEYS[name][0]:
                value = f"{self.entity}:{value}"
            session.execute(update(other).where(other.c.id.in_(ids)).values({column: value}))
        for name, values in self.removed:
            session.execute(insert(_table(name)).values(**values))
        return Unmerged(self.entity, self.keep_id, self.gone["id"], self.describe())

    def describe(self) -> str:
        return f"Merge {self.entity} {self.gone.get('name', '')!r}"


@dataclass(frozen=True)
class Unmerged:
    entity: str
    keep_id: int
    gone_id: int
    label: str

    def revert(self, session: Session) -> Merged:
        return merge(session, self.entity, self.keep_id, self.gone_id)

    def describe(self) -> str:
        return self.label


def merge(session: Session, entity: str, keep_id: int, gone_id: int) -> Merged:
    """Move everything that refers to ``gone_id`` to ``keep_id``, then delete ``gone_id``."""
    if entity not in REFERENCES:
        raise ValueError(f"{entity!r} cannot be merged")
    if keep_id == gone_id:
        raise CspdeskError(f"choose two different {entity.replace('_', ' ')} rows to merge")
    table = _table(entity)
    rows = {
        row["id"]: dict(row)
        for row in session.execute(select(table).where(table.c.id.in_((keep_id, gone_id))))
        .mappings()
        .all()
    }
    if len(rows) != 2:
        raise CspdeskError(f"that {entity} no longer exists; nothing was merged")
    keep, gone = rows[keep_id], rows[gone_id]
    filled = {
        name: keep[name]
        for name in FILLED[entity]
        if not keep[name] and gone[name] and not (name == "agency_id" and gone[name] == keep_id)
    }
    if filled:
        session.execute(
            update(table).where(table.c.id == keep_id).values({n: gone[n] for n in filled})
        )
    moved: list[tuple[str, str, tuple[int, ...]]] = []
    removed: list[tuple[str, dict[str, Any]]] = []
    folded: list[tuple[str, dict[str, Any]]] = []
    for name, (key_column, within) in LEAD_KEYS.items():
        _move_lead_keys(session, entity, keep_id, gone_id, name, key_column, within,
                        moved, removed, folded)  # fmt: skip
    for name, column in REFERENCES[entity]:
        other = _table(name)
        ids = tuple(session.execute(select(other.c.id).where(other.c[column] == gone_id)).scalars())
        if ids:
            session.execute(update(other).where(other.c.id.in_(ids)).values({column: keep_id}))
            moved.append((name, column, ids))
    removed += _drop_repeats(session)
    session.execute(delete(table).where(table.c.id == gone_id))
    return Merged(entity, keep_id, gone, tuple(moved), tuple(removed), filled, tuple(folded))


def _move_lead_keys(
    session: Session,
    entity: str,
    keep_id: int,
    gone_id: int,
    name: str,
    key_column: str,
    within: tuple[str, ...],
    moved: list[tuple[str, str, tuple[int, ...]]],
    removed: list[tuple[str, dict[str, Any]]],
    folded: list[tuple[str, dict[str, Any]]],
) -> None:
    other = _table(name)
    old_key, new_key = f"{entity}:{gone_id}", f"{entity}:{keep_id}"
    rows = session.execute(select(other).where(other.c[key_column] == old_key)).mappings().all()
    ids = []
    for row in rows:
        same = [other.c[c] == row[c] for c in within]
        kept = (
            session.execute(select(other).where(*same, other.c[key_column] == new_key))
            .mappings()
            .first()
        )
        if kept is None:
            ids.append(row["id"])
            continue
        words = [t for t in (kept["text"], row["text"]) if t]
        folded.append((name, {"id": kept["id"], "text": kept["text"], "rag": kept["rag"]}))
        session.execute(
            update(other)
            .where(other.c.id == kept["id"])
            .values(text="\n".join(dict.fromkeys(words)), rag=kept["rag"] or row["rag"])
        )
        removed.append((name, dict(row)))
        session.execute(delete(other).where(other.c.id == row["id"]))
    if ids:
        session.execute(update(other).where(other.c.id.in_(ids)).values({key_column: new_key}))
        moved.append((name, key_column, tuple(ids)))


def _drop_repeats(session: Session) -> tuple[tuple[str, dict[str, Any]], ...]:
    """An action led by both agencies now has the same lead twice: keep the first."""
    removed = []
    for name, columns in _SAME.items():
        other = _table(name)
        keys = [other.c[c] for c in columns]
        repeated = select(*keys).group_by(*keys).having(func.count() > 1)
        for values in session.execute(repeated).all():
            where = [
                k.is_(None) if v is None else k == v for k, v in zip(keys, values, strict=True)
            ]
            rows = session.execute(select(other).where(*where).order_by(other.c.id)).mappings()
            for row in list(rows)[1:]:
                removed.append((name, dict(row)))
                session.execute(delete(other).where(other.c.id == row["id"]))
    return tuple(removed)


def same_name(session: Session, entity: str, item_id: int, name: str) -> int | None:
    """The id of another row of ``entity`` already called ``name`` (case aside), if any."""
    table = _table(entity)
    return session.execute(
        select(table.c.id).where(
            func.lower(table.c.name) == name.strip().lower(), table.c.id != item_id
        )
    ).scalar()
