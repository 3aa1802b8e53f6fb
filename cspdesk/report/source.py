"""The appendix for a quarter, built from the quarter's view only (core.quarter.view).

An open quarter's view is built from the live plan; a closed quarter's is the one frozen when
it closed. Both go through ``model_from_view``, so printing a quarter, closing it and printing
it again gives the same text, and a reopened quarter prints from the live plan as before.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.leads.printed import lead_text
from cspdesk.core.plan.model import Partnership
from cspdesk.core.quarter.as_at import as_at, milestone_as_at
from cspdesk.core.quarter.direction import direction_of_travel
from cspdesk.core.quarter.rule import QuarterRag
from cspdesk.core.quarter.view import (
    REPORT_DIRECTIONS,
    action_printed,
    action_rag,
    quarter_view,
    view_crime,
    view_funding,
    view_performance,
)
from cspdesk.core.rag.classes import RagClasses, rag_classes
from cspdesk.core.rag.scheme import scheme_rows
from cspdesk.core.workspace.fields import PRIORITY_FIELDS
from cspdesk.core.workspace.plan_tree import PlanTree, paused_gc
from cspdesk.report.model import (
    RagKey,
    ReportAction,
    ReportMilestone,
    ReportModel,
    ReportObjective,
    ReportSection,
    format_day,
)

# A priority's header fields as the view holds them (its title is printed on its own).
HEADER_FIELDS = tuple(name for name in PRIORITY_FIELDS if name != "title")


@paused_gc()  # some 100,000 fresh objects and no cycles: collections would find nothing
def build_quarter_report(
    session: Session, plan_id: int, quarter: int, **options: Any
) -> ReportModel:
    """The report model for ``quarter``: from its frozen view if closed, else the live one."""
    view, _frozen = quarter_view(session, plan_id, quarter)
    if "direction" not in options and not _has_directions(view):
        # A snapshot frozen before views held the direction of travel.
        found = direction_of_travel(session, plan_id, quarter)
        options["direction"] = {
            aid: REPORT_DIRECTIONS[d.trend]
            for aid, d in found.items()
            if d.trend in REPORT_DIRECTIONS
        }
    return model_from_view(session, view, quarter, **options)


def _has_directions(view: PlanTree) -> bool:
    return any(
        "direction" in action
        for priority in view.get("priorities", [])
        for objective in priority.get("objectives", [])
        for action in objective.get("actions", [])
    )


def _scheme(session: Session, view: PlanTree) -> list[RagKey]:
    rows = view.get("rag_scheme")
    if rows is None:  # frozen before views held the scheme: today's
        rows = scheme_rows(session)
    return [RagKey(**row) for row in rows]


def _classes(scheme: list[RagKey], fallback: RagClasses) -> RagClasses:
    """The rule's classes from the view's own scheme (labels and ranks as frozen)."""
    return RagClasses(
        rank={k.code: k.rank for k in scheme},
        label={k.code: k.label for k in scheme},
        complete=frozenset(k.code for k in scheme if k.is_complete),
        good=fallback.good,
        concern=fallback.concern,
        worst=fallback.worst,
    )


def model_from_view(
    session: Session,
    view: PlanTree,
    quarter: int,
    *,
    direction: dict[int, str] | None = None,
    priority_ids: Iterable[int] | None = None,
    include_completed: bool = True,
    include_milestones: bool = True,
    include_performance: bool = True,
    include_funding: bool = True,
    today: dt.date | None = None,
) -> ReportModel:
    """The report model of a quarter's view (live or frozen; see the module docstring)."""
    partnership = view.get("partnership")
    if partnership is None:
        row = session.execute(select(Partnership.name, Partnership.areas)).one()
        partnership = {"name": row.name, "areas": row.areas or ""}
    scheme = _scheme(session, view)
    classes = _classes(scheme, rag_classes(session))
    complete = {key.code for key in scheme if key.is_complete}
    wanted = set(priority_ids) if priority_ids is not None else None
    today = today or dt.date.today()
    day = as_at(view["year"], quarter, today)  # milestones are judged as at this day
    sections = []
    for number, priority in enumerate(view.get("priorities", []), start=1):
        if wanted is not None and priority.get("id") not in wanted:
            continue
        section = ReportSection(
            id=priority.get("id", number),
            number=number,
            title=priority.get("title", ""),
            **{name: priority.get(name) or "" for name in HEADER_FIELDS},
        )
        for objective in priority.get("objectives", []):
            actions = []
            for action in objective.get("actions", []):
                rag = action_rag(action, quarter, classes)
                if not include_completed and rag.code in complete:
                    continue
                actions.append(
                    _action(action, quarter, classes, rag, direction, include_milestones, day)
                )
            if actions or include_completed:
                section.objectives.append(ReportObjective(objective.get("title") or "", actions))
        sections.append(section)
    return ReportModel(
        partnership=partnership["name"],
        areas=partnership.get("areas") or "",
        year=view["year"],
        plan_title=view.get("title") or "",
        version_label=view.get("version_label") or "",
        introduction=view.get("introduction") or "",
        quarter=quarter,
        date=today,
        rag_scheme=scheme,
        sections=sections,
        include_milestones=include_milestones,
        performance=view_performance(view, quarter) if include_performance else [],
        funding=view_funding(view) if include_funding else None,
        crime=view_crime(view) if include_performance else None,
    )


def _action(
    action: dict[str, Any],
    quarter: int,
    classes: RagClasses,
    rag: QuarterRag,
    direction: dict[int, str] | None,
    include_milestones: bool,
    day: dt.date,
) -> ReportAction:
    leads = [
        lead.get("text") or lead_text(lead.get("agency"), lead.get("officer"), None)
        for lead in action.get("leads", [])
    ]
    milestones = (
        [_milestone(m, day) for m in action.get("milestones", [])] if include_milestones else []
    )
    return ReportAction(
        id=action["id"],
        title=action.get("title") or "",
        outcomes=action.get("outcomes") or "",
        leads=[x for x in leads if x] or ([action["lead_note"]] if action.get("lead_note") else []),
        timescale=action.get("timescale") or "",
        update=action_printed(action, quarter, classes),
        rag=rag.code,
        direction=(direction or {}).get(action["id"], action.get("direction")),
        milestones=milestones,
        carried_label=rag.label(classes) if rag.carried else "",
    )


def _milestone(milestone: dict[str, Any], day: dt.date) -> ReportMilestone:
    """A milestone as it stood on the appendix's as-at ``day`` (core.quarter.as_at)."""
    due, done, overdue = _dates_as_at(milestone.get("due_date"), milestone.get("done_date"), day)
    return ReportMilestone(
        milestone.get("title") or "",
        milestone.get("outcomes") or "",
        due,
        done,
        milestone.get("rag"),
        overdue=overdue,
    )


@functools.lru_cache(maxsize=4096)  # a plan's milestones share a few dates: each read once
def _dates_as_at(due: Any, done: Any, day: dt.date) -> tuple[str, str, bool]:
    """The due and done dates as printed on ``day``, and whether overdue then."""
    state = milestone_as_at(due, done, day)
    return format_day(state.due), format_day(state.done), state.overdue
