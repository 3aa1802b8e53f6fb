"""A plain, Qt-free tree of the workspace's plans for display, loaded with a few Core queries.

Each Node carries just what the tree view shows plus a lower-case ``haystack`` for the filter;
the GUI's item model is a thin adapter over these nodes. Loading the whole workspace is one
query per table (no ORM object graph), which keeps a 10,000-action plan well under a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.model import (
    Action,
    ActionLead,
    Agency,
    Milestone,
    Objective,
    Officer,
    Plan,
    Priority,
    Update,
)


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
    update: str = ""
    overdue: bool = False
    haystack: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)

    def visible_children(self) -> list[Node]:
        return self.children if self.shown is None else self.shown

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def lead_text(agency: str | None, officer: str | None, initials: str | None) -> str:
    """How a lead reads in the plan: "Essex Police – Emma Clark (EC)"."""
    person = ""
    if officer:
        person = f"{officer} ({initials})" if initials else officer
    if agency and person:
        return f"{agency} – {person}"
    return agency or person


def _haystack(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p).casefold()


class TreeLoader:
    """Builds Nodes from the workspace; ``today`` decides which milestones are overdue."""

    def __init__(self, session: Session, today: object | None = None) -> None:
        import datetime as dt

        self.session = session
        self.deep = True
        self.today = today if isinstance(today, dt.date) else dt.date.today()

    def load(self) -> Node:
        root = Node("root", 0)
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
    # its children in one query for all of them.

    def _plans(self, _parents: Iterable[int] | None, only: int | None = None) -> list[Node]:
        query = select(Plan.id, Plan.year, Plan.title).order_by(Plan.position, Plan.year)
        if only is not None:
            query = query.where(Plan.id == only)
        nodes = [
            Node(
                "plan",
                pid,
                title=title if year in (title or "") else f"{year} {title}".strip(),
                haystack=_haystack(year, title),
            )
            for pid, year, title in self.session.execute(query)
        ]
        if self.deep:
            self._attach(nodes, self._priorities([n.id for n in nodes]))
        return nodes

    def _priorities(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        query = select(
            Priority.id,
            Priority.plan_id,
            Priority.title,
            Priority.sub_themes,
            Priority.baseline,
            Priority.target,
            Priority.lead_agencies,
            Priority.resources,
            Priority.key_risks,
            Priority.mitigations,
            Priority.indicators,
        )
        query = self._restrict(query, Priority, Priority.plan_id, parents, only)
        nodes = []
        for row in self.session.execute(query.order_by(Priority.plan_id, Priority.position)):
            node = Node(
                "priority",
                row.id,
                title=row.title,
                leads=row.lead_agencies,
                haystack=_haystack(*row[2:]),
            )
            node.parent = Node("plan", row.plan_id)  # placeholder until attached
            nodes.append(node)
        if self.deep:
            self._attach(nodes, self._objectives([n.id for n in nodes]))
        return nodes

    def _objectives(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        query = select(Objective.id, Objective.priority_id, Objective.title)
        query = self._restrict(query, Objective, Objective.priority_id, parents, only)
        nodes = []
        for oid, priority_id, title in self.session.execute(
            query.order_by(Objective.priority_id, Objective.position)
        ):
            node = Node("objective", oid, title=title, haystack=_haystack(title))
            node.parent = Node("priority", priority_id)
            nodes.append(node)
        if self.deep:
            self._attach(nodes, self._actions([n.id for n in nodes]))
        return nodes

    def _actions(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        query = select(
            Action.id,
            Action.objective_id,
            Action.title,
            Action.outcomes,
            Action.timescale,
            Action.rag,
            Action.lead_note,
        )
        query = self._restrict(query, Action, Action.objective_id, parents, only)
        rows = self.session.execute(query.order_by(Action.objective_id, Action.position)).all()
        ids = [r.id for r in rows]
        leads = self._leads(ids if only is not None or parents is not None else None)
        updates = self._latest_updates(ids if only is not None or parents is not None else None)
        nodes = []
        for row in rows:
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
                rag=row.rag,
                leads=text,
                update=update_text,
                lead_keys=frozenset(k for _, keys in lead_items for k in keys),
                haystack=_haystack(
                    row.title, row.outcomes, row.timescale, text, row.lead_note, update_text
                ),
            )
            node.parent = Node("objective", row.objective_id)
            nodes.append(node)
        if self.deep:
            self._attach(nodes, self._milestones([n.id for n in nodes]))
        return nodes

    def _milestones(self, parents: list[int] | None, only: int | None = None) -> list[Node]:
        query = select(
            Milestone.id,
            Milestone.action_id,
            Milestone.title,
            Milestone.outcomes,
            Milestone.due_date,
            Milestone.done_date,
            Milestone.rag,
        )
        query = self._restrict(query, Milestone, Milestone.action_id, parents, only)
        nodes = []
        for row in self.session.execute(query.order_by(Milestone.action_id, Milestone.position)):
            due = row.due_date.strftime("%d %b %Y") if row.due_date else ""
            overdue = bool(row.due_date and not row.done_date and row.due_date < self.today)
            node = Node(
                "milestone",
                row.id,
                title=row.title,
                timescale=due,
                rag=row.rag,
                overdue=overdue,
                update=f"Done {row.done_date:%d %b %Y}" if row.done_date else "",
                haystack=_haystack(row.title, row.outcomes, due),
            )
            node.parent = Node("action", row.action_id)
            nodes.append(node)
        return nodes

    # ---- helpers ----

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

    def _leads(self, action_ids: list[int] | None) -> dict[int, list[tuple[str, tuple]]]:
        query = (
            select(
                ActionLead.action_id,
                ActionLead.agency_id,
                ActionLead.officer_id,
                Agency.name,
                Officer.name,
                Officer.initials,
                Officer.agency_id,
            )
            .outerjoin(Agency, Agency.id == ActionLead.agency_id)
            .outerjoin(Officer, Officer.id == ActionLead.officer_id)
            .order_by(ActionLead.action_id, ActionLead.position)
        )
        if action_ids is not None and len(action_ids) < 500:
            query = query.where(ActionLead.action_id.in_(action_ids))
        result: dict[int, list[tuple[str, tuple]]] = defaultdict(list)
        for (
            action_id,
            agency_id,
            officer_id,
            agency,
            officer,
            initials,
            officer_agency,
        ) in self.session.execute(query):
            keys: list[tuple[str, int]] = []
            if agency_id is not None:
                keys.append(("agency", agency_id))
            if officer_id is not None:
                keys.append(("officer", officer_id))
                if officer_agency is not None and agency_id is None:
                    keys.append(("agency", officer_agency))
            result[action_id].append((lead_text(agency, officer, initials), tuple(keys)))
        return result

    def _latest_updates(self, action_ids: list[int] | None) -> dict[int, str]:
        query = select(Update.action_id, Update.quarter, Update.text).order_by(Update.quarter)
        if action_ids is not None and len(action_ids) < 500:
            query = query.where(Update.action_id.in_(action_ids))
        latest: dict[int, str] = {}
        for action_id, quarter, text in self.session.execute(query):
            if text:
                latest[action_id] = f"Q{quarter}: {text}"
        return latest


def load_tree(session: Session, today: object | None = None) -> Node:
    return TreeLoader(session, today).load()


def apply_filter(
    root: Node,
    text: str = "",
    lead: tuple[str, int] | None = None,
    rags: frozenset[str | None] | None = None,
) -> int:
    """Set every node's ``shown`` children for the filter; returns how many items match.

    An item matches when it meets every given condition (text anywhere in its fields, lead,
    RAG); its ancestors stay visible, and so do the milestones of a matching action and
    everything under an item whose own text matches.
    """
    needle = text.casefold().strip()
    if not needle and lead is None and rags is None:
        for node in root.walk():
            node.shown = None
        return 0
    matches = 0

    def own_match(node: Node) -> bool:
        if needle and needle not in node.haystack:
            return False
        if lead is not None and (node.kind != "action" or lead not in node.lead_keys):
            return False
        return not (
            rags is not None and (node.kind not in ("action", "milestone") or node.rag not in rags)
        )

    def visit(node: Node, ancestor_matched: bool) -> bool:
        nonlocal matches
        matched = node.kind != "root" and own_match(node)
        matches += matched
        keep_all = ancestor_matched or (matched and (bool(needle) or node.kind == "action"))
        shown = [child for child in node.children if visit(child, keep_all)]
        node.shown = shown
        return matched or bool(shown) or ancestor_matched

    visit(root, False)
    return matches
