"""What the committee appendix prints, as plain data: the one seam between the plan and writers.

io.report_source builds it from the quarter's view (core.quarter.view), live or frozen; the PDF,
the HTML, the charts and the dashboard read only this model.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from cspdesk.core.figures.performance import Row
from cspdesk.core.figures.police_lines import CrimeSummary
from cspdesk.core.funding.summary import FundingSummary
from cspdesk.core.plan import periods
from cspdesk.core.quarter.direction import ARROWS, Trend
from cspdesk.core.quarter.overdue import as_at, as_at_text
from cspdesk.core.rag.scheme import RagKey
from cspdesk.report.title_block import TitleBlock

# Direction of travel: the code the quarters module gives, the word printed, the arrow drawn.
# The report's direction keys in the one set of arrows and words (core.quarter.direction).
_TRENDS = {"up": Trend.IMPROVED, "same": Trend.SAME, "down": Trend.WORSENED}
DIRECTION_WORDS = {key: str(trend).capitalize() for key, trend in _TRENDS.items()}
DIRECTION_ARROWS = {key: ARROWS[trend] for key, trend in _TRENDS.items()}


@dataclass
class ReportMilestone:
    """A milestone as at the appendix's date (core.quarter.as_at)."""

    title: str
    outcomes: str
    due: str  # "30 Sep 2016", "" when undated
    done: str  # "" unless done by the as-at date
    rag: str | None
    overdue: bool = False  # due before the as-at date and not done by it

    @property
    def when(self) -> str:
        """ "done 3 Oct 2016", "overdue – due 31 Oct 2016", "due 30 Sep 2016" or ""."""
        if self.done:
            return f"done {self.done}"
        if self.due:
            return f"overdue – due {self.due}" if self.overdue else f"due {self.due}"
        return ""

    @property
    def when_capital(self) -> str:
        """The same words starting a line: "Overdue – due 31 Oct 2016"."""
        return self.when[:1].upper() + self.when[1:]


@dataclass
class ReportAction:
    id: int
    title: str
    outcomes: str
    leads: list[str]
    timescale: str
    update: str  # the quarter's update text
    rag: str | None  # the quarter's RAG (core.quarter.rule)
    direction: str | None = None  # "up" / "same" / "down"
    milestones: list[ReportMilestone] = field(default_factory=list)
    carried_label: str = ""  # "Green (Q2)": no RAG given this quarter, last one carried


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


OUTCOMES_COLUMN = "Outcomes / Measures"
LEADS_COLUMN = "Lead Agency / Officer"
OBJECTIVE_COLUMNS = (
    "Strategic Objective",
    "Actions",
    OUTCOMES_COLUMN,
    LEADS_COLUMN,
    "Timescales / Updates",
    "RAG",
)


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
    performance: list[Row] = field(default_factory=list)  # empty: section left out
    funding: FundingSummary | None = None  # None: section left out
    crime: CrimeSummary | None = None  # police open-data lines; None: section left out
    title_block: TitleBlock = field(default_factory=TitleBlock)

    @property
    def as_at(self) -> str:
        """'as at 30 June 2016': the quarter's end once it is past, else the report's date."""
        return as_at_text(as_at(self.year, self.quarter, self.date))

    @property
    def title(self) -> str:
        """ "Partnership Plan 2016/17 – 1st Quarter Update"."""
        return f"{self.plan_name} – {periods.quarter_title(self.year, self.quarter)}"

    @property
    def plan_name(self) -> str:
        """ "Partnership Plan 2016/17" unless the plan has a title of its own."""
        return self.plan_title or f"Partnership Plan {self.year}"

    @property
    def version_line(self) -> str:
        """ "Version 3 – January 2017": the quarter's own line, else the plan's version label."""
        return self.title_block.version_line or self.version_label

    @property
    def printed(self) -> str:
        return f"Printed {self.date.day} {self.date:%B %Y}"

    def rag(self, code: str | None) -> RagKey | None:
        return next((key for key in self.rag_scheme if key.code == code), None)

    def rag_label(self, code: str | None) -> str:
        key = self.rag(code)
        return key.label if key else "Not rated"

    def action_rag_label(self, action: ReportAction) -> str:
        """The action's RAG in words as printed: "Green", or "Green (Q2)" when carried."""
        return action.carried_label or self.rag_label(action.rag)

    def action_count(self) -> int:
        return sum(1 for section in self.sections for _ in section.actions())

    def has_directions(self) -> bool:
        return any(a.direction for s in self.sections for a in s.actions())

    def objective_columns(self) -> tuple[str, ...]:
        """The objective layout's columns, in order; a column no action in the appendix fills
        (a plan imported without outcomes, or without leads) is left out, not printed empty."""
        actions = [a for s in self.sections for a in s.actions()]
        empty = {
            OUTCOMES_COLUMN: not any(a.outcomes.strip() for a in actions),
            LEADS_COLUMN: not any(a.leads for a in actions),
        }
        return tuple(c for c in OBJECTIVE_COLUMNS if not (actions and empty.get(c)))


@functools.lru_cache(maxsize=4096)  # strftime is slow, and a plan's dates repeat
def format_day(day: dt.date | str | None) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.day} {day:%b %Y}"


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two "#RRGGBB" colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@functools.cache  # a few scheme colours, asked for on every RAG cell
def readable_text_colour(fill: str, preferred: str) -> str:
    """The scheme's text colour on ``fill`` if it reaches 4.5:1, else black or white."""
    try:
        if contrast(fill, preferred) >= 4.5:
            return preferred
        return max(("#000000", "#FFFFFF"), key=lambda c: contrast(fill, c))
    except ValueError:
        return preferred
