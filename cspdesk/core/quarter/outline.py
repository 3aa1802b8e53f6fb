"""A plain, Qt-free tree of the workspace's plans for display, loaded with a few Core queries.

Each Node carries just what the tree view shows plus a lower-case ``haystack`` for the filter;
the GUI's item model is a thin adapter over these nodes. Loading the whole workspace is one
query per table (no ORM object graph), which keeps a 10,000-action plan well under a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from typing import cast as typed_as

from sqlalchemy import String, cast, literal, select
from sqlalchemy.orm import Session

from cspdesk.core.leads.printed import lead_text
from cspdesk.core.plan.joins import plan_of
from cspdesk.core.plan.model import (
    ENTITY_CLASSES,
    PARENT_COLUMN,
    Action,
    Milestone,
    Objective,
    Plan,
    Priority,
)
from cspdesk.core.quarter.overdue import as_at
from cspdesk.core.quarter.rule import (
    PLANNED,
    ActionQuarter,
    ActionRows,
    QuarterRag,
    latest_printed,
    load_quarters,
    read_action_rows,
)
from cspdesk.core.rag.classes import RagClasses, rag_classes


@dataclass(slots=True, eq=False)
class Node:
    kind: str  # "root", "plan", "priority", "objective", "action", "milestone"
    id: int
    title: str = ""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    shown: list[Node] | None = None  # the children the filter lets through; None = all
    leads: str = ""
    lead_keys: frozenset[tuple[str, int]] = frozenset()  # ("agency", id) / ("officer", id)
    timescale: str = ""
    rag: str | None = None
    # How the quarter's RAG stands when it is not simply agreed: " (Q1)" carried from Q1,
    # " (partners disagree)"; and the sentence behind it (core.quarter.rule.QuarterRag.note).
    rag_mark: str = ""
    rag_note: str = ""
    update: str = ""
    overdue: bool = False
    direction: str = ""  # "▲ improved" against the last closed quarter (filled in later)
    haystack: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    def visible_children(self) -> list[Node]:
        return self.children if self.shown is None else self.shown

    def walk(self) -> Iterator[Node]:
        """This node and everything under it, parents before children."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


class _Parent:
    """A light stand-in for a node's parent until the loader attaches it."""

    __slots__ = ("id", "kind")

    def __init__(self, kind: str, parent_id: int) -> None:
        self.kind = kind
        self.id = parent_id


def _parent_until_attached(kind: str, parent_id: int) -> Node:
    """A ``_Parent`` where a node's parent goes: only its kind and id are read before
    ``_attach`` puts the real node there."""
    return typed_as(Node, _Parent(kind, parent_id))


@functools.lru_cache(maxsize=4096)
def nice_date(iso: str | None) -> str:
    """'2016-10-31' -> '31 Oct 2016' (dates repeat across a plan, so this is cached)."""
    if not iso:
        return ""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while a tree is built or sifted: the build makes
    hundreds of thousands of objects that all live on, and each automatic pass over them
    meanwhile found nothing to free yet cost about a third of the load."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _haystack(*parts: str | None) -> str:
    return "\n".join(filter(None, parts)).casefold()


