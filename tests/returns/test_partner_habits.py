"""Returns as partners really return them: each habit merges with every word stored or named.

The All partners Q1 return of the conftest plan: row 2 is action A1, rows 3 and 4 its
milestones M1 (done 20/06/2016, Blue) and M2 (Green); columns G, H and I are the update, the
RAG and the done date; rows 5 to 19 are for new work.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from cspdesk.core.plan.model import Agency, Contribution, Milestone, ReturnNewWork, ReturnRecord
from cspdesk.io.gate import ImportRefused
from cspdesk.returns.account import cell_fates, not_merged
from cspdesk.returns.apply import apply_return, apply_returns
from cspdesk.returns.chase import chase_list
from cspdesk.returns.make import make_returns
from cspdesk.returns.place import Placement, place_added_row
from cspdesk.returns.read import read_return, read_returns
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

ALL = "All partners"
A1, M1, M2 = 1, 1, 2


def made(workspace: Workspace, tmp_path: Path, lead: str = ALL) -> Path:
    out = tmp_path / "returns"
    out.mkdir(exist_ok=True)
    return {m.lead.name: m.path for m in make_returns(workspace, 1, 1, out)}[lead]


def fill(path: Path, cells: dict[str, object], *, saved: dt.datetime | None = None) -> None:
    book = load_workbook(path)
    sheet = book["Actions"]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    if saved is not None:
        saved_on(path, saved)


def rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, change(data) if item.filename == member else data)
    temp.replace(path)


def saved_on(path: Path, when: dt.datetime) -> None:
    """The saved time in the document properties, as Excel writes it (openpyxl writes now)."""
    stamp = f"{when:%Y-%m-%dT%H:%M:%SZ}".encode()
    rewrite(
        path,
        "docProps/core.xml",
        lambda data: re.sub(
            rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
            rb"\g<1>" + stamp + rb"\g<2>",
            data,
        ),
    )


def contribution(workspace: Workspace, action_id: int = A1) -> Contribution | None:
    return workspace.read(
        lambda s: s.scalars(
            select(Contribution).where(
                Contribution.action_id == action_id, Contribution.quarter == 1
            )
        ).one_or_none()
    )


def done_date(workspace: Workspace, milestone_id: int) -> dt.date | None:
    return workspace.read(lambda s: s.get(Milestone, milestone_id).done_date)


def test_a_deleted_done_date_column_clears_nothing(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet.protection.sheet = False
    sheet.delete_cols(9)  # "Done date"
    sheet["G2"] = "Campaign two booked"
    book.save(path)
    diff = workspace.read(read_return, path)
    assert {(c.kind, c.field) for c in diff.changes} == {("action", "update"), ("action", "rag")}
    assert any("'Done date' column is not in this sheet" in p.message for p in diff.problems)
    workspace.write(apply_return, diff)
    assert done_date(workspace, M1) == dt.date(2016, 6, 20)
    assert contribution(workspace).text == "Campaign two booked"


def test_a_filled_copy_of_the_sheet_is_merged(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    book = load_workbook(path)
    copy = book.copy_worksheet(book["Actions"])
    copy.title = "Actions (2)"
    copy["G2"] = "Filled in on the copy"
    copy["I4"] = "01/12/2016"
    book.save(path)
    diff = workspace.read(read_return, path)
    found = {(c.kind, c.item_id, c.field): (c.new, c.sheet) for c in diff.changes}
    assert found[("action", A1, "update")] == ("Filled in on the copy", "Actions (2)")
    assert found[("milestone", M2, "done_date")] == (dt.date(2016, 12, 1), "Actions (2)")
    assert not diff.conflicts and not not_merged(diff)
    workspace.write(apply_return, diff)
    assert contribution(workspace).text == "Filled in on the copy"


def test_original_and_copy_saying_different_things_is_a_decision(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = made(workspace, tmp_path)
    book = load_workbook(path)
    copy = book.copy_worksheet(book["Actions"])
    copy.title = "Actions (2)"
    book["Actions"]["G2"] = "First draft"
    copy["G2"] = "Second draft"
    book.save(path)
    diff = workspace.read(read_return, path)
    updates = [c for c in diff.changes if c.field == "update"]
    assert {c.new for c in updates} == {"First draft", "Second draft"}
    assert all(c.conflict and not c.accepted and c.rival is not None for c in updates)
    left = {(f.cell.sheet, f.cell.text) for f in not_merged(diff)}
    assert left == {("Actions", "First draft"), ("Actions (2)", "Second draft")}


def lo_far_row(data: bytes) -> bytes:
    """What LibreOffice writes after a row is deleted: an empty last row, a full dimension."""
    data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:I1048576"/>', data)
    return data.replace(
        b"</sheetData>",
        b'<row r="1048576" customFormat="false" ht="12.8" hidden="false" '
        b'customHeight="false" outlineLevel="0" collapsed="false"></row></sheetData>',
    )


def test_libreoffice_far_row_is_not_counted(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"G2": "Saved by LibreOffice"})
    rewrite(path, "xl/worksheets/sheet2.xml", lo_far_row)
    diff = workspace.read(read_return, path)
    assert [c.new for c in diff.changes if c.field == "update"] == ["Saved by LibreOffice"]


def test_an_answer_in_a_word_is_kept_as_words(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"G2": "On track", "H2": None})
    diff = workspace.read(read_return, path)
    found = {c.field: c.new for c in diff.changes}
    assert found == {"update": "On track", "rag": "G"}
    assert any("read as the RAG status too" in p.message for p in diff.problems)
    workspace.write(apply_return, diff)
    said = contribution(workspace)
    assert (said.text, said.rag) == ("On track", "G")


def test_a_status_word_beside_a_rag_is_only_words(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"G2": "Done", "H2": "Amber"})
    diff = workspace.read(read_return, path)
    assert {c.field: c.new for c in diff.changes} == {"update": "Done", "rag": "A"}


def test_blank_rag_is_no_rag_given(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"G2": "Campaign two booked for December", "H2": None})
    diff = workspace.read(read_return, path)
    (change,) = diff.changes
    assert change.field == "update" and "no RAG given" in change.note
    workspace.write(apply_return, diff)
    assert contribution(workspace).rag is None


def test_two_statuses_take_the_less_favourable(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"H2": "Amber/Red", "H4": "green or amber"})
    diff = workspace.read(read_return, path)
    found = {(c.kind, c.field): c.new for c in diff.changes}
    assert found[("action", "rag")] == "R" and found[("milestone", "rag")] == "A"
    notes = [p.describe() for p in diff.problems]
    assert (
        "sheet 'Actions', row 2, column H: 'Amber/Red' names two statuses: the less "
        "favourable, Red, was taken" in notes
    )


def test_word_line_breaks_become_line_breaks(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"G2": "First line_x000B_Second line"})  # as Excel keeps pasted Word text
    diff = workspace.read(read_return, path)
    workspace.write(apply_return, diff)
    assert contribution(workspace).text == "First line\nSecond line"


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("plan_id", float("nan"), "the return's stamp has been altered"),
        ("quarter", float("inf"), "the return's stamp has been altered"),
        ("manifest", 3.5, "hidden stamp is damaged"),
        ("manifest", '{"a": {"x1": ["d", "G"]}, "m": {}}', "'x1' is not a row id"),
        ("manifest", '{"a": {"1": ["d", NaN]}, "m": {}}', "hidden stamp is damaged"),
        ("manifest", '{"a": {}, "m": {"1": ["2016-02-31", "G"]}}', "is not a date"),
    ],
)
def test_a_hostile_stamp_is_refused_in_one_line(
    workspace: Workspace, tmp_path: Path, key: str, value: object, says: str
) -> None:
    path = made(workspace, tmp_path)
    book = load_workbook(path)
    stamp = book["cspdesk"]
    for row in stamp.iter_rows():
        if row[0].value == key:
            row[1].value = value
    book.save(path)
    with pytest.raises(ImportRefused) as refused:
        workspace.read(read_return, path)
    message = str(refused.value)
    assert path.name in message and says in message and "\n" not in message


def test_an_older_version_after_a_newer_one_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = made(workspace, tmp_path)
    older, newer = tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"
    shutil.copy(path, older)
    shutil.copy(path, newer)
    fill(older, {"G2": "First version", "H2": "Red"}, saved=dt.datetime(2016, 7, 10, 9, 0))
    fill(newer, {"G2": "Corrected", "H2": "Amber"}, saved=dt.datetime(2016, 7, 11, 9, 0))
    workspace.write(apply_return, workspace.read(read_return, newer))
    with pytest.raises(ImportRefused) as refused:
        workspace.read(read_return, older)
    assert (
        "this is an older version of All partners' return: it was saved on 10/07/2016 09:00, "
        "but the version merged on" in str(refused.value)
    )
    assert "(v2.xlsx) was saved later, on 11/07/2016 09:00; nothing" in str(refused.value)
    said = contribution(workspace)
    assert (said.text, said.rag) == ("Corrected", "A")


def test_new_work_is_kept_until_placed(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    fill(path, {"C6": "White Ribbon day stall", "G6": "Held on 25 November", "H6": "Green"})
    diff = workspace.read(read_return, path)
    assert all(f.stored for f in cell_fates(diff))
    workspace.write(apply_return, diff)
    kept = workspace.read(lambda s: s.scalars(select(ReturnNewWork)).one())
    assert kept.row == 6 and "White Ribbon day stall" in kept.cells and kept.placed_at is None
    (row,) = [r for r in workspace.read(chase_list, 1, 1) if r.lead == ALL]
    assert row.state == "returned, 1 new item to place"
    # Merged again (a resent copy): kept once.
    workspace.write(apply_return, workspace.read(read_return, path))
    assert workspace.read(lambda s: len(s.scalars(select(ReturnNewWork)).all())) == 1
    workspace.write(place_added_row, diff, diff.added[0], Placement("note", A1))
    assert contribution(workspace).text.endswith(
        "New work: Action / milestone: White Ribbon day stall; This quarter's update: Held on "
        "25 November; RAG: Green"
    )
    (row,) = [r for r in workspace.read(chase_list, 1, 1) if r.lead == ALL]
    assert row.state == "returned"


def test_plan_column_edits_are_noted(workspace: Workspace, tmp_path: Path) -> None:
    path = made(workspace, tmp_path)
    book = load_workbook(path)
    book["Actions"]["D2"] = "Three campaigns"
    book["Actions"]["E4"] = "31/01/2017"
    book.save(path)
    diff = workspace.read(read_return, path)
    notes = [p.describe() for p in diff.problems]
    assert any(
        n.startswith(
            "sheet 'Actions', row 2, column D: the plan's 'Outcomes / measures' was "
            "changed in the return to 'Three campaigns'"
        )
        for n in notes
    ), notes
    assert any(n.startswith("sheet 'Actions', row 4, column E:") for n in notes), notes
    assert not diff.changes


def test_two_versions_in_one_batch_the_newer_supersedes_the_older(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = made(workspace, tmp_path)
    older, newer = tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"
    shutil.copy(path, older)
    shutil.copy(path, newer)
    fill(older, {"G2": "First version"}, saved=dt.datetime(2016, 7, 10, 9, 0))
    fill(newer, {"G2": "Corrected"}, saved=dt.datetime(2016, 7, 11, 9, 0))
    diffs, refused = workspace.read(read_returns, [newer, older])
    assert not refused
    updates = {d.file_name: c for d in diffs for c in d.changes if c.field == "update"}
    assert updates["v2.xlsx"].accepted and not updates["v2.xlsx"].conflict
    assert not updates["v1.xlsx"].accepted and updates["v1.xlsx"].superseded_by == "v2.xlsx"
    workspace.write(apply_returns, diffs)
    record = workspace.read(lambda s: s.scalars(select(ReturnRecord)).all())
    merged = [r for r in record if r.merged_at is not None]
    assert merged[0].merged_saved_at == dt.datetime(2016, 7, 11, 9, 0)
    assert merged[0].merged_file == "v2.xlsx"
    assert contribution(workspace).text == "Corrected"


def shared_copies(path: Path, tmp_path: Path, *orgs: tuple[str, str]) -> list[Path]:
    """Copies of the shared return, each filled by the organisation its cover names."""
    copies = []
    for org, words in orgs:
        copy = tmp_path / f"{org.split()[-1].casefold()}.xlsx"
        shutil.copy(path, copy)
        book = load_workbook(copy)
        book["Cover"]["B8"], book["Cover"]["B9"] = org, "A. Person"
        book["Actions"]["G2"] = words
        book.save(copy)
        copies.append(copy)
    return copies


def parts(workspace: Workspace) -> dict[str, tuple[str, str, int | None]]:
    """Action A1's Q1 parts: lead name -> (words, lead key, agency id)."""
    rows = workspace.read(
        lambda s: s.scalars(
            select(Contribution).where(Contribution.action_id == A1, Contribution.quarter == 1)
        ).all()
    )
    return {c.lead_name: (c.text, c.lead_key, c.agency_id) for c in rows}


