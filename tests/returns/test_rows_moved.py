"""Rows sorted without their hidden ID column (LibreOffice's "current selection" sort of the
visible columns B:I): each row's words go to the action or milestone whose plan text the
partner read there, with a note; a sheet too shuffled to place is refused.

The All partners Q1 return of the conftest plan: row 2 is action A1, rows 3 and 4 its
milestones M1 ("Campaign one launched", done 20/06/2016, Blue) and M2 ("Campaign two
launched", Green).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from cspdesk.io.gate import ImportRefused
from cspdesk.returns.account import not_merged
from cspdesk.returns.apply import apply_return
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace
from tests.returns.test_partner_habits import M1, M2, done_date, made

pytestmark = pytest.mark.both_engines


def swap_visible(sheet: Worksheet, first: int, second: int) -> None:
    """Swap two rows' visible cells (B to I) as a sort of the visible columns does, leaving
    the hidden ID column A where it was."""
    for column in "BCDEFGHI":
        a, b = sheet[f"{column}{first}"], sheet[f"{column}{second}"]
        a.value, b.value = b.value, a.value
        a.number_format, b.number_format = b.number_format, a.number_format


def sorted_milestones(path: Path, cells: dict[str, object]) -> None:
    """The return with its milestone rows 3 and 4 sorted apart from their IDs, then
    ``cells`` typed in."""
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet.protection.sheet = False
    swap_visible(sheet, 3, 4)  # row 3 (M1's ID) now shows "Campaign two launched"
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)


def test_sorted_visible_columns_credit_the_row_the_partner_read(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = made(workspace, tmp_path)
    sorted_milestones(path, {"I3": dt.datetime(2016, 9, 28), "H3": "Blue"})
    sheet = load_workbook(path)["Actions"]
    assert sheet["C3"].value.strip() == "• Campaign two launched" and sheet["A3"].value == "M1"
    diff = workspace.read(read_return, path)
    found = {(c.kind, c.item_id, c.field): (c.new, c.row) for c in diff.changes}
    assert found == {
        ("milestone", M2, "done_date"): (dt.date(2016, 9, 28), 3),
        ("milestone", M2, "rag"): ("B", 3),
    }
    notes = [p.describe() for p in diff.problems]
    assert notes == [
        "sheet 'Actions', row 3, column C: row 3 shows milestone 2's text but milestone 1's "
        "hidden ID (sorted without the hidden column?): read as milestone 2",
        "sheet 'Actions', row 4, column C: row 4 shows milestone 1's text but milestone 2's "
        "hidden ID (sorted without the hidden column?): read as milestone 1",
    ]
    assert not not_merged(diff) and not diff.deleted
    workspace.write(apply_return, diff)
    assert done_date(workspace, M2) == dt.date(2016, 9, 28)
    assert done_date(workspace, M1) == dt.date(2016, 6, 20)  # as the return showed it


def test_a_sorted_sheet_with_a_row_that_cannot_be_placed_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = made(workspace, tmp_path)
    # Row 4's text is no row's of the return now.
    sorted_milestones(
        path, {"C4": "    • Campaign one launched in May", "I3": dt.datetime(2016, 9, 28)}
    )
    with pytest.raises(ImportRefused) as refused:
        workspace.read(read_return, path)
    assert str(refused.value) == (
        f"{path.name}, sheet 'Actions', row 4, column C: the rows were sorted without the "
        "hidden ID column (row 3 shows milestone 2's text but milestone 1's ID) and row 4 "
        "cannot be placed: its plan text is no row's of the return (edited?); cspdesk cannot "
        "tell which action its words are for: sort the rows back as the return was sent, or "
        "copy the words into a fresh return"
    )


def test_a_plan_edit_alone_is_still_a_note_on_its_own_row(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = made(workspace, tmp_path)
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet["C3"] = "    • Campaign one launched in May"
    sheet["I3"] = dt.datetime(2016, 6, 21)
    book.save(path)
    diff = workspace.read(read_return, path)
    assert [(c.item_id, c.field) for c in diff.changes] == [(M1, "done_date")]
    assert any(p.row == 3 and p.column == "C" for p in diff.problems)
