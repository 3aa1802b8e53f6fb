"""Six layouts councils use, with the seeds' own lead texts: for each, exactly the agencies,
officers and lead notes an officer would read in them, the dates and the RAG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.store.db import Workspace
from tests.io import plan_layouts

CP_AND_R = "Castle Point and Rochford Community Safety Partnership"


def imported(tmp_path: Path, layout: Callable[[Path], Path], partnership: str) -> PlanDraft:
    with Workspace.create(tmp_path / "w.cspdesk", partnership) as workspace:
        directory = workspace.read(Directory.from_session)
        scheme = workspace.read(RagScheme.from_session)
    return read_plan(layout(tmp_path / "plan.xlsx"), directory, scheme)[1]


def leads_of(draft: PlanDraft) -> list[tuple[str, str, str]]:
    """(action, its leads as text, its lead note) for every action."""
    return [(a.title, draft.directory.describe(a.leads), a.lead_note) for a in draft.actions()]


def created(draft: PlanDraft) -> tuple[list[str], list[str]]:
    return (
        sorted(a.name for a in draft.new_agencies()),
        sorted(f"{o.name} ({o.initials})" for o in draft.new_officers()),
    )


def test_per_priority_sheets_with_merged_objectives(tmp_path: Path) -> None:
    draft = imported(tmp_path, plan_layouts.per_priority_sheets, CP_AND_R)
    assert created(draft) == (
        [
            "Castle Point Borough Council",
            "Essex Community Rehabilitation Company",
            "Essex County Fire and Rescue Service",
            "Essex Police",
            "Neighbourhood Watch",
            "Rochford District Council",
        ],
        ["Emma Clark (EC)", "Graham Browne (GB)", "Helen Collins (HC)", "Lin Kettley (LK)"],
    )
    cpbc, rdc = "Castle Point Borough Council", "Rochford District Council"
    assert leads_of(draft) == [
        ("CPTA home safety visits", "Essex Police – Emma Clark (EC)", ""),
        (
            "Sanctuary scheme",
            f"{cpbc} – Helen Collins (HC); {rdc} – Graham Browne (GB)",
            "Community Safety Officers",
        ),
        ("Senior Safety Road Shows", f"{rdc} – Graham Browne (GB)", ""),
        (
            "Electric Blanket and Fire Safety event",
            f"{cpbc} – Helen Collins (HC); Essex County Fire and Rescue Service – Lin Kettley (LK)",
            "",
        ),
        (
            "Training event for licensed premises",
            f"{rdc}; {cpbc}; Essex Police",
            f"{cpbc} – Licensing Teams",
        ),
        (
            "Crime prevention advice",
            "Essex Police – Emma Clark (EC); Neighbourhood Watch",
            "Essex Police – crime reduction officer",
        ),
        (
            "Integrated Offender Management",
            "Essex Community Rehabilitation Company; Essex Police",
            "",
        ),
    ]
    first, second = draft.actions()[:2]
    # "Q1-4 Q1 Rochford …" is a timescale and an update; "On-going support …" only an update.
    assert (first.timescale, first.due_date) == ("Q1-4", dt.date(2017, 3, 31))
    assert first.updates == {1: ("Q1 Rochford\n3 home inspections.", None)}
    assert (second.timescale, second.updates) == (
        "",
        {1: ("On-going support via housing options.", None)},
    )
    assert draft.actions()[3].due_date == dt.date(2016, 10, 31)  # "Q3 – Oct 16"


def test_one_sheet_under_strategic_priority_rows(tmp_path: Path) -> None:
    draft = imported(tmp_path, plan_layouts.one_sheet_strategic_priorities, CP_AND_R)
    assert [p.title for p in draft.priorities] == [
        "COMMUNITY ENGAGEMENT",
        "INTEGRATED OFFENDER MANAGEMENT (IOM) - REDUCE RE-OFFENDING",
    ]
    assert created(draft) == (
        ["Crimestoppers", "Essex Police", "Essex Probation Trust", "Neighbourhood Watch",
         "Rochford District Council"],
        ["Andrew Lowing (AL)", "Carolyn Butlin (CB)", "Kate Sale (KS)", "Paul Schwarz (PS)"],
    )  # fmt: skip
    rdc, probation = "Rochford District Council", "Essex Probation Trust"
    assert leads_of(draft) == [
        (
            "Increase awareness of Crimestoppers as a reporting tool",
            f"{rdc}; Crimestoppers",
            "Partnership office; community safety officer",
        ),
        (
            "Support NHW and other Watch Schemes",
            f"Essex Police; {rdc} – Andrew Lowing (AL); Neighbourhood Watch",
            f"Essex Police – Watch Coordinator; {rdc} – Partnership Officer",
        ),
        (
            "Continue to support the application of IOM",
            f"{probation} – Carolyn Butlin (CB); Essex Police – Paul Schwarz (PS)",
            "",
        ),
        (
            "Regular monitoring of IOM cohort",
            f"{probation} – Carolyn Butlin (CB); Essex Police – Paul Schwarz (PS); "
            "Essex Police – Kate Sale (KS)",
            "IOM Co-ordinator",
        ),
    ]


def test_milestone_blocks_with_a_second_rag_column(tmp_path: Path) -> None:
    draft = imported(tmp_path, plan_layouts.milestone_blocks, CP_AND_R)
    assert created(draft) == ([], [])  # the priority's lead text names no action's lead
    assert draft.priorities[0].fields["lead_agencies"].startswith("RDC Domestic Abuse")
    first, second = draft.actions()
    assert (first.rag, first.updates) == ("G", {1: ("", "G")})  # the outcomes' RAG: Q1's
    assert second.title == "Deliver the Freedom Programme across Rochford District"
    assert (second.due_date, second.rag, second.updates) == (
        dt.date(2013, 9, 30),
        "A",
        {1: ("", "A")},
    )


def test_rag_given_only_as_excel_colours(tmp_path: Path) -> None:
    draft = imported(tmp_path, plan_layouts.rag_as_fill_only, CP_AND_R)
    assert [a.rag for a in draft.actions()] == ["G", "G", "A", "R"]  # #92D050 is Green
    assert created(draft) == (
        ["All partners", "Castle Point Borough Council", "Essex County Council", "Essex Police",
         "Rochford District Council"],
        [],
    )  # fmt: skip
    assert leads_of(draft) == [
        ("Promote Restorative Justice", "All partners", ""),
        (
            "Community Safety Accreditation scheme",
            "Rochford District Council; Castle Point Borough Council; Essex Police",
            "Rochford District Council – Park/Leisure services; Housing Association",
        ),
        (
            "Youth Service premises for diversionary activities",
            "Essex County Council",
            "Essex County Council – Youth Service; Community Capacity Building Team; "
            "Canvey Youth Project",
        ),
        ("Street Pastor scheme in Rayleigh", "Essex Police", "Rayleigh Churches"),
    ]


def test_flat_list_with_ref_column_and_spacer_rows(tmp_path: Path) -> None:
    draft = imported(tmp_path, plan_layouts.flat_ref_list, CP_AND_R)
    assert [p.title for p in draft.priorities] == ["Safeguarding", "Acquisitive Crime"]
    assert created(draft) == (
        ["All partners", "Castle Point Borough Council", "Essex Police"],
        ["Melanie Harris (MH)"],
    )
    assert leads_of(draft) == [
        (
            "Complete existing DHR",
            "Castle Point Borough Council – Melanie Harris (MH)",
            "CSP executive",
        ),
        # Initials of officers this workspace does not know stay words in the note.
        ("County wide events", "All partners", "All partners – HC; GB"),
        ("Support for Operation Insight", "Essex Police", "Essex Police – crime reduction officer"),
    ]
    assert draft.actions()[0].due_date == dt.date(2016, 9, 30)  # "Q2 -Sept 16"


def test_title_block_and_text_dates(tmp_path: Path) -> None:
    draft = imported(tmp_path, plan_layouts.title_block_text_dates, "Maldon District CSP")
    assert draft.year == "2017/18"
    assert created(draft) == (
        ["Essex County Fire and Rescue Service", "Victim Support"],
        ["Spencer Clarke (SC)"],
    )
    assert leads_of(draft) == [
        ("Refer victims", "Victim Support", ""),
        ("Prevent training", "Spencer Clarke (SC)", "Community Safety Manager"),
        ("Rural crime tasking", "Essex County Fire and Rescue Service; Victim Support", ""),
    ]
    assert [(a.timescale, a.due_date) for a in draft.actions()] == [
        ("by March 2018", dt.date(2018, 3, 31)),
        ("Sept 17", dt.date(2017, 9, 30)),
        ("Ongoing", None),
    ]


@pytest.mark.parametrize(
    "layout",
    [
        plan_layouts.per_priority_sheets,
        plan_layouts.one_sheet_strategic_priorities,
        plan_layouts.rag_as_fill_only,
        plan_layouts.flat_ref_list,
        plan_layouts.title_block_text_dates,
    ],
)
def test_no_agency_is_a_role_initials_half_a_name_or_unbalanced(
    tmp_path: Path, layout: Callable[[Path], Path]
) -> None:
    draft = imported(tmp_path, layout, CP_AND_R)
    roles = draft.directory.catalogue.roles
    for agency in draft.new_agencies():
        words = agency.name.casefold().split()
        assert agency.name.count("(") == agency.name.count(")"), agency.name
        assert len(words) > 1 or agency.name in ("Crimestoppers",), agency.name
        assert words[-1] not in roles or words[-1] in ("service", "council"), agency.name
    for officer in draft.new_officers():
        assert len(officer.name.split()) >= 2, officer.name
