"""Partner returns end to end: make them, fill them in as partners do, merge, check the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Contribution, HistoryEntry, Milestone, ReturnRecord, Update
from cspdesk.core.quarter.contributions import ContributionValue, write_contributions
from cspdesk.core.quarter.rule import plan_quarters
from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.io.gate import ImportRefused
from cspdesk.returns.apply import ReturnChanged, apply_return, apply_returns
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return, read_returns
from cspdesk.store.db import Workspace
from tests.conftest import small_plan_data

# Ids in the conftest plan (a fresh file numbers rows from 1).
POLICE, RDC, ALL = 1, 2, 3
A_CAMPAIGNS, A_J9, A_DAYS = 1, 2, 3
M_ONE, M_TWO = 1, 2


def make(workspace: Workspace, tmp_path: Path, quarter: int = 1) -> dict[str, Path]:
    out = tmp_path / "returns"
    out.mkdir(exist_ok=True)
    made = make_returns(workspace, 1, quarter, out)
    return {m.lead.name: m.path for m in made}


def rows_by_id(sheet) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {str(r[0].value): r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value}


def test_one_workbook_per_lead_with_only_its_actions(workspace: Workspace, tmp_path: Path) -> None:
    files = make(workspace, tmp_path)
    assert set(files) == {"Essex Police", "Rochford District Council", "All partners"}
    assert files["Essex Police"].name == "2016-17 Q1 return – Essex Police.xlsx"
    book = load_workbook(files["All partners"])
    assert book.sheetnames[:2] == ["Cover", "Actions"]
    assert book["cspdesk"].sheet_state == "veryHidden"
    cover = "\n".join(str(c.value) for row in book["Cover"].iter_rows() for c in row if c.value)
    assert "Test Vale CSP" in cover and "14 July 2016" in cover and "All partners" in cover
    sheet = book["Actions"]
    assert list(rows_by_id(sheet)) == ["A1", "M1", "M2"]
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert sheet.protection.password is None
    # A lead's own part is blank until it says something: the officer's summary is not theirs.
    assert sheet["G2"].value is None
    assert not sheet["G2"].protection.locked and sheet["C2"].protection.locked
    assert sheet["H2"].value == "Green" and not sheet["I3"].protection.locked
    assert sheet["I3"].value == dt.datetime(2016, 6, 20)
    (validation,) = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Red,Amber,Green,Blue,Grey"' and str(validation.sqref) == "H2:H4"
    police = load_workbook(files["Essex Police"])["Actions"]
    assert list(rows_by_id(police)) == ["A3"]
    records = workspace.read(lambda s: s.scalars(select(ReturnRecord)).all())
    assert {r.lead_name for r in records} == set(files)
    assert all(r.due_date == dt.date(2016, 7, 14) and r.merged_at is None for r in records)


def test_partner_mistakes_are_tolerated_and_merged(workspace: Workspace, tmp_path: Path) -> None:
    files = make(workspace, tmp_path)
    # All partners: line breaks, RAG in odd case, a typed date, a new row at the bottom.
    book = load_workbook(files["All partners"])
    sheet = book["Actions"]
    sheet["G2"] = "Campaign two planned\r\nfor December  \r\n"
    sheet["H2"] = "  amber "
    sheet["I4"] = "15th December 2016"
    sheet["H4"] = "BLUE"
    sheet["C6"] = "New: White Ribbon day stall"
    sheet["G6"] = "Held on 25 November"
    book.save(files["All partners"])
    # Essex Police: the update typed one column too far right, RAG typed in capitals.
    book = load_workbook(files["Essex Police"])
    sheet = book["Actions"]
    sheet["J2"] = "Three days of action held in Rayleigh"
    sheet["H2"] = "GREEN"
    book.save(files["Essex Police"])
    # Rochford: the partner deleted the only row.
    book = load_workbook(files["Rochford District Council"])
    book["Actions"].delete_rows(2)
    book.save(files["Rochford District Council"])

    diffs, refused = workspace.read(read_returns, list(files.values()))
    assert refused == []
    by_lead = {d.lead_name: d for d in diffs}
    partners = by_lead["All partners"]
    changes = {(c.kind, c.item_id, c.field): c for c in partners.changes}
    assert changes[("action", A_CAMPAIGNS, "update")].new == "Campaign two planned\nfor December"
    assert changes[("action", A_CAMPAIGNS, "rag")].new == "A"
    assert changes[("milestone", M_TWO, "done_date")].new == dt.date(2016, 12, 15)
    assert changes[("milestone", M_TWO, "rag")].old == "G"
    assert len(partners.changes) == 4 and not partners.conflicts
    assert partners.added[0].row == 6 and "White Ribbon" in partners.added[0].describe()
    police = by_lead["Essex Police"]
    update = next(c for c in police.changes if c.field == "update")
    assert update.new == "Three days of action held in Rayleigh" and "column J" in update.note
    assert by_lead["Rochford District Council"].deleted[0].item_id == A_J9
    assert not by_lead["Rochford District Council"].changes

    change = workspace.write(apply_returns, diffs)
    assert change.describe() == "Merge 3 partner returns"

    def check(session):  # type: ignore[no-untyped-def]
        said = session.scalars(
            select(Contribution).where(Contribution.action_id == A_DAYS, Contribution.quarter == 1)
        ).one()
        assert (said.text, said.rag) == ("Three days of action held in Rayleigh", "G")
        assert said.lead_name == "Essex Police" and said.agency_id == POLICE
        assert said.source.startswith("return: Essex Police 2016-17 Q1 return")
        assert session.get(Update, 1).text == "'Together we Can' campaign promoted."
        milestone = session.get(Milestone, M_TWO)
        assert (milestone.done_date, milestone.rag) == (dt.date(2016, 12, 15), "B")
        who = session.scalars(
            select(HistoryEntry.who).where(HistoryEntry.entity == "milestone")
        ).all()
        assert who == ["return: All partners 2016-17 Q1 return – All partners.xlsx"] * 2
        records = session.scalars(select(ReturnRecord)).all()
        assert all(r.merged_at is not None for r in records)
        assert {r.merged_file for r in records} == {p.name for p in files.values()}

    workspace.read(check)
    rags = workspace.read(lambda s: {a: r.rag.code for a, r in plan_quarters(s, 1, 1).items()})
    assert (rags[A_DAYS], rags[A_CAMPAIGNS]) == ("G", "G")  # the officer's agreed Q1 RAGs stand
    # One undo step puts everything back.
    workspace.write(change.revert)
    assert workspace.read(lambda s: s.get(Milestone, M_TWO).done_date) is None
    assert workspace.read(lambda s: s.scalars(select(Contribution)).all()) == []
    assert workspace.read(lambda s: s.scalars(select(ReturnRecord.merged_at)).all()) == [None] * 3


def officer_writes(workspace: Workspace, action_id: int, agency_id: int, text: str) -> None:
    """The officer types a lead's part in the window (the detail pane)."""
    names = {POLICE: "Essex Police", RDC: "Rochford District Council", ALL: "All partners"}
    key = (action_id, 1, f"agency:{agency_id}")
    value = ContributionValue(text, None, names[agency_id], agency_id)
    workspace.write(write_contributions, {key: value})


