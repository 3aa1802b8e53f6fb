"""The whole workspace as a JSON-ready dict that mirrors the plan tree, and back.

The same format feeds ``cspdesk export-json`` and loads the demo workspace. Leads are given by
name; ids of tree items are included on export and ignored on load (a load makes new rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cspdesk.core.figures.performance import figures_json
from cspdesk.core.figures.police_lines import police_json
from cspdesk.core.funding.summary import funding_json
from cspdesk.core.plan.model import (
    Action,
    ActionLead,
    Agency,
    Contribution,
    Milestone,
    Objective,
    Officer,
    Partnership,
    Plan,
    Priority,
    ReportTitle,
    Update,
    lead_key_of,
)
from cspdesk.core.plan.ops import lock_siblings
from cspdesk.core.plan.ordering import by_name
from cspdesk.core.rag.scheme import scheme_rows
from cspdesk.core.workspace.fields import (
    ACTION_FIELDS,
    CONTRIBUTION_FIELDS,
    DATE_FIELDS,
    MILESTONE_FIELDS,
    PLAN_FIELDS,
    PRIORITY_FIELDS,
    UPDATE_FIELDS,
)
from cspdesk.core.workspace.plan_tree import build_plan_tree
from cspdesk.core.workspace.records import (
    closed_quarters_json,
    history_json,
    lead_aliases_json,
    new_work_json,
    returns_json,
)

FORMAT = "cspdesk-workspace"
VERSION = 1
# A quarter's title block (core.quarter.title_block, which sits above this package).
TITLE_FIELDS = ("quarter", "appendix_label", "committee", "meeting_date", "version_line")


def title_blocks_json(session: Session, plan_id: int) -> list[dict[str, Any]]:
    """The title block each quarter's appendix was last printed with, by quarter."""
    rows = session.execute(
        select(*(getattr(ReportTitle, name) for name in TITLE_FIELDS))
        .where(ReportTitle.plan_id == plan_id)
        .order_by(ReportTitle.quarter)
    ).all()
    return [dict(zip(TITLE_FIELDS, row, strict=True)) for row in rows]


def _load_title_blocks(session: Session, plan_id: int, items: list[dict[str, Any]]) -> None:
    for item in items:
        values = {name: item.get(name, "") or "" for name in TITLE_FIELDS[1:]}
        session.execute(
            insert(ReportTitle).values(plan_id=plan_id, quarter=int(item["quarter"]), **values)
        )


def export_workspace(
    session: Session, year: str | None = None, *, history: bool = False
) -> dict[str, Any]:
    """Everything in the workspace (or one plan year) as plain data, loaded with Core queries;
    with ``history``, also who changed what and when (an undone edit stays in it)."""
    partnership = session.execute(select(Partnership)).scalar_one()
    agencies = session.execute(select(Agency).order_by(by_name(session, Agency.name))).scalars()
    officers = session.execute(select(Officer).order_by(by_name(session, Officer.name))).scalars()
    agencies, officers = agencies.all(), officers.all()

    plans_query = select(Plan.id).order_by(Plan.year)
    if year is not None:
        plans_query = plans_query.where(Plan.year == year)
    plan_ids = session.execute(plans_query).scalars().all()

    data = {
        "format": FORMAT,
        "version": VERSION,
        "partnership": {
            "name": partnership.name,
            "areas": partnership.areas,
            "uid": partnership.uid,
        },
        "rag_scheme": scheme_rows(session),
        "agencies": [
            {
                "name": a.name,
                "short_name": a.short_name,
                "email": a.email,
                "officers": [
                    {"name": o.name, "initials": o.initials, "email": o.email}
                    for o in officers
                    if o.agency_id == a.id
                ],
            }
            for a in agencies
        ],
        "officers_without_agency": [
            {"name": o.name, "initials": o.initials, "email": o.email}
            for o in officers
            if o.agency_id is None
        ],
        "plans": [build_plan_tree(session, plan_id) for plan_id in plan_ids],
    }
    for plan_data in data["plans"]:  # performance indicators and funding
        extra = figures_json(session, plan_data["id"])
        plan_data["funding"] = funding_json(session, plan_data["id"])
        plan_data["title_blocks"] = title_blocks_json(session, plan_data["id"])
        plan_data["performance_indicators"] = extra["plan"]
        plan_data["returns"] = returns_json(session, plan_data["id"])
        plan_data["new_work"] = new_work_json(session, plan_data["id"])
        plan_data["closed_quarters"] = closed_quarters_json(session, plan_data["id"])
        for priority in plan_data["priorities"]:
            priority["performance_indicators"] = extra["priorities"].get(priority["id"], [])
            for objective in priority["objectives"]:
                for action in objective["actions"]:
                    action["performance_indicators"] = extra["actions"].get(action["id"], [])
    data["police_data"] = police_json(session)  # counts per month, district and crime type
    data["lead_aliases"] = lead_aliases_json(session)
    if history:
        data["history"] = history_json(session)
    return data


