"""A copy of the return's sheet a partner filled in ("Actions (2)"): read like the sheet itself.

The copy's changes join the return's. Where the original was left untouched they are simply
the return's changes; where the original and the copy give one field different values, both
are shown as a decision (a conflict, neither taken until the officer chooses).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from cspdesk.returns.compare import SheetRead
from cspdesk.returns.diff import Problem, ReturnDiff


def fold_copy(diff: ReturnDiff, copy: SheetRead, compare: Callable[[ReturnDiff], None]) -> None:
    """Compare ``copy`` (``compare`` fills a fresh diff) and fold what it says into ``diff``."""
    scratch = dataclasses.replace(
        diff, changes=[], added=[], deleted=[], problems=[], written=[], kept={}
    )
    compare(scratch)
    mine = {change.key: change for change in diff.changes}
    for change in scratch.changes:
        other = mine.get(change.key)
        from_copy = f"from the copy {copy.name!r}"
        if other is None:
            change.note = "; ".join(n for n in (from_copy, change.note) if n)
            diff.changes.append(change)
            mine[change.key] = change
        elif other.new == change.new:
            same = f"the same as sheet {other.sheet!r}, row {other.row}"
            if other.accepted:
                diff.kept[(copy.name, change.row or 0, change.column)] = same
            else:
                scratch.problems.append(
                    Problem(f"{same} (see there)", copy.name, change.row, change.column)
                )
        else:
            for a, b in ((change, other), (other, change)):
                a.conflict, a.accepted = True, False
                a.rival, a.rival_file = b, f"sheet {b.sheet!r}"
                a.note = "; ".join(
                    n for n in (a.note, f"sheet {b.sheet!r} of this file says otherwise") if n
                )
            diff.changes.append(change)
    diff.problems += scratch.problems
    diff.added += scratch.added
    diff.written += scratch.written
    diff.kept.update({k: v for k, v in scratch.kept.items() if k not in diff.kept})
    gone = {(row.kind, row.item_id) for row in scratch.deleted}
    diff.deleted = [row for row in diff.deleted if (row.kind, row.item_id) in gone]
