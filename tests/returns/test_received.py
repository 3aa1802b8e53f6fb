"""A return is received when its partner wrote something in it (returns.received): the blank
return as made is not merged, records nothing and its lead is still chased; a return merged
before that changes nothing now is nothing new."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from cspdesk.core.plan.model import HistoryEntry, ReturnRecord
from cspdesk.core.quarter.contributions import ContributionValue, write_contributions
from cspdesk.returns.apply import apply_return, merge_returns
from cspdesk.returns.chase import LATE, RETURNED, chase_list
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_returns
from cspdesk.returns.received import merged_words, nothing_to_merge, partner_wrote
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

POLICE = 1
A_DAYS = 3  # Essex Police's one action; row 2 of its return, shown with the RAG Red
BLANK_POLICE = (
    "Nothing to merge: 2016-17 Q1 return – Essex Police.xlsx holds nothing written by "
    "Essex Police (is it the file you sent?)"
)


def made(workspace: Workspace, tmp_path: Path) -> dict[str, Path]:
    return {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}


def edit(path: Path, *cells: tuple[str, str, object]) -> None:
    book = load_workbook(path)
    for sheet, cell, value in cells:
        book[sheet][cell] = value
    book.save(path)


def record(workspace: Workspace, lead: str) -> ReturnRecord:
    return workspace.read(
        lambda s: s.scalars(select(ReturnRecord).where(ReturnRecord.lead_name == lead)).one()
    )


def status(workspace: Workspace, lead: str) -> str:
    import datetime as dt

    rows = workspace.read(chase_list, 1, 1, dt.date(2016, 8, 1))  # after the due date
    return next(row.status for row in rows if row.lead == lead)


def history(workspace: Workspace) -> int:
    return workspace.read(lambda s: s.scalar(select(func.count()).select_from(HistoryEntry)))


def untouched(path: Path) -> None:
    """Opened and saved again, nothing typed (as a partner who sends the blank file back)."""
    load_workbook(path).save(path)


def relabelled_rag(path: Path) -> None:
    """The RAG the return showed typed again, the same."""
    edit(path, ("Actions", "H2", "Red"))


def signed(path: Path) -> None:
    edit(path, ("Cover", "B8", "Essex Police"), ("Cover", "B9", "Pat Partner"))


def cover_note(path: Path) -> None:
    edit(path, ("Cover", "D3", "Nothing to report this quarter, sorry"))


def row_deleted(path: Path) -> None:
    book = load_workbook(path)
    book["Actions"].delete_rows(2)
    book.save(path)


def update_typed(path: Path) -> None:
    edit(path, ("Actions", "G2", "Two days of action held"))


@pytest.mark.parametrize(
    ("fill", "received"),
    [
        (untouched, False),
        (relabelled_rag, False),
        (signed, True),  # the record keeps who completed it: never lost
        (cover_note, True),  # listed as not merged, but the partner did answer
        (row_deleted, True),
        (update_typed, True),
    ],
)
def test_a_return_is_received_when_its_partner_wrote_something(
    workspace: Workspace, tmp_path: Path, fill: Callable[[Path], None], received: bool
) -> None:
    police = made(workspace, tmp_path)["Essex Police"]
    fill(police)
    (diff,), refused = workspace.read(read_returns, [police], plan_id=1)
    assert refused == []
    assert partner_wrote(diff) is received
    assert (nothing_to_merge(diff) == BLANK_POLICE) is not received
    before = history(workspace)
    merged = workspace.write(merge_returns, [diff])
    assert bool(merged.change.changes) is received
    assert (record(workspace, "Essex Police").merged_at is not None) is received
    assert status(workspace, "Essex Police") == (RETURNED if received else LATE)
    if not received:
        assert merged.skipped == [(diff, BLANK_POLICE)] and merged.received == []
        assert merged_words(merged) == f"{BLANK_POLICE}."
        assert history(workspace) == before


def test_words_all_the_same_as_the_plan_are_a_return_received(
    workspace: Workspace, tmp_path: Path
) -> None:
    police = made(workspace, tmp_path)["Essex Police"]
    # The officer typed Essex Police's part after the return went out; the partner typed the
    # same words: nothing changes, but the partner answered and is no longer chased.
    words = ContributionValue("No change this quarter", None, "Essex Police", POLICE)
    workspace.write(write_contributions, {(A_DAYS, 1, "agency:1"): words})
    edit(police, ("Actions", "G2", "No change this quarter"))
    (diff,), _ = workspace.read(read_returns, [police], plan_id=1)
    assert diff.changes == [] and partner_wrote(diff) and nothing_to_merge(diff) == ""
    merged = workspace.write(merge_returns, [diff])
    assert merged.received == [(diff, 0)] and merged.skipped == []
    assert merged_words(merged, saved="saved") == (
        "Merged 0 changes from 1 partner return (Essex Police's return recorded as received, "
        "with no change merged) and saved."
    )
    assert status(workspace, "Essex Police") == RETURNED


def test_a_return_merged_before_is_nothing_new(workspace: Workspace, tmp_path: Path) -> None:
    files = made(workspace, tmp_path)
    police = files["Essex Police"]
    update_typed(police)
    first = workspace.write(merge_returns, workspace.read(read_returns, [police], plan_id=1)[0])
    assert [number for _, number in first.received] == [2]  # the update and its RAG
    assert merged_words(first) == "Merged 2 changes from 1 partner return."
    merged_at = record(workspace, "Essex Police").merged_at
    before = history(workspace)

    (again, blank), _ = workspace.read(
        read_returns, [police, files["Rochford District Council"]], plan_id=1
    )
    when = f"merged on {merged_at:%d/%m/%Y}"
    said = f"Nothing new in 2016-17 Q1 return – Essex Police.xlsx ({when})"
    assert nothing_to_merge(again) == said
    merged = workspace.write(merge_returns, [again, blank])
    assert merged.change.changes == () and merged.received == []
    assert [why for _, why in merged.skipped] == [said, nothing_to_merge(blank)]
    assert merged_words(merged).startswith(f"{said}. Nothing to merge: 2016-17 Q1 return – ")
    assert record(workspace, "Essex Police").merged_at == merged_at
    assert history(workspace) == before

    # One return alone, as the lower-level call merges it, follows the same rule.
    (again,), _ = workspace.read(read_returns, [police], plan_id=1)
    assert workspace.write(apply_return, again).changes == ()
    assert record(workspace, "Essex Police").merged_at == merged_at


def test_several_blank_returns_are_said_in_one_sentence(
    workspace: Workspace, tmp_path: Path
) -> None:
    files = made(workspace, tmp_path)
    diffs, _ = workspace.read(
        read_returns, [files["Essex Police"], files["Rochford District Council"]], plan_id=1
    )
    merged = workspace.write(merge_returns, diffs)
    assert merged.change.changes == () and len(merged.skipped) == 2
    assert merged_words(merged) == (
        "Nothing to merge from 2 returns: nothing in them was written by Essex Police, "
        "Rochford District Council (are they the files you sent?)."
    )