def test_officer_edit_since_the_return_is_a_conflict(workspace: Workspace, tmp_path: Path) -> None:
    files = make(workspace, tmp_path)
    book = load_workbook(files["All partners"])
    book["Actions"]["G2"] = "Partner's version"
    book["Actions"]["H4"] = "Amber"
    book.save(files["All partners"])
    # The officer's own summary is not the lead's part: no conflict.
    workspace.write(ops.set_update, A_CAMPAIGNS, 1, ops.UpdateValue("Officer's summary", "G"))
    assert workspace.read(read_return, files["All partners"]).conflicts == []
    # The officer typing this lead's part since the return was made is one.
    officer_writes(workspace, A_CAMPAIGNS, ALL, "Officer's version")
    diff = workspace.read(read_return, files["All partners"])
    (conflict,) = diff.conflicts
    assert (conflict.old, conflict.new) == ("Officer's version", "Partner's version")
    assert not conflict.accepted and "by Alex Morgan after this return was made" in conflict.note
    other = next(c for c in diff.changes if c.kind == "milestone")
    assert other.accepted and not other.conflict
    workspace.write(apply_return, diff)
    assert workspace.read(lambda s: s.scalars(select(Contribution.text)).all()) == [
        "Officer's version"
    ]
    assert workspace.read(lambda s: s.get(Milestone, M_TWO).rag) == "A"
    waiting = workspace.read(
        lambda s: s.scalars(
            select(ReturnRecord.decisions_waiting).where(ReturnRecord.lead_name == "All partners")
        ).one()
    )
    assert waiting == 1


