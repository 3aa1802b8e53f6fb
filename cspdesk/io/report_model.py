"""What the committee appendix prints, as plain data: the one seam between store and writers.

``build_report_model`` reads a plan for a quarter from the live workspace. The PDF, the HTML and
the charts read only this model, so a frozen quarter (a Snapshot payload, once
cspdesk.core.quarters exists) plugs in here by building the same dataclasses from the payload,
and ``direction`` takes the direction of travel per action id from whoever computes it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core import periods
from cspdesk.core.direction import ARROWS, Trend
from cspdesk.core.model import (
    Action,
    ActionLead,
    Agency,
    Milestone,
    Objective,
    Officer,
    Partnership,
    Plan,
    Priority,
    RagStatus,
)
from cspdesk.core.overdue import as_at, as_at_text
from cspdesk.core.quarter_rule import load_quarters
from cspdesk.core.ragclass import rag_classes
from cspdesk.core.tree import lead_text
from cspdesk.errors import CspdeskError

# Direction of travel: the code the quarters module gives, the word printed, the arrow drawn.
# The report's direction keys in the one set of arrows and words (core.direction).
_TRENDS = {"up": Trend.IMPROVED, "same": Trend.SAME, "down": Trend.WORSENED}
DIRECTION_WORDS = {key: str(trend).capitalize() for key, trend in _TRENDS.items()}
DIRECTION_ARROWS = {key: ARROWS[trend] for key, trend in _TRENDS.items()}


@dataclass(frozen=True)
class RagKey:
    code: str
    label: str
    colour: str
    text_colour: str
    meaning: str
    rank: int | None
    is_complete: bool


@dataclass
class ReportMilestone:
    title: str
    outcomes: str
    due: str  # "30 Sep 2016", "" when undated
    done: str
    rag: str | None


@dataclass
class ReportAction:
    id: int
    title: str
    outcomes: str
    leads: list[str]
    timescale: str
    update: str  # the quarter's update text
    rag: str | None  # the quarter's RAG (core.quarter_rule)
    direction: str | None = None  # "up" / "same" / "down"
    milestones: list[ReportMilestone] = field(default_factory=list)


@dataclass
class ReportObjective:
    title: str
    actions: list[ReportAction]


@dataclass
class ReportSection:
    """One priority with its header fields (seed 004) and its objectives."""

    id: int
    number: int
    title: str
    sub_themes: str = ""
    indicators: str = ""
    baseline: str = ""
    target: str = ""
    lead_agencies: str = ""
    resources: str = ""
    key_risks: str = ""
    mitigations: str = ""
    objectives: list[ReportObjective] = field(default_factory=list)

    def actions(self) -> Iterable[ReportAction]:
        for objective in self.objectives:
            yield from objective.actions

    def rag_counts(self) -> Counter[str | None]:
        return Counter(action.rag for action in self.actions())

    def direction_counts(self) -> Counter[str]:
        return Counter(a.direction for a in self.actions() if a.direction)


@dataclass
class ReportModel:
    partnership: str
    areas: str
    year: str
    plan_title: str
    version_label: str
    introduction: str
    quarter: int
    date: dt.date
    rag_scheme: list[RagKey]
    sections: list[ReportSection]
    include_milestones: bool = True

    @property
    def as_at(self) -> str:
        """'as at 30 June 2016': the quarter's end once it is past, else the report's date."""
        return as_at_text(as_at(self.year, self.quarter, self.date))

    @property
    def title(self) -> str:
        """ "Partnership Plan 2016/17 – 1st Quarter Update"."""
        plan = self.plan_title or f"Partnership Plan {self.year}"
        return f"{plan} – {periods.quarter_title(self.year, self.quarter)}"

    def rag(self, code: str | None) -> RagKey | None:
        return next((key for key in self.rag_scheme if key.code == code), None)

    def rag_label(self, code: str | None) -> str:
        key = self.rag(code)
        return key.label if key else "Not rated"

    def action_count(self) -> int:
        return sum(1 for section in self.sections for _ in section.actions())

    def has_directions(self) -> bool:
        return any(a.direction for s in self.sections for a in s.actions())


def format_day(day: dt.date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.day} {day:%b %Y}"


def live_direction(
    previous: dict[int, str | None], current: dict[int, str | None], scheme: list[RagKey]
) -> dict[int, str]:
    """Direction per action from two quarters' RAGs, comparing ranks (unranked: none)."""
    rank = {key.code: key.rank for key in scheme}
    result: dict[int, str] = {}
    for action_id, code in current.items():
        before, now = rank.get(previous.get(action_id)), rank.get(code)
        if before is None or now is None:
            continue
        result[action_id] = "up" if now > before else "down" if now < before else "same"
    return result


