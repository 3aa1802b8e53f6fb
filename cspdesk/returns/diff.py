"""A filled-in partner return compared with the plan: plain data, no Qt, no openpyxl.

io/returns_read.py builds a ReturnDiff per file; the officer (GUI or command line) accepts all,
some or edited changes; core/returns_apply.py writes the accepted ones in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cspdesk.core.plan.model import lead_key_of

# The fields a partner may report, by kind of row.
UPDATE_TEXT = "update"
RAG = "rag"
DONE_DATE = "done_date"
FIELD_LABELS = {UPDATE_TEXT: "update", RAG: "RAG", DONE_DATE: "done date"}
COMPLETED_MARK = ", completed by "  # in a merged return's source: who the cover named


@dataclass
class FieldChange:
    """One field the partner changed: the plan's current value against the return's."""

    kind: str  # "action" or "milestone"
    item_id: int
    action_id: int
    field: str  # UPDATE_TEXT, RAG or DONE_DATE
    item_title: str
    old: Any  # the plan's value now
    new: Any  # the partner's value (the officer may edit it before accepting)
    shown: Any = None  # what the return showed when it was made (None: not known)
    conflict: bool = False  # the plan changed since the return was made
    note: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    accepted: bool = True
    # The lead whose contribution an action field belongs to (core.plan.model.lead_key_of);
    # empty for milestone fields, which belong to the milestone itself.
    lead: str = ""
    # The other version of this field in the same batch (a genuine conflict), if any.
    rival: FieldChange | None = field(default=None, repr=False, compare=False)
    rival_file: str = ""
    decided: bool = False  # a conflict the officer settled for the plan's value
    same_as: str = ""  # the same value is taken from this other file of the batch
    disagree: bool = False  # with this RAG the action's leads would disagree
    corrects: bool = False  # undoes or replaces what an earlier version of the return set
    superseded_by: str = ""  # a newer version of the return in the batch stands instead
    cut: int = 0  # characters beyond an Excel cell's limit left out of the new text

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.kind, self.item_id, self.field, self.lead)

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


class WrittenCell(NamedTuple):
    """A non-empty cell of the return a partner could write: an editable column, a column
    outside the return's, a new-work row. Each is stored or named to the officer.
    (A named tuple: a large batch lists tens of thousands.)"""

    sheet: str
    row: int
    column: str  # letter
    value: object  # as read

    @property
    def where(self) -> tuple[str, int, str]:
        return (self.sheet, self.row, self.column)

    @property
    def text(self) -> str:
        from cspdesk.returns.cells import cell_text

        return cell_text(self.value)


@dataclass
class AddedRow:
    """A row the partner added (no cspdesk id): new work, kept for the officer to place."""

    row: int
    values: dict[str, str]  # column heading -> text
    sheet: str = ""

    def describe(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.values.items() if v)


@dataclass
class DeletedRow:
    kind: str
    item_id: int
    title: str


@dataclass
class Problem:
    """Something in the file that was tolerated but needs the officer's eye."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def describe(self) -> str:
        where = [
            w
            for w in (
                self.sheet and f"sheet {self.sheet!r}",
                self.row and f"row {self.row}",
                self.column and f"column {self.column}",
            )
            if w
        ]
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ReturnDiff:
    """Everything one return file would change, and everything odd found in it."""

    path: str
    file_name: str
    token: str
    record_id: int
    plan_id: int
    plan_year: str
    quarter: int
    agency_id: int | None
    lead_name: str
    made_at: dt.datetime
    changes: list[FieldChange] = field(default_factory=list)
    added: list[AddedRow] = field(default_factory=list)
    deleted: list[DeletedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    merged_at: dt.datetime | None = None  # this return was already merged once
    merged_file: str = ""
    plan_quarter: int = 0  # the plan's current quarter when the return was read
    refs: dict[int, str] = field(default_factory=dict)  # action id -> "2.1.3"
    written: list[WrittenCell] = field(default_factory=list)
    # Cells whose words the workspace holds already (WrittenCell.where -> how).
    kept: dict[tuple[str, int, str], str] = field(default_factory=dict)
    saved_at: dt.datetime | None = None  # when the workbook was last saved (its properties)
    completed_by: str = ""  # "organisation, name" from the cover
    # A shared return ("All partners") filled in by one organisation in its own copy: its
    # words and RAGs are that organisation's part of each action (returns.parts).
    part_agency_id: int | None = None
    part_name: str = ""
    # What earlier merged versions of this return set (returns.versions.Earlier).
    earlier: dict[tuple[str, int, str, str], tuple[Any, Any]] = field(default_factory=dict)
    superseded_by: str = ""  # the newer version of this return in the same batch

    @property
    def credit_agency(self) -> int | None:
        """The agency whose part of an action this return's words are."""
        return self.part_agency_id if self.part_name else self.agency_id

    @property
    def credit_name(self) -> str:
        return self.part_name or self.lead_name

    @property
    def credit_key(self) -> str:
        return lead_key_of(self.credit_agency)

    @property
    def leftover(self) -> bool:
        """The return is for a quarter before the one the plan is in now."""
        return bool(self.plan_quarter) and self.quarter < self.plan_quarter

    def ref(self, change: FieldChange) -> str:
        return self.refs.get(change.action_id, f"A{change.action_id}")

    @property
    def waiting(self) -> list[FieldChange]:
        """Conflicts the officer has not decided yet."""
        return [c for c in self.changes if c.conflict and not c.accepted and not c.decided]

    @property
    def who(self) -> str:
        """The source of everything merged from this file, as history and contributions keep
        it: whose return, which file, and who the cover says completed it."""
        by = f"{COMPLETED_MARK}{self.completed_by}" if self.completed_by else ""
        return f"return: {self.lead_name} {self.file_name}{by}"

    @property
    def conflicts(self) -> list[FieldChange]:
        return [c for c in self.changes if c.conflict]

    def accepted(self) -> list[FieldChange]:
        return [c for c in self.changes if c.accepted]


def mark_batch(diffs: list[ReturnDiff]) -> None:
    """The one batch policy, for the merge review and `returns apply` alike.

    Each lead's contributions are its own, so two leads reporting on one action never clash.
    What does clash is the same field given two different values in one batch: two versions
    of one lead's return (action fields), or two leads' returns on one milestone. Both become
    conflicts, each knowing the other, and neither is taken until the officer decides. The same
    value twice is taken once.
    """
    seen: dict[tuple[str, int, str, str], tuple[ReturnDiff, FieldChange]] = {}
    for diff in diffs:
        if diff.superseded_by:
            continue  # none of an older version's changes is merged (returns.versions)
        for change in diff.changes:
            other = seen.get(change.key)
            if other is None:
                seen[change.key] = (diff, change)
                continue
            other_diff, other_change = other
            if other_diff is diff:
                continue  # two sheets of one file: returns.copies made it a decision already
            if other_change.new == change.new:
                change.accepted = False
                change.same_as = other_diff.file_name
                change.note = _join(change.note, f"the same as in {other_diff.file_name}")
                continue
            who = _whose(diff, other_diff)
            for a, b, b_diff in (
                (change, other_change, other_diff),
                (other_change, change, diff),
            ):
                a.conflict, a.accepted = True, False
                a.rival, a.rival_file = b, b_diff.file_name
                a.note = _join(a.note, f"{who} ({b_diff.file_name}) says otherwise")


def _whose(diff: ReturnDiff, other: ReturnDiff) -> str:
    """What the other file of a clash is to this one."""
    if other.record_id != diff.record_id:
        return "another lead's return"
    if diff.completed_by and other.completed_by and diff.completed_by != other.completed_by:
        return "another copy of this return"  # a shared return answered by two partners
    return "another version of this return"


def _join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)