def _values(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if name in DATE_FIELDS and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        elif name == "updated_at" and isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        values[name] = value
    return values


def load_workspace_data(session: Session, data: dict[str, Any]) -> None:
    """Add the agencies, officers and plans of ``data`` to the open workspace."""
    if data.get("format") != FORMAT:
        raise ValueError("not a cspdesk workspace export")
    partnership = session.execute(select(Partnership)).scalar_one()
    if data.get("partnership"):
        partnership.name = data["partnership"].get("name", partnership.name)
        partnership.areas = data["partnership"].get("areas", partnership.areas)

    agency_ids: dict[str, int] = {a.name: a.id for a in session.execute(select(Agency)).scalars()}
    officer_ids: dict[str, int] = {o.name: o.id for o in session.execute(select(Officer)).scalars()}

    def add_officer(item: dict[str, Any], agency_id: int | None) -> None:
        if item["name"] not in officer_ids:
            officer_ids[item["name"]] = session.execute(
                insert(Officer).values(
                    name=item["name"],
                    initials=item.get("initials", ""),
                    email=item.get("email", ""),
                    agency_id=agency_id,
                )
            ).inserted_primary_key[0]

    for agency in data.get("agencies", []):
        if agency["name"] not in agency_ids:
            agency_ids[agency["name"]] = session.execute(
                insert(Agency).values(
                    name=agency["name"],
                    short_name=agency.get("short_name", ""),
                    email=agency.get("email", ""),
                )
            ).inserted_primary_key[0]
        for officer in agency.get("officers", []):
            add_officer(officer, agency_ids[agency["name"]])
    for officer in data.get("officers_without_agency", []):
        add_officer(officer, None)

    def new_id(model: type, **values: Any) -> int:
        return session.execute(insert(model).values(**values)).inserted_primary_key[0]

    lock_siblings(session, "plan", [None])
    plan_count = len(session.execute(select(Plan.id)).all())
    for plan_position, plan in enumerate(data.get("plans", [])):
        plan_id = new_id(Plan, position=plan_count + plan_position, **_values(plan, PLAN_FIELDS))
        _load_title_blocks(session, plan_id, plan.get("title_blocks", []))
        for p_pos, priority in enumerate(plan.get("priorities", [])):
            priority_id = new_id(
                Priority, plan_id=plan_id, position=p_pos, **_values(priority, PRIORITY_FIELDS)
            )
            for o_pos, objective in enumerate(priority.get("objectives", [])):
                objective_id = new_id(
                    Objective,
                    priority_id=priority_id,
                    position=o_pos,
                    title=objective.get("title", ""),
                )
                for a_pos, action in enumerate(objective.get("actions", [])):
                    action_id = new_id(
                        Action,
                        objective_id=objective_id,
                        position=a_pos,
                        **_values(action, ACTION_FIELDS),
                    )
                    refs = [
                        (
                            agency_ids.get(lead.get("agency") or ""),
                            officer_ids.get(lead.get("officer") or ""),
                        )
                        for lead in action.get("leads", [])
                    ]
                    for l_pos, (agency_id, officer_id) in enumerate(
                        ref for ref in refs if ref != (None, None)
                    ):
                        session.execute(
                            insert(ActionLead).values(
                                action_id=action_id,
                                position=l_pos,
                                agency_id=agency_id,
                                officer_id=officer_id,
                            )
                        )
                    for m_pos, milestone in enumerate(action.get("milestones", [])):
                        new_id(
                            Milestone,
                            action_id=action_id,
                            position=m_pos,
                            **_values(milestone, MILESTONE_FIELDS),
                        )
                    for item in action.get("updates", []):
                        new_id(Update, action_id=action_id, **_values(item, UPDATE_FIELDS))
                    for item in action.get("contributions", []):
                        agency_id = agency_ids.get(item.get("lead") or "")
                        values = _values(item, CONTRIBUTION_FIELDS)
                        values["lead_key"] = lead_key_of(agency_id)
                        new_id(
                            Contribution,
                            action_id=action_id,
                            agency_id=agency_id,
                            lead_name=item.get("lead") or "",
                            **values,
                        )