class TreeLoader:
    """Builds Nodes from the workspace; milestones are overdue as at each plan's as-at date
    (core.quarter.overdue.as_at of its current quarter, with ``today`` as the clock)."""

    def __init__(
        self, session: Session, today: object | None = None, classes: RagClasses | None = None
    ) -> None:
        self.session = session
        self.deep = True
        self.today = today if isinstance(today, dt.date) else dt.date.today()
        self._classes = classes
        self._as_at: dict[int, dt.date] | None = None
        # What a load from the top has read on its way down, so that the levels below read
        # no table twice: each plan's current quarter, each priority's plan, each objective's
        # priority.
        self._quarter_of_plan: dict[int, int] = {}
        self._plan_of_priority: dict[int, int] = {}
        self._priority_of_objective: dict[int, int] = {}

    @property
    def classes(self) -> RagClasses:
        if self._classes is None:
            self._classes = rag_classes(self.session)
        return self._classes

    @property
    def as_at_by_plan(self) -> dict[int, dt.date]:
        """{plan id: the date its overdue milestones are judged on}."""
        if self._as_at is None:
            p = Plan.__table__.c
            query = select(p.id, p.year, p.current_quarter)
            self._as_at = {
                plan_id: as_at(year, quarter, self.today)
                for plan_id, year, quarter in self.session.execute(query)
            }
        return self._as_at

    def load(self) -> Node:
        root = Node("root", 0)
        with collector_paused():
            for node in self._plans(None):
                node.parent = root
                root.children.append(node)
        return root

    def load_item(self, kind: str, item_id: int, deep: bool = True) -> Node:
        """One item, and everything under it when ``deep``."""
        self.deep = deep
        loaders = {
            "plan": self._plans,
            "priority": self._priorities,
            "objective": self._objectives,
            "action": self._actions,
            "milestone": self._milestones,
        }
        nodes = loaders[kind](None, only=item_id)
        if not nodes:
            raise LookupError(f"{kind} {item_id} not found")
        return nodes[0]

    # Each level loads its rows (all, or one id, or the children of some parent ids) and then
    # its children in one query for all of them. Table columns, not the mapped classes' own:
    # the window's first plan is read before anything needs SQLAlchemy's mappers set up.

    def _plans(self, _parents: Iterable[int] | None, only: int | None = None) -> list[Node]:
        p = Plan.__table__.c
        query = select(p.id, p.year, p.title, p.current_quarter).order_by(p.position, p.year)
        if only is not None:
            query = query.where(p.id == only)
        rows = self.session.execute(query).all()
        self._quarter_of_plan = {pid: quarter for pid, _, _, quarter in rows}
        if only is None and self._as_at is None:  # every plan: their as-at dates too
            self._as_at = {pid: as_at(year, quarter, self.today) for pid, year, _, quarter in rows}
        nodes = [
            Node(
                "plan",
                pid,
                title=title if year in (title or "") else f"{year} {title}".strip(),
                haystack=_haystack(year, title),
            )
            for pid, year, title, _ in rows
        ]
        if self.deep:
            self._attach(nodes, self._priorities([n.id for n in nodes]))
        return nodes

    def _priorities(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        p = Priority.__table__.c
        query = select(
            p.id,
            p.plan_id,
            p.title,
            p.sub_themes,
            p.baseline,
            p.target,
            p.lead_agencies,
            p.resources,
            p.key_risks,
            p.mitigations,
            p.indicators,
        )
        query = self._restrict(query, p, p.plan_id, parents, only)
        nodes = []
        for row in self.session.execute(query.order_by(p.plan_id, p.position)):
            node = Node(
                "priority",
                row.id,
                title=row.title,
                leads=row.lead_agencies,
                haystack=_haystack(*row[2:]),
            )
            node.parent = _parent_until_attached("plan", row.plan_id)
            nodes.append(node)
            self._plan_of_priority[row.id] = row.plan_id
        if self.deep:
            self._attach(nodes, self._objectives([n.id for n in nodes]))
        return nodes

    def _objectives(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        o = Objective.__table__.c
        query = select(o.id, o.priority_id, o.title)
        query = self._restrict(query, o, o.priority_id, parents, only)
        nodes = []
        for oid, priority_id, title in self.session.execute(
            query.order_by(o.priority_id, o.position)
        ):
            node = Node("objective", oid, title=title, haystack=_haystack(title))
            node.parent = _parent_until_attached("priority", priority_id)
            nodes.append(node)
            self._priority_of_objective[oid] = priority_id
        if self.deep:
            self._attach(nodes, self._actions([n.id for n in nodes]))
        return nodes

    def _actions(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        a = Action.__table__.c  # Core columns: no ORM row processing for 10,000 rows
        query = select(a.id, a.objective_id, a.title, a.outcomes, a.timescale, a.rag, a.lead_note)
        query = self._restrict(query, a, a.objective_id, parents, only)
        rows = self.session.execute(query.order_by(a.objective_id, a.position)).all()
        ids = [r.id for r in rows]
        # Updates, contributions and leads read once, for the printed update, the quarter's
        # RAG and the leads column alike.
        read = read_action_rows(self.session, ids, planned={r.id: r.rag for r in rows})
        leads = self._leads(read.leads)
        updates = {
            action_id: f"Q{quarter}: {text}"
            for action_id, (quarter, text) in latest_printed(self.session, ids, read).items()
        }
        quarters = self._quarters(rows, read)
        nodes = []
        for row in rows:
            quarter = quarters.get(row.id)
            rag = quarter.rag if quarter is not None else None
            lead_items = leads.get(row.id, [])
            text = "; ".join(t for t, _ in lead_items)
            if not text:
                text = row.lead_note
            update_text = updates.get(row.id, "")
            node = Node(
                "action",
                row.id,
                title=row.title,
                timescale=row.timescale,
                rag=rag.code if rag is not None else row.rag,
                rag_mark=self._mark(rag),
                rag_note=rag.note(self.classes) if rag is not None else "",
                leads=text,
                update=update_text,
                lead_keys=frozenset(k for _, keys in lead_items for k in keys),
                haystack=_haystack(
                    row.title, row.outcomes, row.timescale, text, row.lead_note, update_text
                ),
            )
            node.parent = _parent_until_attached("objective", row.objective_id)
            nodes.append(node)
        if self.deep:
            self._attach(nodes, self._milestones([n.id for n in nodes]))
        return nodes

    def _milestones(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        m = Milestone.__table__.c
        # Dates as ISO text: converting 40,000 rows to date objects and back costs more than
        # the whole rest of the load; ISO strings compare in date order.
        query = select(
            m.id,
            m.action_id,
            m.title,
            m.outcomes,
            cast(m.due_date, String),
            cast(m.done_date, String),
            m.rag,
        )
        as_at_by_plan = {p: day.isoformat() for p, day in self.as_at_by_plan.items()}
        dates = set(as_at_by_plan.values())
        # One date for every plan (the usual case): no need to find each milestone's plan.
        today = dates.pop() if len(dates) == 1 else self.today.isoformat()
        if dates:
            a, o, p = Action.__table__, Objective.__table__, Priority.__table__
            query = query.add_columns(p.c.plan_id)
            query = query.join(a, a.c.id == m.action_id)
            query = query.join(o, o.c.id == a.c.objective_id)
            query = query.join(p, p.c.id == o.c.priority_id)
        else:
            query = query.add_columns(literal(None))
        query = self._restrict(query, m, m.action_id, parents, only)
        nodes = []
        for mid, action_id, title, outcomes, due, done, rag, plan_id in self.session.execute(
            query.order_by(m.action_id, m.position)
        ).all():
            nice_due = nice_date(due)
            node = Node(
                "milestone",
                mid,
                title=title,
                timescale=nice_due,
                rag=rag,
                overdue=bool(due and not done and due[:10] < as_at_by_plan.get(plan_id, today)),
                update=f"Done {nice_date(done)}" if done else "",
                haystack=_haystack(title, outcomes, nice_due),
            )
            node.parent = _parent_until_attached("action", action_id)
            nodes.append(node)
        return nodes

    # ---- helpers ----

    def _quarters(self, rows: Sequence[Any], read: ActionRows) -> dict[int, ActionQuarter]:
        """Each action in its plan's current quarter (core.quarter.rule)."""
        quarter_of = self._quarter_of_actions(rows)
        return load_quarters(self.session, quarter_of, self.classes, read)

    def _quarter_of_actions(self, rows: Sequence[Any]) -> dict[int, int]:
        """{action id: its plan's current quarter}, from the levels above when they were
        loaded (a load from the top), else read."""
        objective, priority = self._priority_of_objective, self._plan_of_priority
        quarters = self._quarter_of_plan
        try:
            return {r.id: quarters[priority[objective[r.objective_id]]] for r in rows}
        except KeyError:  # one item loaded alone: its plan is read
            ids = [r.id for r in rows]
            query = plan_of(select(Action.id, Plan.current_quarter), with_plan=True)
            if len(ids) < 500:
                query = query.where(Action.id.in_(ids))
            wanted = set(ids)
            return {a: q for a, q in self.session.execute(query) if a in wanted}

    @staticmethod
    def _mark(rag: QuarterRag | None) -> str:
        if rag is None or rag.code is None:
            return ""
        if rag.carried:
            return " (plan)" if rag.from_quarter == PLANNED else f" (Q{rag.from_quarter})"
        return " (partners disagree)" if rag.disagree else ""

    @staticmethod
    def _restrict(query, model, parent_column, parents, only):  # type: ignore[no-untyped-def]
        if only is not None:
            return query.where(model.id == only)
        if parents is not None:
            if not parents:
                return query.where(False)
            # A whole-workspace load (parents = every id) needs no IN list at all.
            return query.where(parent_column.in_(parents)) if len(parents) < 500 else query
        return query

    @staticmethod
    def _attach(parents: list[Node], children: list[Node]) -> None:
        by_id = {p.id: p for p in parents}
        for child in children:
            assert child.parent is not None
            parent = by_id.get(child.parent.id)
            if parent is None:
                continue  # a child of a parent outside this load (large unfiltered query)
            child.parent = parent
            parent.children.append(child)

    @staticmethod
    def _leads(lead_rows: Iterable[Any]) -> dict[int, list[tuple[str, tuple]]]:
        """Each action's leads as the tree shows them, from core.quarter.rule.read_leads."""
        result: dict[int, list[tuple[str, tuple]]] = defaultdict(list)
        for (
            action_id,
            agency_id,
            officer_id,
            agency,
            officer,
            initials,
            officer_agency,
            _,
        ) in lead_rows:
            keys: list[tuple[str, int]] = []
            if agency_id is not None:
                keys.append(("agency", agency_id))
            if officer_id is not None:
                keys.append(("officer", officer_id))
                if officer_agency is not None and agency_id is None:
                    keys.append(("agency", officer_agency))
            result[action_id].append((lead_text(agency, officer, initials), tuple(keys)))
        return result


@dataclass(frozen=True)
class Place:
    """Where an item sits in the plan tree: its parent and its siblings in order (itself too)."""

    parent_id: int | None
    siblings: tuple[int, ...]


def item_place(session: Session, kind: str, item_id: int) -> Place | None:
    """Where ``kind`` ``item_id`` sits now; None when it is gone."""
    table = ENTITY_CLASSES[kind].__table__
    parent_column = PARENT_COLUMN[kind]
    if parent_column is None:
        order = (table.c.position, table.c.year)
        row = session.execute(select(literal(None)).where(table.c.id == item_id)).first()
        siblings = select(table.c.id).order_by(*order)
    else:
        row = session.execute(select(table.c[parent_column]).where(table.c.id == item_id)).first()
        siblings = (
            select(table.c.id)
            .where(table.c[parent_column] == (row[0] if row else None))
            .order_by(table.c.position)
        )
    if row is None:
        return None
    return Place(row[0], tuple(session.execute(siblings).scalars()))


def load_tree(session: Session, today: object | None = None) -> Node:
    return TreeLoader(session, today).load()


def apply_filter(
    root: Node,
    text: str = "",
    lead: tuple[str, int] | None = None,
    rags: frozenset[str | None] | None = None,
    matched: list[Node] | None = None,
    *,
    narrowing: bool = False,
) -> int:
    """Set every node's ``shown`` children for the filter; returns how many items match (and
    puts them in ``matched`` when given).

    An item matches when it meets every given condition (text anywhere in its fields, lead,
    RAG); its ancestors stay visible, and so do the milestones of a matching action and
    everything under an item whose own text matches.

    ``narrowing``: the tree shows no filter, or a text filter's result for text that this
    ``text`` contains, and has not changed since (``narrows`` says when). Then only what
    shows is sifted: what the shorter text hid, the longer one hides too.
    """
    needle = text.casefold().strip()
    if not needle and lead is None and rags is None:
        _show_all(root)
        return 0
    found: list[Node] = matched if matched is not None else []
    before = len(found)
    with collector_paused():
        if lead is None and rags is None:
            among = root.visible_children() if narrowing else root.children
            root.shown = [child for child in among if _sift_text(child, needle, found, narrowing)]
        else:
            _sift(root, needle, lead, rags, found)
    return len(found) - before


def narrows(shown_text: str, text: str) -> bool:
    """Whether filtering for ``text`` can start from what a text filter for ``shown_text``
    shows (``shown_text`` empty: no filter, everything shows)."""
    return shown_text.casefold().strip() in text.casefold().strip()


def _show_all(node: Node) -> None:
    node.shown = None
    for child in node.children:
        if child.children:
            _show_all(child)
        else:
            child.shown = None


# Each node is looked at once, in the tree's order (the order ``matched`` lists them in). The
# filter runs on every keystroke over some 50,000 nodes, four in five of them milestones with
# nothing under them: an objective's actions and their milestones are sifted in one loop.
# Narrowing, only the children shown are looked at (a node's ``shown`` is kept whole while an
# item above it matched, so an item that matches has all of its own children shown).


def _sift_text(node: Node, needle: str, found: list[Node], narrowing: bool) -> bool:
    """Whether ``node`` shows for text alone, no ancestor of it having matched."""
    if needle in node.haystack:
        found.append(node)
        node.shown = None
        _keep_text(node, needle, found)
        return True
    children = node.children
    among = node.shown if narrowing and node.shown is not None else children
    if node.kind == "objective":
        shown = _sift_actions(among, needle, found, narrowing)
    else:
        shown = [child for child in among if _sift_text(child, needle, found, narrowing)]
    node.shown = None if len(shown) == len(children) else shown
    return bool(shown)


def _sift_actions(
    actions: list[Node], needle: str, found: list[Node], narrowing: bool
) -> list[Node]:
    """The actions of an objective that show (_sift_text of each, in one loop: their
    milestones have nothing under them)."""
    shown: list[Node] = []
    for action in actions:
        milestones = action.children
        if needle in action.haystack:
            found.append(action)
            action.shown = None
            for milestone in milestones:
                milestone.shown = None
            found.extend([milestone for milestone in milestones if needle in milestone.haystack])
            shown.append(action)
            continue
        among = action.shown if narrowing and action.shown is not None else milestones
        hits = [milestone for milestone in among if needle in milestone.haystack]
        if hits:
            found.extend(hits)
            action.shown = None if len(hits) == len(milestones) else hits
            shown.append(action)
        else:
            action.shown = hits if milestones else None
    return shown


def _keep_text(node: Node, needle: str, found: list[Node]) -> None:
    """Under an item whose text matched all shows; the items that match are listed."""
    for below in node.children:
        below.shown = None
        if needle in below.haystack:
            found.append(below)
        if below.children:
            _keep_text(below, needle, found)


def _sift(
    root: Node,
    needle: str,
    lead: tuple[str, int] | None,
    rags: frozenset[str | None] | None,
    found: list[Node],
) -> None:
    """apply_filter with a lead or RAGs (and perhaps text)."""

    def own_match(node: Node) -> bool:
        if needle and needle not in node.haystack:
            return False
        if lead is not None and (node.kind != "action" or lead not in node.lead_keys):
            return False
        return not (
            rags is not None and (node.kind not in ("action", "milestone") or node.rag not in rags)
        )

    def keep_below(node: Node) -> None:
        """An item whose text matched (or a matching action): all under it shows."""
        for below in node.children:
            below.shown = None
            if own_match(below):
                found.append(below)
            if below.children:
                keep_below(below)

    def visit(node: Node) -> bool:
        """Whether ``node`` shows, no ancestor of it having matched."""
        matches = own_match(node)
        if matches:
            found.append(node)
            if needle or node.kind == "action":
                node.shown = None
                keep_below(node)
                return True
        children = node.children
        shown = [child for child in children if visit(child)]
        node.shown = None if len(shown) == len(children) else shown
        return matches or bool(shown)

    root.shown = [child for child in root.children if visit(child)]
