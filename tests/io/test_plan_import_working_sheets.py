"""The layouts officers really keep (issue 24): quarters titled by months or kept one sheet per
quarter, SharePoint lists, typed dates, and working sheets with notes, totals and two RAGs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from tests.io import plan_layouts


def draft_of(tmp_path: Path, layout: Callable[[Path], Path]) -> PlanDraft:
    return read_plan(layout(tmp_path / "plan.xlsx"), Directory(), RagScheme.default())[1]


def test_quarter_pairs_titled_by_months_fill_every_quarter(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, plan_layouts.month_range_quarter_pairs)
    first, second = draft.actions()
    assert first.updates == {
        1: ("Two schemes set up", "G"),
        2: ("Four schemes running", "G"),
        3: ("Six schemes", "A"),
        4: ("Eight schemes; two lapsed", "R"),
    }
    assert (first.rag, second.rag) == ("R", "G")  # each action's latest quarter's RAG
    assert draft.current_quarter == 4  # the latest quarter with updates
    assert not [p for p in draft.problems if p.level == "lost"]


def test_one_sheet_per_quarter_is_one_plan(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, plan_layouts.quarter_sheets)
    assert draft.counts()["priorities"] == 2
    assert draft.counts()["actions"] == 3
    idva = draft.actions()[0]
    assert {q: text for q, (text, _) in idva.updates.items()} == {
        1: "Q1: 10 referrals",
        2: "Q2: 20 referrals",
        3: "Q3: 30 referrals",
        4: "Q4: 40 referrals",
    }
    assert [rag for _, rag in idva.updates.values()] == ["G", "A", "A", "R"]
    assert idva.rag == "R" and idva.lead_texts == ["Thurrock Council"]
    assert draft.current_quarter == 4
    assert any("one sheet per quarter" in p.message for p in draft.problems)


def test_sharepoint_list_owner_and_organisation(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, plan_layouts.sharepoint_list)
    assert [a.lead_texts for a in draft.actions()] == [
        ["Maldon District Council – Sam Patel"],
        ["Essex Police – Jo Reeve"],
        ["Citizens Advice – Amy Lord"],
    ]
    assert [draft.directory.describe(a.leads) for a in draft.actions()] == [
        "Maldon District Council – Sam Patel (SP)",
        "Essex Police – Jo Reeve (JR)",
        "Citizens Advice – Amy Lord (AL)",
    ]
    assert [a.rag for a in draft.actions()] == ["G", "A", "B"]  # status words
    assert [a.due_date for a in draft.actions()] == [
        dt.date(2017, 3, 31),
        dt.date(2017, 3, 31),
        dt.date(2016, 12, 31),
    ]
    assert draft.actions()[0].notes == "Internal notes: chased 12/4"


def test_typed_dates_are_read_or_kept_as_timescale(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, plan_layouts.typed_dates)
    got = [(a.start_date, a.due_date, a.timescale) for a in draft.actions()]
    d = dt.date
    assert got == [
        (d(2016, 4, 1), d(2016, 12, 31), ""),
        (d(2016, 9, 1), d(2017, 3, 31), ""),
        (d(2016, 6, 1), d(2017, 3, 31), ""),
        (d(2016, 9, 30), d(2017, 3, 31), ""),
        (d(2016, 4, 1), d(2016, 12, 31), ""),
        (None, None, "Ongoing; TBC"),
        (None, None, "Winter 2016"),
    ]
    guesses = [p.message for p in draft.problems if p.level == "warning"]
    assert "due date 'end of March' read as 31/03/2017 (in the plan's year 2016/17)" in guesses


def test_working_sheet(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, plan_layouts.working_sheet)
    assert [p.title for p in draft.priorities] == ["Youth offending", "Domestic abuse"]
    youth = draft.priorities[0]
    assert [o.title for o in youth.objectives] == ["Fewer first-time entrants"]
    assert [a.title for a in youth.objectives[0].actions] == [
        "Triage at custody",
        "Schools panel",
        "Restorative justice pilot",  # appended below, joins its objective
    ]
    triage, schools, pilot, _refuge = draft.actions()
    # "RAG" is the current quarter's (Q3, from the title); "RAG (last quarter)" is Q2's.
    assert (triage.rag, triage.updates) == ("G", {2: ("", "A")})
    assert (schools.rag, schools.updates) == ("R", {2: ("", "G")})
    assert triage.notes == "Internal notes: chased 12/4"
    assert pilot.notes == "Internal notes: added in October"
    assert draft.current_quarter == 3
    assert draft.counts()["actions"] == 4  # the note and total rows are no actions


def test_sharepoint_table_read_by_its_definition(tmp_path: Path) -> None:
    draft = draft_of(tmp_path, plan_layouts.sharepoint_own_columns)
    assert [(a.title, a.lead_texts) for a in draft.actions()] == [
        ("Prevent referrals pathway", ["Essex County Council – Kay Bell"]),
        ("Safeguarding board audit", ["Essex Police – Raj Mann"]),
    ]
    assert draft.actions()[0].notes == "% Complete: 0.5\nModified: 01/03/2017"


def test_a_lone_action_above_a_repeated_header_stays_an_action(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    header = ["Objective", "Action", "Lead"]
    ws.append(["Community safety plan 2016/17"])
    ws.append(["Safer streets"])  # heads the table below: its priority
    ws.append(header)
    ws.append(["Fewer burglaries", "Cocooning visits", "Essex Police"])
    ws.append([None, "Family event in Castle Point"])  # the action's own row, then a page break
    ws.append(header)
    ws.append(["Fewer thefts", "Bike marking", "Essex Police"])
    wb.save(tmp_path / "plan.xlsx")
    draft = read_plan(tmp_path / "plan.xlsx", Directory(), RagScheme.default())[1]
    assert [p.title for p in draft.priorities] == ["Safer streets"]
    assert [a.title for a in draft.actions()] == [
        "Cocooning visits",
        "Family event in Castle Point",
        "Bike marking",
    ]


def test_sharepoint_choices_lose_their_ordinals_and_urgency_is_no_plan_priority(
    tmp_path: Path,
) -> None:
    draft = draft_of(tmp_path, plan_layouts.sharepoint_choices)
    assert draft.counts()["priorities"] == 1 and draft.priorities[0].title == "Tasks"
    actions = draft.actions()
    assert [a.title for a in actions][-1] == "(1) Reduce reoffending"  # a title, not a choice
    assert [a.notes for a in actions] == [
        "Status: In Progress\nPriority: High",
        "Priority: Normal",
        "Priority: Low",
        "Priority: Normal",
    ]
    assert [a.rag for a in actions] == [None, "N", "B", "G"]
    said = " ".join(p.message for p in draft.problems)
    assert "SharePoint choices: High, Low, Normal" in said
    assert "'In Progress' is not a RAG status" in said
