"""The plan as it stands for a quarter, in one plain, JSON-able shape, live or frozen.

Everything any output prints is in it: the partnership and its RAG scheme, titles, outcomes, leads
as printed (with initials), timescales, milestones with dates, each lead's contribution and the
officer's summary, the quarter's RAG and printed update (core.quarter.rule), direction of travel,
performance figures and funding. An open quarter's view is built from the live plan; closing the
quarter stores exactly this view (core.quarter.closing), and a closed quarter's view is that stored
copy. The report, the dashboard and the checker read only this, so what the committee saw reprints
the same for as long as the quarter stays closed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures.indicators import indicator_values, plan_indicators
from cspdesk.core.figures.performance import Row, performance_rows
from cspdesk.core.figures.police_lines import CrimeSummary, crime_summary
from cspdesk.core.funding.summary import FundingLine, FundingSummary, GrantLine, funding_summary
from cspdesk.core.plan.model import Partnership
from cspdesk.core.quarter.as_at import AsAt
from cspdesk.core.quarter.direction import Direction, Rags, Trend, directions_of_rags, quarter_rags
from cspdesk.core.quarter.rule import QuarterRag, action_printed, action_rag, tree_action_quarter
from cspdesk.core.quarter.snapshots import previous_closed, snapshot_payload
from cspdesk.core.rag.classes import RagClasses, rag_classes
from cspdesk.core.rag.scheme import scheme_rows
from cspdesk.core.workspace.plan_tree import PlanTree, build_plan_tree, iter_actions

VIEW_VERSION = 2  # snapshots without "view_version" were frozen before views held everything
REPORT_DIRECTIONS = {Trend.IMPROVED: "up", Trend.WORSENED: "down", Trend.SAME: "same"}
_RAG_FIELDS = tuple(f.name for f in dataclasses.fields(QuarterRag))


def build_quarter_view(session: Session, plan_id: int, quarter: int) -> PlanTree:
    """The live plan for ``quarter`` with everything printed worked out (see module doc)."""
    view = build_plan_tree(session, plan_id, max_quarter=quarter)
    view["current_quarter"] = quarter
    view["view_version"] = VIEW_VERSION
    partnership = session.execute(select(Partnership.name, Partnership.areas)).one()
    view["partnership"] = {"name": partnership.name, "areas": partnership.areas or ""}
    view["rag_scheme"] = scheme_rows(session)
    classes = rag_classes(session)
    rags: Rags = {}
    for _, _, action in iter_actions(view):
        this = tree_action_quarter(action, quarter, classes)
        action["quarter_rag"] = {name: _plain(getattr(this.rag, name)) for name in _RAG_FIELDS}
        action["printed"] = this.printed
        rags[action["id"]] = (action.get("carried_from_id"), this.rag.code)
    found = _directions(session, plan_id, quarter, rags, classes)
    for _, _, action in iter_actions(view):
        trend = found.get(action["id"])
        action["direction"] = None if trend is None else REPORT_DIRECTIONS.get(trend.trend)
    view["performance"] = _performance_items(session, plan_id)
    # As at the quarter's end (core.quarter.as_at): later spending is not this quarter's.
    up_to = AsAt.of_quarter(view["year"], quarter).up_to
    summary = funding_summary(session, plan_id, spent_by=up_to)
    view["funding_summary"] = _plain(dataclasses.asdict(summary))
    crime = crime_summary(session, plan_id, quarter)
    view["crime"] = None if crime is None else crime.to_json()
    return view


def _directions(
    session: Session, plan_id: int, quarter: int, current: Rags, classes: RagClasses
) -> dict[int, Direction]:
    """core.quarter.direction.direction_of_travel, with this quarter's RAGs as the view has just
    worked them out (by the same rule) rather than read and worked out again."""
    before = previous_closed(session, plan_id, quarter)
    previous = None if before is None else quarter_rags(session, *before)
    return directions_of_rags(current, previous, classes)


def quarter_view(session: Session, plan_id: int, quarter: int) -> tuple[PlanTree, bool]:
    """The quarter's view and whether it is frozen (the quarter is closed)."""
    frozen = snapshot_payload(session, plan_id, quarter)
    if frozen is not None:
        return frozen, True
    return build_quarter_view(session, plan_id, quarter), False


# ---- reading a view back (an action's RAG and update: core.quarter.rule.action_rag) ----------

__all__ = ["action_printed", "action_rag"]


def view_performance(view: PlanTree, quarter: int, decimals: int | None = None) -> list[Row]:
    """The performance table of a view as at the quarter's end (core.quarter.as_at): figures of
    later periods are left out even where the view holds them (none for snapshots frozen
    before views held figures)."""
    items = [_item(entry) for entry in view.get("performance", [])]
    up_to = AsAt.of_quarter(view["year"], quarter).up_to
    return performance_rows(items, view["year"], quarter, decimals=decimals, up_to=up_to)


def view_crime(view: PlanTree) -> CrimeSummary | None:
    """The police crime lines of a view (none for views frozen before they held them)."""
    data = view.get("crime")
    return None if data is None else CrimeSummary.from_json(data)


def view_funding(view: PlanTree) -> FundingSummary | None:
    data = view.get("funding_summary")
    if data is None:
        return None
    return FundingSummary(
        grants=tuple(GrantLine(**g) for g in data["grants"]),
        lines=tuple(FundingLine(**line) for line in data["lines"]),
        total=FundingLine(**data["total"]),
        grant_total_pence=data["grant_total_pence"],
        warnings=tuple(data["warnings"]),
        undated_spent_pence=data.get("undated_spent_pence", 0),  # absent in older snapshots
    )


# ---- figures as plain data -------------------------------------------------------------------


def _performance_items(session: Session, plan_id: int) -> list[dict[str, Any]]:
    items = plan_indicators(session, plan_id)
    values = indicator_values(session, [item.indicator.id for item in items])
    columns = ("id", "name", "unit", "decimals", "source", "better", "baseline")
    columns += ("baseline_period", "target")
    return [
        {
            "priority_id": item.priority_id,
            "priority": item.priority,
            "action_id": item.action_id,
            "action": item.action,
            "indicator": {name: getattr(item.indicator, name) for name in columns},
            "values": [
                {
                    "id": v.id,
                    "period_label": v.period_label,
                    "period_start": _iso(v.period_start),
                    "period_end": _iso(v.period_end),
                    "quarter": v.quarter,
                    "value": v.value,
                    "previous_value": v.previous_value,
                }
                for v in values[item.indicator.id]
            ],
        }
        for item in items
    ]


def _item(entry: dict[str, Any]) -> SimpleNamespace:
    """An indicator of a view shaped as core.figures.performance reads one (attribute access)."""
    values = [
        SimpleNamespace(
            **{
                **v,
                "period_start": _day(v.get("period_start")),
                "period_end": _day(v.get("period_end")),
            }
        )
        for v in entry["values"]
    ]
    return SimpleNamespace(
        indicator=SimpleNamespace(**entry["indicator"]),
        priority_id=entry["priority_id"],
        priority=entry["priority"],
        action_id=entry["action_id"],
        action=entry["action"],
        values=values,
    )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> dt.date | None:
    return None if not text else dt.date.fromisoformat(text)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value
