"""The pre-publish checker: things a committee would query, found before they are printed.

Each Finding names its item (entity, id, and a readable "Priority › Objective › Action" path)
so a view can jump to it. Checks run on live data for the chosen quarter (default: the plan's
current quarter); "Green" and "Red" come from the workspace's scheme (core.rag.classes).
Spending stored dated outside the plan's year (core.funding.spend_dates) is listed after the
tree, each entry, whatever the quarter: it is counted in the plan's funding until corrected.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.funding.spend_dates import spends_outside_year
from cspdesk.core.plan.model import Plan, Update
from cspdesk.core.plan.words import count
from cspdesk.core.quarter.overdue import is_overdue, plan_as_at
from cspdesk.core.quarter.rule import tree_action_quarter
from cspdesk.core.rag.classes import rag_classes
from cspdesk.core.workspace.plan_tree import build_plan_tree, iter_actions, readable_path, short

# Kinds of finding, in the order the checker reports them for one item.
NO_BASELINE_TARGET = "no_baseline_target"
GOOD_BUT_OVERDUE = "good_but_overdue"
CONCERN_NO_UPDATE = "concern_without_update"
COPIED_UPDATE = "copied_update"
PARTNERS_DISAGREE = "partners_disagree"
NO_LEAD = "no_lead"
MILESTONE_NO_DATE = "milestone_without_date"
SPEND_OUTSIDE_YEAR = "spend_outside_year"


@dataclass(frozen=True)
class Finding:
    kind: str
    entity: str  # "priority", "action", "milestone" or "spend"
    id: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _same_words(a: str, b: str) -> bool:
    words = a.split()
    return bool(words) and words == b.split()


def _last_year_q4(session: Session, action_ids: list[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for start in range(0, len(action_ids), 500):
        rows = session.execute(
            select(Update.action_id, Update.text).where(
                Update.action_id.in_(action_ids[start : start + 500]), Update.quarter == 4
            )
        )
        texts.update({action_id: text or "" for action_id, text in rows})
    return texts


def run_checks(
    session: Session, plan_id: int, quarter: int | None = None, today: dt.date | None = None
) -> list[Finding]:
    """Every finding for the plan's ``quarter`` (default: its current quarter), in tree order."""
    if quarter is None:
        quarter = session.execute(
            select(Plan.current_quarter).where(Plan.id == plan_id)
        ).scalar_one()
    today = today or plan_as_at(session, plan_id, quarter)
    classes = rag_classes(session)
    tree = build_plan_tree(session, plan_id, max_quarter=quarter)
    carried = [a["carried_from_id"] for _, _, a in iter_actions(tree) if a["carried_from_id"]]
    last_q4 = _last_year_q4(session, carried) if quarter == 1 and carried else {}
    findings: list[Finding] = []

    for priority in tree["priorities"]:
        missing = [name for name in ("baseline", "target") if not (priority[name] or "").strip()]
        if missing:
            findings.append(
                Finding(
                    NO_BASELINE_TARGET,
                    "priority",
                    priority["id"],
                    readable_path(priority["title"]),
                    f"priority has no {' or '.join(missing)}",
                )
            )
        for objective in priority["objectives"]:
            for action in objective["actions"]:
                path = readable_path(priority["title"], objective["title"], action["title"])
                findings.extend(_action_findings(action, path, quarter, today, classes, last_q4))
    findings.extend(_spend_findings(session, plan_id))
    return findings


def _spend_findings(session: Session, plan_id: int) -> list[Finding]:
    return [
        Finding(
            SPEND_OUTSIDE_YEAR,
            "spend",
            spend.spend_id,
            readable_path(
                "Funding", spend.fund, *([spend.allocated_to] if spend.allocated_to else [])
            ),
            spend.message,
        )
        for spend in spends_outside_year(session, plan_id)
    ]


def _action_findings(
    action: dict[str, Any],
    path: str,
    quarter: int,
    today: dt.date,
    classes: Any,
    last_q4: dict[int, str],
) -> list[Finding]:
    found: list[Finding] = []
    action_id = action["id"]
    found_quarter = tree_action_quarter(action, quarter, classes)
    rag = found_quarter.rag.code
    text = found_quarter.printed
    label = classes.label_of(rag)
    if found_quarter.rag.disagree:
        found.append(
            Finding(
                PARTNERS_DISAGREE,
                "action",
                action_id,
                path,
                f"Q{quarter} RAG {found_quarter.rag.note(classes)}; "
                f"{label} is shown until you agree one",
            )
        )

    overdue = [m for m in action["milestones"] if is_overdue(m, today)]
    if rag in classes.good and overdue:
        titles = ", ".join(short(m["title"], 40) for m in overdue[:3])
        more = f" and {len(overdue) - 3} more" if len(overdue) > 3 else ""
        found.append(
            Finding(
                GOOD_BUT_OVERDUE,
                "action",
                action_id,
                path,
                f"{label} but {count(len(overdue), 'milestone')} overdue: {titles}{more}",
            )
        )
    if rag in classes.concern and not text.strip():
        found.append(
            Finding(
                CONCERN_NO_UPDATE, "action", action_id, path, f"{label} with no Q{quarter} update"
            )
        )
    if quarter > 1:
        before = tree_action_quarter(action, quarter - 1, classes).printed
        where = f"Q{quarter - 1}"
    else:
        before = last_q4.get(action.get("carried_from_id") or -1, "")
        where = "last year's Q4"
    if _same_words(text, before):
        found.append(
            Finding(
                COPIED_UPDATE,
                "action",
                action_id,
                path,
                f"Q{quarter} update is word for word the {where} update",
            )
        )
    if not action["leads"] and not (action.get("lead_note") or "").strip():
        found.append(Finding(NO_LEAD, "action", action_id, path, "action has no lead"))
    for milestone in action["milestones"]:
        if milestone["due_date"] is None:
            found.append(
                Finding(
                    MILESTONE_NO_DATE,
                    "milestone",
                    milestone["id"],
                    f"{path} › {short(milestone['title'])}",
                    "milestone has no due date",
                )
            )
    return found