def test_a_shared_return_answered_by_two_organisations_keeps_each_as_its_part(
    workspace: Workspace, tmp_path: Path
) -> None:
    police, council = shared_copies(
        made(workspace, tmp_path),
        tmp_path,
        ("Essex Police", "Patrols at both campaign events"),
        ("Rochford District Council", "Leaflets in every library"),
    )
    saved_on(police, dt.datetime(2016, 7, 11, 9, 0))
    saved_on(council, dt.datetime(2016, 7, 10, 9, 0))  # saved first, sent second
    workspace.write(apply_return, workspace.read(read_return, police))
    diff = workspace.read(read_return, council)
    assert diff.completed_by == "Rochford District Council, A. Person"
    assert diff.credit_name == "Rochford District Council"
    (change,) = [c for c in diff.changes if c.field == "update"]
    assert change.accepted and not change.conflict and change.old == ""
    workspace.write(apply_return, diff)
    agencies = workspace.read(lambda s: {a.name: a.id for a in s.scalars(select(Agency))})
    assert parts(workspace) == {
        "Essex Police": (
            "Patrols at both campaign events",
            f"agency:{agencies['Essex Police']}",
            agencies["Essex Police"],
        ),
        "Rochford District Council": (
            "Leaflets in every library",
            f"agency:{agencies['Rochford District Council']}",
            agencies["Rochford District Council"],
        ),
    }
    said = workspace.read(
        lambda s: s.scalars(
            select(Contribution).where(Contribution.lead_name == "Rochford District Council")
        ).one()
    )
    assert said.source.endswith("council.xlsx, completed by Rochford District Council, A. Person")