def build_report_model(
    session: Session,
    plan_id: int,
    quarter: int,
    *,
    priority_ids: Iterable[int] | None = None,
    include_completed: bool = True,
    include_milestones: bool = True,
    direction: dict[int, str] | None = None,
    today: dt.date | None = None,
) -> ReportModel:
    """The appendix of ``plan_id`` for ``quarter`` from the live data (column queries only).

    ``direction`` maps action id to "up"/"same"/"down"; when None it is worked out from the
    previous quarter's update RAG against this quarter's, where both exist.
    """
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise CspdeskError(f"no plan with id {plan_id}")
    partnership = session.execute(select(Partnership.name, Partnership.areas)).one()
    scheme = [
        RagKey(s.code, s.label, s.colour, s.text_colour, s.meaning, s.rank, s.is_complete)
        for s in session.scalars(select(RagStatus).order_by(RagStatus.position))
    ]
    complete = {key.code for key in scheme if key.is_complete}
    wanted = set(priority_ids) if priority_ids is not None else None

    priorities = [
        p
        for p in session.scalars(
            select(Priority).where(Priority.plan_id == plan_id).order_by(Priority.position)
        )
    ]
    ids = [p.id for p in priorities]
    objectives: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(Objective.id, Objective.priority_id, Objective.title)
        .where(Objective.priority_id.in_(ids))
        .order_by(Objective.priority_id, Objective.position)
    ):
        objectives[row.priority_id].append(row)
    action_rows: dict[int, list[Any]] = defaultdict(list)
    action_ids: list[int] = []
    for row in session.execute(
        select(
            Action.id,
            Action.objective_id,
            Action.title,
            Action.outcomes,
            Action.timescale,
            Action.rag,
            Action.lead_note,
        )
        .join(Objective, Objective.id == Action.objective_id)
        .join(Priority, Priority.id == Objective.priority_id)
        .where(Priority.plan_id == plan_id)
        .order_by(Action.objective_id, Action.position)
    ):
        action_rows[row.objective_id].append(row)
        action_ids.append(row.id)

    in_plan = (
        select(Action.id)
        .join(Objective, Objective.id == Action.objective_id)
        .join(Priority, Priority.id == Objective.priority_id)
        .where(Priority.plan_id == plan_id)
    )
    leads: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(
        select(ActionLead.action_id, Agency.name, Officer.name, Officer.initials)
        .outerjoin(Agency, Agency.id == ActionLead.agency_id)
        .outerjoin(Officer, Officer.id == ActionLead.officer_id)
        .where(ActionLead.action_id.in_(in_plan))
        .order_by(ActionLead.action_id, ActionLead.position)
    ):
        leads[row[0]].append(lead_text(row[1], row[2], row[3]))
    classes = rag_classes(session)
    this_quarter = load_quarters(session, dict.fromkeys(action_ids, quarter), classes)
    milestones: dict[int, list[ReportMilestone]] = defaultdict(list)
    if include_milestones:
        for row in session.execute(
            select(
                Milestone.action_id,
                Milestone.title,
                Milestone.outcomes,
                Milestone.due_date,
                Milestone.done_date,
                Milestone.rag,
            )
            .where(Milestone.action_id.in_(in_plan))
            .order_by(Milestone.action_id, Milestone.position)
        ):
            milestones[row.action_id].append(
                ReportMilestone(
                    row.title or "",
                    row.outcomes or "",
                    format_day(row.due_date),
                    format_day(row.done_date),
                    row.rag,
                )
            )

    current = {aid: found.rag.code for aid, found in this_quarter.items()}
    if direction is None:
        before = load_quarters(session, dict.fromkeys(action_ids, quarter - 1), classes)
        previous = {aid: found.rag.code for aid, found in before.items()} if quarter > 1 else {}
        direction = live_direction(previous, current, scheme)

    sections: list[ReportSection] = []
    for number, priority in enumerate(priorities, start=1):
        if wanted is not None and priority.id not in wanted:
            continue
        section = ReportSection(
            id=priority.id,
            number=number,
            title=priority.title,
            sub_themes=priority.sub_themes,
            indicators=priority.indicators,
            baseline=priority.baseline,
            target=priority.target,
            lead_agencies=priority.lead_agencies,
            resources=priority.resources,
            key_risks=priority.key_risks,
            mitigations=priority.mitigations,
        )
        for objective in objectives.get(priority.id, []):
            actions = []
            for row in action_rows.get(objective.id, []):
                rag = current.get(row.id)
                if not include_completed and rag in complete:
                    continue
                actions.append(
                    ReportAction(
                        id=row.id,
                        title=row.title or "",
                        outcomes=row.outcomes or "",
                        leads=leads.get(row.id) or ([row.lead_note] if row.lead_note else []),
                        timescale=row.timescale or "",
                        update=this_quarter[row.id].printed,
                        rag=rag,
                        direction=direction.get(row.id),
                        milestones=milestones.get(row.id, []),
                    )
                )
            if actions or include_completed:
                section.objectives.append(ReportObjective(objective.title or "", actions))
        sections.append(section)

    return ReportModel(
        partnership=partnership.name,
        areas=partnership.areas or "",
        year=plan.year,
        plan_title=plan.title or "",
        version_label=plan.version_label or "",
        introduction=plan.introduction or "",
        quarter=quarter,
        date=today or dt.date.today(),
        rag_scheme=scheme,
        sections=sections,
        include_milestones=include_milestones,
    )


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two "#RRGGBB" colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_text_colour(fill: str, preferred: str) -> str:
    """The scheme's text colour on ``fill`` if it reaches 4.5:1, else black or white."""
    try:
        if contrast(fill, preferred) >= 4.5:
            return preferred
        return max(("#000000", "#FFFFFF"), key=lambda c: contrast(fill, c))
    except ValueError:
        return preferred
