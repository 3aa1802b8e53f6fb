"""Versions of one return (issue 23): a correction supersedes what the version before it set.

The All partners Q1 return of the conftest plan: row 2 is action A1, row 4 its milestone M2
(Green, no done date); columns G, H and I are the update, the RAG and the done date. The
first version reports M2 done and Blue and gives A1 words; the correction, opened from it,
withdraws all three (the cells cleared, the RAG set back to what the return showed).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Milestone
from cspdesk.returns.account import not_merged
from cspdesk.returns.apply import apply_return, apply_returns
from cspdesk.returns.read import read_return, read_returns
from cspdesk.returns.received import takes_all_back, withdrawal_held
from cspdesk.store.db import Workspace
from tests.returns.test_partner_habits import A1, contribution, fill, made

pytestmark = pytest.mark.both_engines

M2 = 2
FIRST = {"G2": "Campaign held (withdrawn later)", "H4": "Blue", "I4": "15/12/2016"}
WITHDRAWN = {"G2": None, "H4": "Green", "I4": None}


def versions(workspace: Workspace, tmp_path: Path) -> tuple[Path, Path]:
    """The first version and its correction, saved a day apart."""
    source = made(workspace, tmp_path)
    first, correction = tmp_path / "first.xlsx", tmp_path / "correction.xlsx"
    shutil.copy(source, first)
    fill(first, FIRST, saved=dt.datetime(2016, 7, 10, 9, 0))
    shutil.copy(first, correction)
    fill(correction, WITHDRAWN, saved=dt.datetime(2016, 7, 11, 9, 0))
    return first, correction


def milestone(workspace: Workspace) -> tuple[dt.date | None, str | None]:
    return workspace.read(lambda s: (s.get(Milestone, M2).done_date, s.get(Milestone, M2).rag))


def assert_as_made(workspace: Workspace) -> None:
    """The plan as it was before either version: the correction withdrew everything."""
    assert milestone(workspace) == (None, "G")
    said = contribution(workspace, A1)
    assert said is None or (said.text, said.rag) == ("", None), said


def test_a_correction_merged_after_the_original_undoes_what_it_withdrew(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A correction that keeps part of what the first version said: its withdrawals are
    ordinary changes, ticked."""
    first, correction = versions(workspace, tmp_path)
    fill(correction, {"I4": "15/12/2016"}, saved=dt.datetime(2016, 7, 11, 9, 0))
    workspace.write(apply_return, workspace.read(read_return, first))
    assert milestone(workspace) == (dt.date(2016, 12, 15), "B")
    diff = workspace.read(read_return, correction)
    found = {(c.kind, c.item_id, c.field): (c.old, c.new) for c in diff.changes}
    assert ("milestone", M2, "done_date") not in found  # kept as the first version set it
    assert found[("milestone", M2, "rag")] == ("B", "G")
    assert found[("action", A1, "update")] == ("Campaign held (withdrawn later)", "")
    assert not diff.conflicts and all("first.xlsx" in c.note for c in diff.changes), diff.changes
    assert not takes_all_back(diff) and all(c.accepted for c in diff.changes)
    workspace.write(apply_return, diff)
    assert milestone(workspace) == (dt.date(2016, 12, 15), "G")
    said = contribution(workspace, A1)
    assert said is None or (said.text, said.rag) == ("", None), said


def test_a_correction_with_new_words_is_not_held(workspace: Workspace, tmp_path: Path) -> None:
    first, correction = versions(workspace, tmp_path)
    fill(correction, {"G2": "Campaign postponed to Q3"}, saved=dt.datetime(2016, 7, 11, 9, 0))
    workspace.write(apply_return, workspace.read(read_return, first))
    diff = workspace.read(read_return, correction)
    assert not takes_all_back(diff) and not diff.conflicts, diff.changes
    assert all(c.accepted for c in diff.changes)


def test_a_version_taking_everything_back_with_nothing_written_is_a_decision(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Indistinguishable from the blank return sent by mistake: nothing is merged unless the
    officer takes the withdrawals; taken, they undo the first version."""
    first, correction = versions(workspace, tmp_path)
    workspace.write(apply_return, workspace.read(read_return, first))
    diff = workspace.read(read_return, correction)
    found = {(c.kind, c.item_id, c.field): (c.old, c.new) for c in diff.changes}
    assert found[("milestone", M2, "done_date")] == (dt.date(2016, 12, 15), None)
    assert found[("milestone", M2, "rag")] == ("B", "G")
    assert found[("action", A1, "update")] == ("Campaign held (withdrawn later)", "")
    assert takes_all_back(diff)
    assert len(diff.waiting) == len(diff.changes) >= 3 and not diff.accepted(), diff.changes
    words = "correction.xlsx holds nothing written by All partners and would take back "
    assert all(c.note.startswith(words + "everything first.xlsx said") for c in diff.changes)
    assert withdrawal_held(diff).endswith(": nothing was merged")
    assert workspace.write(apply_returns, [diff]).changes == ()  # no undo step
    assert milestone(workspace) == (dt.date(2016, 12, 15), "B")
    assert contribution(workspace, A1).text == FIRST["G2"]

    again = workspace.read(read_return, correction)
    for change in again.changes:
        change.accepted = True  # as --accept-conflicts or ticking them all does
    assert not withdrawal_held(again)
    workspace.write(apply_return, again)
    assert_as_made(workspace)


def test_a_correction_of_a_value_the_officer_changed_since_is_a_decision(
    workspace: Workspace, tmp_path: Path
) -> None:
    first, correction = versions(workspace, tmp_path)
    fill(correction, {"G2": "Campaign held in August"}, saved=dt.datetime(2016, 7, 11, 9, 0))
    workspace.write(apply_return, workspace.read(read_return, first))
    workspace.write(lambda s: ops.edit_field(s, "milestone", M2, "rag", "A"))
    diff = workspace.read(read_return, correction)
    (rag,) = [c for c in diff.changes if c.kind == "milestone" and c.field == "rag"]
    assert (rag.old, rag.new, rag.conflict, rag.accepted) == ("A", "G", True, False)
    assert "first.xlsx" in rag.note
    assert any(f.cell.where == ("Actions", 4, "H") for f in not_merged(diff))
    workspace.write(apply_return, diff)
    assert milestone(workspace) == (None, "A")  # the officer's RAG stands until decided


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_both_versions_in_one_batch_the_newer_stands(
    workspace: Workspace, tmp_path: Path, order: str
) -> None:
    first, correction = versions(workspace, tmp_path)
    paths = [first, correction] if order == "older first" else [correction, first]
    diffs, refused = workspace.read(read_returns, paths)
    assert not refused
    older = next(d for d in diffs if d.file_name == "first.xlsx")
    assert older.superseded_by == "correction.xlsx"
    assert not older.accepted()
    said = " ".join(p.message for p in older.problems)
    assert "superseded by correction.xlsx" in said, said
    assert "10/07/2016 09:00" in said and "11/07/2016 09:00" in said, said
    assert {f.cell.where for f in not_merged(older)} >= {
        ("Actions", 2, "G"),
        ("Actions", 4, "H"),
        ("Actions", 4, "I"),
    }
    workspace.write(apply_returns, diffs)
    assert_as_made(workspace)