def test_accept_some_and_edit_before_accepting(workspace: Workspace, tmp_path: Path) -> None:
    files = make(workspace, tmp_path)
    book = load_workbook(files["All partners"])
    book["Actions"]["G2"] = "Typo in the partner's text"
    book["Actions"]["H3"] = "Red"
    book.save(files["All partners"])
    diff = workspace.read(read_return, files["All partners"])
    text = next(c for c in diff.changes if c.field == "update")
    rag = next(c for c in diff.changes if c.field == "rag" and c.kind == "milestone")
    text.new = "Corrected by the officer"
    rag.accepted = False
    workspace.write(apply_return, diff)
    assert workspace.read(lambda s: s.scalars(select(Contribution.text)).one()) == (
        "Corrected by the officer"
    )
    assert workspace.read(lambda s: s.get(Milestone, M_ONE).rag) == "B"


def test_plan_changed_after_review_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    files = make(workspace, tmp_path)
    book = load_workbook(files["Essex Police"])
    book["Actions"]["G2"] = "Partner"
    book.save(files["Essex Police"])
    diff = workspace.read(read_return, files["Essex Police"])
    officer_writes(workspace, A_DAYS, POLICE, "Meanwhile")
    count = workspace.read(lambda s: s.scalar(select(func.count()).select_from(HistoryEntry)))
    with pytest.raises(ReturnChanged, match="read the return again"):
        workspace.write(apply_return, diff)
    assert workspace.read(lambda s: s.scalars(select(Contribution.text)).one()) == "Meanwhile"
    assert (
        workspace.read(lambda s: s.scalar(select(func.count()).select_from(HistoryEntry))) == count
    )


def test_refusals_name_the_reason(workspace: Workspace, tmp_path: Path) -> None:
    files = make(workspace, tmp_path)
    police = files["Essex Police"]
    with pytest.raises(ImportRefused, match="for Q1 2016/17, not Q2"):
        workspace.read(read_return, police, quarter=2)
    plain = tmp_path / "plain.xlsx"
    Workbook().save(plain)
    with pytest.raises(ImportRefused, match="not a cspdesk partner return"):
        workspace.read(read_return, plain)
    # A row copied in from another lead's return.
    book = load_workbook(police)
    book["Actions"]["A2"] = "A2"
    stolen = tmp_path / "stolen.xlsx"
    book.save(stolen)
    with pytest.raises(ImportRefused) as error:
        workspace.read(read_return, stolen)
    assert "Essex Police does not lead" in str(error.value)
    assert (error.value.sheet, error.value.row, error.value.column) == ("Actions", 2, "A")
    # The same plan imported into another workspace: same ids, different identity.
    other_path = tmp_path / "other.cspdesk"
    with Workspace.create(other_path, "Test Vale CSP") as other:
        other.write(load_workspace_data, small_plan_data())
        with pytest.raises(ImportRefused, match="another cspdesk workspace"):
            other.read(read_return, police)


def test_unknown_rag_and_bad_date_are_reported_not_merged(
    workspace: Workspace, tmp_path: Path
) -> None:
    files = make(workspace, tmp_path)
    book = load_workbook(files["All partners"])
    sheet = book["Actions"]
    sheet["H2"] = "Greenish"
    sheet["I4"] = "next week"
    sheet["C2"] = "Someone rewrote the action"
    book.save(files["All partners"])
    diff = workspace.read(read_return, files["All partners"])
    assert diff.changes == []
    messages = [p.describe() for p in diff.problems]
    assert any("row 2, column H: 'Greenish' is not a RAG status" in m for m in messages)
    assert any("row 4, column I: 'next week' is not a date" in m for m in messages)
    assert any(
        "row 2, column C: the plan's 'Action / milestone' was changed in the return to "
        "'Someone rewrote the action'" in m
        for m in messages
    )
