"""What deleting items of the plan tree takes with them, counted, so the window can ask first
and then say what went ("Delete the objective 'Reduce ASB' with 3 actions, 9 milestones and
5 quarterly updates?")."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import (
    PARENT_COLUMN,
    TREE_LEVELS,
    Base,
    Contribution,
    Indicator,
    Update,
)
from cspdesk.core.plan.words import count, listed

# What an item can hold, in the order it is named: (key, singular, plural).
HELD_WORDS: tuple[tuple[str, str, str], ...] = (
    ("priority", "priority", "priorities"),
    ("objective", "objective", "objectives"),
    ("action", "action", "actions"),
    ("milestone", "milestone", "milestones"),
    ("update", "quarterly update", "quarterly updates"),
    ("contribution", "lead's contribution", "leads' contributions"),
    ("indicator", "performance indicator", "performance indicators"),
)
TITLE_WIDTH = 70  # a long action title is cut in the question, not the whole paragraph


@dataclass(frozen=True)
class DeleteScope:
    """The items picked to delete and everything that goes with them."""

    picked: tuple[tuple[str, str], ...]  # (kind, title) of each item picked, in tree order
    held: dict[str, int]  # HELD_WORDS key -> how many go with them (only those above 0)

    @property
    def holds_anything(self) -> bool:
        """True when the delete takes more than the rows the user pointed at."""
        return bool(self.held)

    def _what(self) -> str:
        if len(self.picked) == 1:
            kind, title = self.picked[0]
            short = textwrap.shorten(title, TITLE_WIDTH, placeholder="…") if title else ""
            return f"the {kind} {short!r}" if short else f"the {kind} without a title"
        kinds = [kind for kind, _ in self.picked]
        words = dict((key, (one, many)) for key, one, many in HELD_WORDS)
        return listed(
            [count(kinds.count(kind), *words[kind]) for kind in TREE_LEVELS if kind in kinds]
        )

    def _with(self) -> str:
        if not self.held:
            return ""
        parts = [
            count(self.held[key], one, many) for key, one, many in HELD_WORDS if key in self.held
        ]
        return " with " + listed(parts)

    def question(self) -> str:
        """ "Delete the objective 'Reduce ASB' with 3 actions and 9 milestones?" """
        return f"Delete {self._what()}{self._with()}?"

    def done(self) -> str:
        """ "Deleted the objective 'Reduce ASB' with 3 actions and 9 milestones." """
        return f"Deleted {self._what()}{self._with()}."


def _ids_at_levels(keys: Sequence[tuple[str, int]]) -> dict[str, Select[tuple[int]]]:
    """Each tree level's ids that go: those picked at that level and the children of the
    level above's, as subqueries (a whole plan can hold tens of thousands)."""
    chosen: dict[str, Select[tuple[int]]] = {}
    above: Select[tuple[int]] | None = None
    for level in TREE_LEVELS:
        table = Base.metadata.tables[level]
        picked = [item_id for kind, item_id in keys if kind == level]
        conditions = [table.c.id.in_(picked)] if picked else []
        parent_column = PARENT_COLUMN[level]
        if above is not None and parent_column is not None:
            conditions.append(table.c[parent_column].in_(above))
        where = or_(*conditions) if conditions else false()
        above = chosen[level] = select(table.c.id).where(where)
    return chosen


def delete_scope(session: Session, keys: Sequence[tuple[str, int]]) -> DeleteScope:
    """What deleting the items ``keys`` ((kind, id) of tree items) takes with them, read in
    one query: the items under them, their quarterly updates, leads' contributions (partners'
    words from merged returns among them) and performance indicators."""
    levels = _ids_at_levels(keys)
    picked_ids = {kind: {i for k, i in keys if k == kind} for kind in TREE_LEVELS}
    counted = {}
    for level in TREE_LEVELS[1:]:
        table = Base.metadata.tables[level]
        query = select(func.count()).where(table.c.id.in_(levels[level]))
        if picked_ids[level]:
            query = query.where(table.c.id.not_in(picked_ids[level]))
        counted[level] = query.scalar_subquery()
    actions = levels["action"]
    counted["update"] = (
        select(func.count()).where(Update.__table__.c.action_id.in_(actions)).scalar_subquery()
    )
    counted["contribution"] = (
        select(func.count())
        .where(Contribution.__table__.c.action_id.in_(actions))
        .scalar_subquery()
    )
    indicator = Indicator.__table__
    counted["indicator"] = (
        select(func.count())
        .where(
            or_(
                indicator.c.plan_id.in_(levels["plan"]),
                indicator.c.priority_id.in_(levels["priority"]),
                indicator.c.action_id.in_(actions),
            )
        )
        .scalar_subquery()
    )
    names = list(counted)
    row = session.execute(select(*counted.values())).one()
    held = {name: number for name, number in zip(names, row, strict=True) if number}
    return DeleteScope(tuple(_titles(session, keys)), held)


def _titles(session: Session, keys: Sequence[tuple[str, int]]) -> list[tuple[str, str]]:
    if len(keys) != 1:  # several are named by kind only
        return [(kind, "") for kind, _ in keys]
    kind, item_id = keys[0]
    table = Base.metadata.tables[kind]
    # None when a colleague deleted it meanwhile: nothing to count, the delete then says so.
    title = session.execute(select(table.c.title).where(table.c.id == item_id)).scalar()
    return [(kind, title or "")]
