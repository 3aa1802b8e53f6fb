"""A plan read from a file but not yet written: the tree, the column mapping and the problems.

Plain data, no Qt and no database: the import preview shows it, ``plan_apply`` writes it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cspdesk.core.leads import Directory, LeadKey

PRIORITY_TEXT_FIELDS = (
    "sub_themes",
    "indicators",
    "baseline",
    "target",
    "lead_agencies",
    "resources",
    "key_risks",
    "mitigations",
)


@dataclass(frozen=True)
class Problem:
    """Something the user should know, located by sheet, row (1-based) and column letter."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    level: str = "warning"  # "error" (row not imported), "warning", "note"

    def where(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def describe(self) -> str:
        where = self.where()
        return (
            f"{self.level}: {where}: {self.message}" if where else f"{self.level}: {self.message}"
        )


@dataclass
class MilestoneDraft:
    title: str
    due_date: dt.date | None = None
    done_date: dt.date | None = None
    rag: str | None = None


@dataclass
class ActionDraft:
    title: str
    outcomes: str = ""
    timescale: str = ""
    start_date: dt.date | None = None
    due_date: dt.date | None = None
    rag: str | None = None
    lead_note: str = ""
    leads: list[LeadKey] = field(default_factory=list)
    milestones: list[MilestoneDraft] = field(default_factory=list)
    updates: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # quarter -> text, rag
    sheet: str = ""
    row: int = 0


@dataclass
class ObjectiveDraft:
    title: str
    actions: list[ActionDraft] = field(default_factory=list)


@dataclass
class PriorityDraft:
    title: str
    fields: dict[str, str] = field(default_factory=dict)
    objectives: list[ObjectiveDraft] = field(default_factory=list)
    sheet: str = ""


@dataclass
class SheetMapping:
    """The header row of one table and the field each column was mapped to (None: ignored)."""

    sheet: str
    header_row: int  # 1-based
    headers: list[str]
    fields: list[str | None]
    kind: str = "plan"  # "plan", "directory", "flat"


@dataclass
class PlanDraft:
    source: str
    year: str | None = None
    title: str = ""
    version_label: str = ""
    current_quarter: int = 1
    priorities: list[PriorityDraft] = field(default_factory=list)
    mappings: list[SheetMapping] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    directory: Directory = field(default_factory=Directory)

    def actions(self) -> list[ActionDraft]:
        return [a for p in self.priorities for o in p.objectives for a in o.actions]

    def counts(self) -> dict[str, int]:
        actions = self.actions()
        return {
            "priorities": len(self.priorities),
            "objectives": sum(len(p.objectives) for p in self.priorities),
            "actions": len(actions),
            "milestones": sum(len(a.milestones) for a in actions),
            "leads": sum(len(a.leads) for a in actions),
            "new agencies": len(self.directory.new_agencies()),
            "new officers": len(self.directory.new_officers()),
            "updates": sum(len(a.updates) for a in actions),
        }

    def add_problem(
        self,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        level: str = "warning",
    ) -> None:
        self.problems.append(Problem(message, sheet, row, column, level))
