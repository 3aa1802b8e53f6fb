"""Every cell a partner wrote, accounted for: stored in the workspace, or named to the officer.

The one accounting step of a return, shared by `returns apply` and the merge review. Reading a
return lists the non-empty cells a partner could write (ReturnDiff.written); each is then
either carried by a change, already held by the workspace (ReturnDiff.kept), kept as new work,
or named in a note with its sheet, row and column and why it was not merged. ``account`` adds
a note for any cell nothing else answers for, so no word goes without one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cspdesk.returns.compare import AS_SHOWN
from cspdesk.returns.diff import FieldChange, Problem, ReturnDiff, WrittenCell

NEW_WORK = "new work, kept for you to place in the plan"


@dataclass(frozen=True)
class CellFate:
    cell: WrittenCell
    stored: bool  # the workspace holds the cell's words (or will, once merged)
    why: str
    decided: bool = False  # not stored by the officer's own choice (nothing left to do)


def _change_fate(changes: list[FieldChange]) -> tuple[bool, str, bool]:
    """(stored, why, decided by the officer) for a cell that changes a field."""
    if any(c.accepted for c in changes):
        cut = max(c.cut for c in changes if c.accepted)
        if cut:
            return False, f"merged but for its last {cut:,} characters (named in a note)", False
        return True, "merged", False
    change = changes[0]
    if change.same_as:
        return True, f"the same as in {change.same_as}", False
    if change.superseded_by:
        return False, f"superseded by the newer version {change.superseded_by}", True
    if change.conflict and change.decided:
        return False, "you kept the plan's value", True
    if change.conflict:
        return False, f"waiting for your decision ({change.note})", False
    return False, "not ticked to merge", True


def cell_fates(diff: ReturnDiff) -> list[CellFate]:
    """What became of each cell the partner wrote, as the diff stands (ticks included)."""
    changes: dict[tuple[str, int, str], list[FieldChange]] = defaultdict(list)
    for change in diff.changes:
        if change.row is not None:
            changes[(change.sheet, change.row, change.column)].append(change)
    problems: dict[tuple[str, int | None, str], str] = {}
    for problem in diff.problems:
        problems.setdefault((problem.sheet, problem.row, problem.column), problem.message)
    added = {(row.sheet, row.row) for row in diff.added}
    fates = []
    for cell in diff.written:
        where = cell.where
        decided = bool(diff.superseded_by)  # the partner's newer version stands instead
        shown = diff.kept.get(where) == AS_SHOWN
        if where in changes and not (shown and not any(c.accepted for c in changes[where])):
            stored, why, decided = _change_fate(changes[where])
        elif (cell.sheet, cell.row) in added:
            stored, why = True, NEW_WORK
        elif where in problems or (cell.sheet, cell.row, "") in problems:
            stored = False
            why = problems.get(where) or problems[(cell.sheet, cell.row, "")]
        elif where in diff.kept:
            stored, why = True, diff.kept[where]
        else:
            stored, why = False, ""
        fates.append(CellFate(cell, stored, why, decided))
    return fates


def account(diff: ReturnDiff) -> None:
    """Name every written cell nothing answers for in a note of its own (the safety net)."""
    answered = {(c.sheet, c.row, c.column) for c in diff.changes}
    answered.update(diff.kept)
    rows = {(p.sheet, p.row) for p in diff.problems if not p.column}
    rows.update((row.sheet, row.row) for row in diff.added)
    answered.update((p.sheet, p.row, p.column) for p in diff.problems)
    for cell in diff.written:
        if cell[:3] in answered or cell[:2] in rows:
            continue
        diff.problems.append(
            Problem(
                f"{cell.text[:60]!r} was not merged (cspdesk has no place for it); copy it "
                "into the plan yourself if it is needed",
                cell.sheet,
                cell.row,
                cell.column,
            )
        )


def not_merged(diff: ReturnDiff) -> list[CellFate]:
    """The partner's cells the workspace will not hold after the merge, each with why."""
    return [fate for fate in cell_fates(diff) if not fate.stored]


def left_for_officer(diff: ReturnDiff) -> bool:
    """Whether anything of the return still needs the officer: a decision waiting, or a cell
    not merged that the officer did not choose to leave out."""
    return bool(diff.waiting) or any(not fate.decided for fate in not_merged(diff))
