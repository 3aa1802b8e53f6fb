"""A plan read from a file but not yet written: the tree, the column mapping and the problems.

Plain data, no Qt and no database: the import preview shows it, ``plan_apply`` writes it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cspdesk.core.leads.directory import DirAgency, Directory, DirOfficer, LeadKey, LeadReading

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


_KINDS = (
    (r"^column .* is not imported", "Columns not imported"),
    (r"kept in the action's notes", "Kept as notes"),
    (r"one sheet per quarter", "Quarters"),
    (r"^title row", "Title rows not imported"),
    (r"rag read from the cell colour", "RAG read from cell colours"),
    (r"outside the table", "Rows outside the table's columns"),
    (r"^row has no action", "Rows without an action"),
    (r"formula", "Formulas"),
    (r"^the sheet is empty|sheet skipped|; skipped", "Sheets skipped"),
    (r"^milestone", "Milestones"),
    (r"lead", "Leads"),
    (r"date|not a date|timescale", "Dates"),
    (r"rag|status", "RAG"),
)


# How much each level matters to the officer: what did not come in, then the guesses the reader
# made (a quarter assumed, a date read as ...), then cosmetic notes.
LEVEL_RANK = {"lost": 0, "error": 0, "warning": 1, "note": 2}
LEVEL_GROUP = {"error": "Errors", "warning": "Guesses and warnings", "note": "Notes"}


@dataclass(frozen=True)
class Problem:
    """Something the user should know, located by sheet, row (1-based) and column letter."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # "lost" (a cell or sheet not imported), "error", "warning" (a guess), "note" (cosmetic)
    level: str = "warning"

    def where(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    @property
    def kind(self) -> str:
        """The group the preview lists it under ("Not imported", "Columns not imported",
        "Dates"...)."""
        if self.level == "lost":
            return "Not imported"
        text = self.message.casefold()
        for needle, kind in _KINDS:
            if re.search(needle, text):
                return kind
        return {"error": "Other errors", "warning": "Other warnings"}.get(self.level, "Other notes")

    def describe(self) -> str:
        where = self.where()
        level = "not imported" if self.level == "lost" else self.level
        return f"{level}: {where}: {self.message}" if where else f"{level}: {self.message}"


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
    lead_texts: list[str] = field(default_factory=list)  # the lead cells as written
    rag_column: bool = False  # its table has a RAG column of its own
    milestones: list[MilestoneDraft] = field(default_factory=list)
    updates: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # quarter -> text, rag
    notes: str = ""  # cells of columns the reader has no field for: "Internal notes: chased 12/4"
    # Start and due cells typed as text, read once the plan's year is known (io/typed_dates).
    date_texts: dict[str, str] = field(default_factory=dict)
    ref: str = ""  # the action's reference ("1.2.3"), to match it across quarter sheets
    sheet: str = ""
    row: int = 0

    def add_note(self, label: str, text: str) -> None:
        line = f"{label}: {text}" if label else text
        if line not in self.notes.split("\n"):
            self.notes = f"{self.notes}\n{line}" if self.notes else line


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
class SheetLedger:
    """Where every non-empty cell of a sheet read went: stored somewhere in the draft, or listed
    as not imported. Cells are kept as ``cell_key(row, column)`` (0-based): plain ints, which
    the garbage collector need not walk (a 10,000-action plan has 300,000 of them)."""

    stored: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)

    def cells(self, which: str) -> set[tuple[int, int]]:
        """The "stored" or "lost" cells as (row, column)."""
        return {divmod(key, CELL_ROW) for key in getattr(self, which)}


CELL_ROW = 1 << 16  # more than a sheet's columns (16,384)


def cell_key(row: int, column: int) -> int:
    return row * CELL_ROW + column


@dataclass
class PlanDraft:
    source: str
    year: str | None = None
    title: str = ""
    version_label: str = ""
    partnership: str = ""  # "Castle Point and Rochford Community Safety Partnership"
    introduction: str = ""
    current_quarter: int = 1
    priorities: list[PriorityDraft] = field(default_factory=list)
    mappings: list[SheetMapping] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    directory: Directory = field(default_factory=Directory)
    # Each distinct lead text and what it becomes; the ones the officer chose (to keep as aliases).
    lead_table: dict[str, LeadReading] = field(default_factory=dict)
    lead_choices: dict[str, LeadReading] = field(default_factory=dict)
    # ("agency" | "officer", key) named in a sheet of agencies and officers: created even unused.
    listed: set[tuple[str, int]] = field(default_factory=set)
    ledger: dict[str, SheetLedger] = field(default_factory=dict)

    def used_keys(self) -> tuple[set[int], set[int]]:
        """The agency and officer keys the actions' leads use (with the officers' agencies)."""
        agencies: set[int] = set()
        officers: set[int] = set()
        for action in self.actions():
            for agency_key, officer_key in action.leads:
                if agency_key is not None:
                    agencies.add(agency_key)
                if officer_key is not None:
                    officers.add(officer_key)
        for key in officers:
            agency_key = self.directory.officers[key].agency_key
            if agency_key is not None:
                agencies.add(agency_key)
        agencies |= {key for kind, key in self.listed if kind == "agency"}
        officers |= {key for kind, key in self.listed if kind == "officer"}
        for reading in self.lead_choices.values():
            for agency_key, officer_key in reading.leads:
                agencies |= {agency_key} if agency_key is not None else set()
                officers |= {officer_key} if officer_key is not None else set()
        return agencies, officers

    def new_agencies(self) -> list[DirAgency]:
        """The agencies the import will create: new ones that some lead uses."""
        used = self.used_keys()[0]
        return [a for a in self.directory.new_agencies() if a.key in used]

    def new_officers(self) -> list[DirOfficer]:
        used = self.used_keys()[1]
        return [o for o in self.directory.new_officers() if o.key in used]

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
            "new agencies": len(self.new_agencies()),
            "new officers": len(self.new_officers()),
            "updates": sum(len(a.updates) for a in actions),
            "notes kept": sum(1 for a in actions if a.notes),
            "cells not imported": sum(len(ledger.lost) for ledger in self.ledger.values()),
        }

    def problem_groups(self) -> list[tuple[str, list[Problem]]]:
        """The problems by kind: what was not imported first, then guesses, then notes; each
        group in the order found."""
        groups: dict[str, list[Problem]] = {}
        for problem in sorted(self.problems, key=lambda p: LEVEL_RANK.get(p.level, 3)):
            kind = problem.kind
            if problem.level in LEVEL_GROUP:
                kind = f"{LEVEL_GROUP[problem.level]}: {kind}"
            groups.setdefault(kind, []).append(problem)
        return list(groups.items())

    def add_problem(
        self,
        message: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        level: str = "warning",
    ) -> None:
        self.problems.append(Problem(message, sheet, row, column, level))