def test_two_copies_of_a_shared_return_in_one_batch_are_two_parts_not_a_conflict(
    workspace: Workspace, tmp_path: Path
) -> None:
    copies = shared_copies(
        made(workspace, tmp_path),
        tmp_path,
        ("Police", "Patrols at both campaign events"),  # the short name names it too
        ("Rochford District Council", "Leaflets in every library"),
    )
    diffs, refused = workspace.read(read_returns, copies)
    assert not refused
    assert not [c for d in diffs for c in d.changes if c.conflict]
    workspace.write(apply_returns, diffs)
    assert {name: text for name, (text, _, _) in parts(workspace).items()} == {
        "Essex Police": "Patrols at both campaign events",
        "Rochford District Council": "Leaflets in every library",
    }


def test_a_shared_return_completed_by_an_unknown_organisation_stays_the_shared_part(
    workspace: Workspace, tmp_path: Path
) -> None:
    (copy,) = shared_copies(made(workspace, tmp_path), tmp_path, ("Age Concern", "Tea mornings"))
    diff = workspace.read(read_return, copy)
    assert any("'Age Concern' completed it, which is not an agency" in p.message
               for p in diff.problems)  # fmt: skip
    workspace.write(apply_return, diff)
    assert {n: t for n, (t, _, _) in parts(workspace).items()} == {ALL: "Tea mornings"}
