"""Whether a return read back is a return received: the one rule for the merge review,
`returns apply` and so the chase list (a lead is chased until a return of theirs is merged).

A return is received when its partner wrote something in it. What they wrote is known from
the accounting (returns.account): the non-empty cells they could write (ReturnDiff.written)
less those still as the return showed them when it was made, and what a diff carries beyond
cells (a cell cleared is a change; rows of new work; rows deleted, which answer too; the
cover's "Completed by", which the record keeps). So words typed that are all the plan's
already ("no change this quarter") are a return received, though they change nothing; the
blank return as made, or saved again unchanged, is not: nothing is merged from it, nothing
recorded, no undo step, and its lead is still chased. (A version saved after one already
merged that takes back what it set is an answer, even when it is back to the return as made:
its changes say so, returns.versions.) A return merged before that would change nothing now
is nothing new: no undo step either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cspdesk.core.plan import ops
from cspdesk.core.plan.words import count, possessive
from cspdesk.returns.compare import AS_SHOWN
from cspdesk.returns.diff import ReturnDiff, WrittenCell


def partner_cells(diff: ReturnDiff) -> list[WrittenCell]:
    """The cells of the return its partner wrote (not as the return showed them)."""
    return [cell for cell in diff.written if diff.kept.get(cell.where) != AS_SHOWN]


def partner_wrote(diff: ReturnDiff) -> bool:
    """Whether the file holds anything written by the partner: a return received."""
    return bool(
        diff.changes or diff.added or diff.deleted or diff.completed_by or partner_cells(diff)
    )


def nothing_written(diff: ReturnDiff) -> str:
    """Why nothing is merged from a file its partner wrote nothing in ("" when they did)."""
    if partner_wrote(diff):
        return ""
    return (
        f"Nothing to merge: {diff.file_name} holds nothing written by {diff.lead_name} "
        "(is it the file you sent?)"
    )


def nothing_new(
    diff: ReturnDiff, merged_at: dt.datetime | None = None, merged_file: str = ""
) -> str:
    """What merging a return merged before (on ``merged_at``, from ``merged_file``; default:
    as read), that changes nothing now, is said to do."""
    merged_at = merged_at or diff.merged_at
    merged_file = merged_file or diff.merged_file
    when = f"merged on {merged_at:%d/%m/%Y}" if merged_at else "merged before"
    if merged_file and merged_file != diff.file_name:
        when += f" from {merged_file}"
    if diff.changes:  # changes shown, none of them accepted
        return f"Nothing merged from {diff.file_name}: none of its changes was accepted ({when})"
    return f"Nothing new in {diff.file_name} ({when})"


def nothing_to_merge(diff: ReturnDiff) -> str:
    """What the review says before merging of a file nothing will be merged from ("" when
    something may be): nothing written, or a return merged before that shows no change."""
    said = nothing_written(diff)
    if said or diff.merged_at is None or diff.changes or diff.added:
        return said
    return nothing_new(diff)


@dataclass
class Merged:
    """What merging a batch of returns truly did."""

    change: ops.ChangeSet  # one undo step (no parts when nothing was merged)
    received: list[tuple[ReturnDiff, int]] = field(default_factory=list)  # (return, changes)
    skipped: list[tuple[ReturnDiff, str]] = field(default_factory=list)  # (return, why)
    new_work: int = 0  # rows of new work kept for the officer to place

    def said(self, diff: ReturnDiff) -> str:
        """Why nothing was merged from ``diff`` ("" when it was merged)."""
        return next((why for skipped, why in self.skipped if skipped is diff), "")


def merged_words(merged: Merged, placed: int = 0, saved: str = "") -> str:
    """What a merge did, in a sentence or a few: counts of what was truly merged, the returns
    recorded as received, and why nothing was merged from each of the others. ``placed``: new
    rows placed in the plan with it; ``saved``: said after what was merged, when anything was."""
    did = []
    if merged.received:
        taken = sum(number for _, number in merged.received)
        returns = count(len(merged.received), "partner return")
        said = f"Merged {count(taken, 'change')} from {returns}"
        idle = [diff for diff, number in merged.received if not number]
        if idle:
            names = ", ".join(possessive(diff.lead_name) for diff in idle)
            noun = "return" if len(idle) == 1 else "returns"
            said += f" ({names} {noun} recorded as received, with no change merged)"
        did.append(said)
    if merged.new_work:
        did.append(f"kept {count(merged.new_work, 'row')} of new work for you to place")
    if placed:
        did.append(f"placed {count(placed, 'new row')} in the plan")
    sentences = []
    if did:
        first = ", ".join(did)
        sentences.append(f"{first[0].upper()}{first[1:]}{' and ' + saved if saved else ''}.")
    blank = [diff for diff, _ in merged.skipped if nothing_written(diff)]
    if len(blank) > 1:  # one sentence, short enough for a status bar
        names = ", ".join(diff.lead_name for diff in blank)
        sentences.append(
            f"Nothing to merge from {len(blank)} returns: nothing in them was written by "
            f"{names} (are they the files you sent?)."
        )
    grouped = {id(diff) for diff in blank} if len(blank) > 1 else set()
    sentences += [f"{why}." for diff, why in merged.skipped if id(diff) not in grouped]
    return " ".join(sentences)
