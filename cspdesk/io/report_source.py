"""The appendix for a quarter, as the committee saw it: from the snapshot once it is closed.

A closed quarter prints from its frozen snapshot (so reprinting Q1 in March gives what the
committee saw in July); an open quarter prints the live plan. Either way the direction of
travel comes from core.quarters, against the previous closed quarter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.direction import Trend
from cspdesk.core.model import Partnership, RagStatus
from cspdesk.core.quarter_rule import tree_action_quarter
from cspdesk.core.quarters import direction_of_travel, snapshot_payload
from cspdesk.core.ragclass import rag_classes
from cspdesk.io.report_model import (
    RagKey,
    ReportAction,
    ReportMilestone,
    ReportModel,
    ReportObjective,
    ReportSection,
    build_report_model,
    format_day,
    lead_text,
)

ARROW_WORDS = {Trend.IMPROVED: "up", Trend.WORSENED: "down", Trend.SAME: "same"}


def quarter_directions(session: Session, plan_id: int, quarter: int) -> dict[int, str]:
    """Action id -> "up" / "same" / "down" against the previous closed quarter."""
    found = direction_of_travel(session, plan_id, quarter)
    return {aid: ARROW_WORDS[d.trend] for aid, d in found.items() if d.trend in ARROW_WORDS}


def build_quarter_report(
    session: Session, plan_id: int, quarter: int, **options: Any
) -> ReportModel:
    """The report model for ``quarter``: frozen if the quarter is closed, live otherwise."""
    direction = options.pop("direction", None)
    if direction is None:
        direction = quarter_directions(session, plan_id, quarter)
    payload = snapshot_payload(session, plan_id, quarter)
    if payload is None:
        return build_report_model(session, plan_id, quarter, direction=direction, **options)
    return model_from_snapshot(session, payload, quarter, direction, **options)


def model_from_snapshot(
    session: Session,
    plan: dict[str, Any],
    quarter: int,
    direction: dict[int, str],
    *,
    priority_ids: Iterable[int] | None = None,
    include_completed: bool = True,
    include_milestones: bool = True,
    today: dt.date | None = None,
) -> ReportModel:
    """Build the report model from a snapshot payload (export_workspace's plan shape)."""
    partnership = session.execute(select(Partnership.name, Partnership.areas)).one()
    scheme = [
        RagKey(s.code, s.label, s.colour, s.text_colour, s.meaning, s.rank, s.is_complete)
        for s in session.scalars(select(RagStatus).order_by(RagStatus.position))
    ]
    complete = {key.code for key in scheme if key.is_complete}
    classes = rag_classes(session)
    wanted = set(priority_ids) if priority_ids is not None else None
    sections = []
    for number, priority in enumerate(plan.get("priorities", []), start=1):
        if wanted is not None and priority.get("id") not in wanted:
            continue
        section = ReportSection(
            id=priority.get("id", number),
            number=number,
            title=priority.get("title", ""),
            **{
                name: priority.get(name) or ""
                for name in (
                    "sub_themes",
                    "indicators",
                    "baseline",
                    "target",
                    "lead_agencies",
                    "resources",
                    "key_risks",
                    "mitigations",
                )
            },
        )
        for objective in priority.get("objectives", []):
            actions = []
            for action in objective.get("actions", []):
                found = tree_action_quarter(action, quarter, classes)
                text, rag = found.printed, found.rag.code
                if not include_completed and rag in complete:
                    continue
                leads = [
                    lead_text(lead.get("agency"), lead.get("officer"), None)
                    for lead in action.get("leads", [])
                ]
                milestones = (
                    [
                        ReportMilestone(
                            m.get("title") or "",
                            m.get("outcomes") or "",
                            format_day(m.get("due_date")),
                            format_day(m.get("done_date")),
                            m.get("rag"),
                        )
                        for m in action.get("milestones", [])
                    ]
                    if include_milestones
                    else []
                )
                actions.append(
                    ReportAction(
                        id=action["id"],
                        title=action.get("title") or "",
                        outcomes=action.get("outcomes") or "",
                        leads=[x for x in leads if x]
                        or ([action["lead_note"]] if action.get("lead_note") else []),
                        timescale=action.get("timescale") or "",
                        update=text,
                        rag=rag,
                        direction=direction.get(action["id"]),
                        milestones=milestones,
                    )
                )
            if actions or include_completed:
                section.objectives.append(ReportObjective(objective.get("title") or "", actions))
        sections.append(section)
    return ReportModel(
        partnership=partnership.name,
        areas=partnership.areas or "",
        year=plan["year"],
        plan_title=plan.get("title") or "",
        version_label=plan.get("version_label") or "",
        introduction=plan.get("introduction") or "",
        quarter=quarter,
        date=today or dt.date.today(),
        rag_scheme=scheme,
        sections=sections,
        include_milestones=include_milestones,
    )
