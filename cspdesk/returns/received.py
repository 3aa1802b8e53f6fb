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
its changes say so, returns.versions.) But a newer version that holds nothing its partner
wrote and would take back everything the earlier ones set cannot be told from the blank return
sent by mistake: its withdrawals are decisions for the officer, unticked, and nothing is merged
from it unless the officer takes some (`--accept-conflicts`, or ticks in the review). A return
merged before that would change nothing now is nothing new: no undo step either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cspdesk.core.plan import ops
from cspdesk.core.plan.words import count, possessive
from cspdesk.returns.compare import AS_SHOWN
from cspdesk.returns.diff import ReturnDiff, WrittenCell
from cspdesk.returns.saved import local_text


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


def takes_all_back(diff: ReturnDiff) -> bool:
    """Whether ``diff`` is a newer version holding nothing its partner wrote whose every change
    takes back what an earlier merged version set (the blank return, or a withdrawal of all)."""
    if not diff.earlier or not diff.changes or not all(c.corrects for c in diff.changes):
        return False
    # A withdrawal's cell holds what the return showed (cleared cells are not written).
    withdrawn = {(c.sheet, c.row, c.column) for c in diff.changes}
    cells = [cell for cell in partner_cells(diff) if cell.where not in withdrawn]
    return not (diff.added or diff.deleted or diff.completed_by or cells)


def takes_all_back_words(diff: ReturnDiff) -> str:
    """What such a version would do, in the officer's words."""
    earlier = diff.merged_file or "the version merged before"
    when = f" (merged on {local_text(diff.merged_at)})" if diff.merged_at else ""
    return (
        f"{diff.file_name} holds nothing written by {diff.lead_name} and would take back "
        f"everything {earlier} said{when}"
    )


def hold_withdrawals(diff: ReturnDiff) -> None:
    """A version taking back all an earlier one set, with nothing written: each withdrawal a
    decision, unticked, saying why (the program must not guess which the partner meant)."""
    if not takes_all_back(diff):
        return
    note = (
        f"{takes_all_back_words(diff)}: take it back only if the partner meant to withdraw it all"
    )
    written = {cell.where for cell in diff.written}
    for change in diff.changes:
        change.conflict, change.accepted, change.note = True, False, note
        where = (change.sheet, change.row, change.column)
        if where in written:  # the partner's words are not in it: it holds what was shown
            diff.kept[where] = AS_SHOWN


def withdrawal_held(diff: ReturnDiff) -> str:
    """Why nothing is merged from a version that would take back everything with nothing
    written, none of whose withdrawals the officer took ("" otherwise)."""
    if not takes_all_back(diff) or diff.accepted():
        return ""
    return f"{takes_all_back_words(diff)}: nothing was merged"


def not_merging(diff: ReturnDiff) -> str:
    """Why nothing is merged from ``diff`` as it stands ("" when something is)."""
    return nothing_written(diff) or withdrawal_held(diff)


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
    said = not_merging(diff)
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
