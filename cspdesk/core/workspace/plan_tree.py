"""One plan's tree as plain data, in export_workspace's plan-dict shape, from Core queries.

serialize.export_workspace loads ORM objects for every plan in the workspace; closing a quarter
of a 10,000-action plan needs the one plan fast, so this reads plain rows filtered by plan and
builds the same dict (tests/core/test_plantree.py checks the two agree).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, Date, DateTime, String, func, select, type_coerce
from sqlalchemy.orm import Session

from cspdesk.core.leads.printed import lead_text
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    Contribution,
    Milestone,
    Objective,
    Officer,
    Plan,
    Priority,
    Update,
    lead_key_of,
)
from cspdesk.core.workspace.fields import (
    ACTION_FIELDS,
    CONTRIBUTION_FIELDS,
    MILESTONE_FIELDS,
    PLAN_FIELDS,
    PRIORITY_FIELDS,
    UPDATE_FIELDS,
)

PlanTree = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _row_dict(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    mapping = row._mapping
    return {name: _plain(mapping[name]) for name in fields}


def _columns(model: type, fields: tuple[str, ...], dialect: str = "sqlite") -> list[Any]:
    """The columns, dates read as ISO text: on SQLite the text it stores (no parse and
    re-format); a server returns dates as dates, so it is asked for the text."""
    columns = []
    for name in fields:
        column = getattr(model, name)
        if isinstance(column.type, Date) and not isinstance(column.type, DateTime):
            if dialect == "sqlite":
                column = type_coerce(column, String).label(name)
            else:
                column = func.to_char(column, "YYYY-MM-DD").label(name)
        columns.append(column)
    return columns


def _dicts(rows: Any, skip: int, fields: tuple[str, ...]) -> Any:
    """(row, dict of ``fields``) for rows whose first ``skip`` columns are not in the dict."""
    for row in rows:
        yield row, dict(zip(fields, row[skip:], strict=True))


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building a large tree of fresh dicts.

    Building (or parsing) 60,000 small containers triggers many full collections that find
    nothing to free; pausing them halves the time. Nothing built here has cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_plan_tree(session: Session, plan_id: int, max_quarter: int | None = None) -> PlanTree:
    """The plan as export_workspace gives it; updates limited to quarters <= ``max_quarter``."""
    with paused_gc():
        return _build(session.connection(), plan_id, max_quarter)


def _build(session: Connection, plan_id: int, max_quarter: int | None) -> PlanTree:
    dialect = session.dialect.name
    plan = session.execute(
        select(Plan.id, *_columns(Plan, PLAN_FIELDS, dialect)).where(Plan.id == plan_id)
    ).one_or_none()
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    agency_name = dict(session.execute(select(Agency.id, Agency.name)).all())
    officers = {
        o.id: o for o in session.execute(select(Officer.id, Officer.name, Officer.initials))
    }

    in_plan = Priority.plan_id == plan_id
    priorities = session.execute(
        select(Priority.id, *_columns(Priority, PRIORITY_FIELDS, dialect))
        .where(in_plan)
        .order_by(Priority.position)
    ).all()
    objectives = session.execute(
        select(Objective.id, Objective.priority_id, Objective.title)
        .join(Priority, Objective.priority_id == Priority.id)
        .where(in_plan)
        .order_by(Objective.position)
    ).all()
    actions = session.execute(
        select(
            Action.id,
            Action.objective_id,
            Action.carried_from_id,
            *_columns(Action, ACTION_FIELDS, dialect),
        )
        .join(Objective, Action.objective_id == Objective.id)
        .join(Priority, Objective.priority_id == Priority.id)
        .where(in_plan)
        .order_by(Action.position)
    ).all()

    def under_actions(query: Any) -> Any:
        return (
            query.join(Action, Action.id == query.selected_columns.action_id)
            .join(Objective, Action.objective_id == Objective.id)
            .join(Priority, Objective.priority_id == Priority.id)
            .where(in_plan)
        )

    milestones: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = session.execute(
        under_actions(
            select(
                Milestone.action_id, Milestone.id, *_columns(Milestone, MILESTONE_FIELDS, dialect)
            )
        ).order_by(Milestone.position)
    ).all()
    for row, values in _dicts(rows, 1, ("id", *MILESTONE_FIELDS)):
        milestones[row[0]].append(values)
    leads: dict[int, list[dict[str, Any]]] = defaultdict(list)
    lead_order: dict[int, dict[str, int]] = defaultdict(dict)
    for row in session.execute(
        under_actions(
            select(
                ActionLead.action_id,
                ActionLead.agency_id,
                ActionLead.officer_id,
                Officer.agency_id.label("via"),
            ).outerjoin(Officer, ActionLead.officer_id == Officer.id)
        ).order_by(ActionLead.position)
    ).all():
        officer = officers.get(row.officer_id)
        agency_text = agency_name.get(row.agency_id)
        leads[row.action_id].append(
            {
                "agency": agency_text,
                "officer": officer.name if officer else None,
                # The lead as the plan prints it: "Essex Police – Emma Clark (EC)".
                "text": lead_text(agency_text, officer.name if officer else None,
                                  officer.initials if officer else None),
            }
        )  # fmt: skip
        agency = row.agency_id if row.agency_id is not None else row.via
        key = lead_key_of(agency, row.officer_id)
        order = lead_order[row.action_id]
        order.setdefault(key, len(order))
    update_query = under_actions(
        select(Update.action_id, *_columns(Update, UPDATE_FIELDS, dialect))
    )
    if max_quarter is not None:
        update_query = update_query.where(Update.quarter <= max_quarter)
    updates: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row, values in _dicts(
        session.execute(update_query.order_by(Update.quarter)).all(), 1, UPDATE_FIELDS
    ):
        values["updated_at"] = _plain(values["updated_at"])
        updates[row[0]].append(values)

    contribution_query = under_actions(
        select(
            Contribution.action_id,
            Contribution.lead_name,
            *_columns(Contribution, CONTRIBUTION_FIELDS, dialect),
        )
    )
    if max_quarter is not None:
        contribution_query = contribution_query.where(Contribution.quarter <= max_quarter)
    contributions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row, values in _dicts(session.execute(contribution_query).all(), 2, CONTRIBUTION_FIELDS):
        values["updated_at"] = _plain(values["updated_at"])
        contributions[row[0]].append({"lead": row[1], **values})
    for action_id, items in contributions.items():
        order = lead_order.get(action_id, {})
        items.sort(
            key=lambda c: (c["quarter"], order.get(c["lead_key"], len(order)), c["lead"].casefold())
        )

    actions_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row, values in _dicts(actions, 3, ACTION_FIELDS):
        action_id = row[0]
        actions_of[row[1]].append(
            {
                "id": action_id,
                **values,
                "carried_from_id": row[2],
                "leads": leads.get(action_id, []),
                "milestones": milestones.get(action_id, []),
                "updates": updates.get(action_id, []),
                "contributions": contributions.get(action_id, []),
            }
        )
    objectives_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in objectives:
        objectives_of[row.priority_id].append(
            {"id": row.id, "title": row.title, "actions": actions_of.get(row.id, [])}
        )
    return {
        "id": plan.id,
        **_row_dict(plan, PLAN_FIELDS),
        "priorities": [
            {
                "id": row.id,
                **_row_dict(row, PRIORITY_FIELDS),
                "objectives": objectives_of.get(row.id, []),
            }
            for row in priorities
        ],
    }


def iter_actions(tree: PlanTree) -> Any:
    """(priority, objective, action) dicts of a plan tree, in tree order."""
    for priority in tree["priorities"]:
        for objective in priority["objectives"]:
            for action in objective["actions"]:
                yield priority, objective, action


def short(title: str | None, limit: int = 60) -> str:
    text = " ".join((title or "").split()) or "(untitled)"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def readable_path(*titles: str | None) -> str:
    """ "Priority › Objective › Action" from the titles of an item and its ancestors."""
    return " › ".join(short(t) for t in titles)
