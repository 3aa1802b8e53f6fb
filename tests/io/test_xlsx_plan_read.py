"""Reading plan workbooks in the layouts councils use, and refusing bad ones clearly."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.io.gate import ImportRefused
from cspdesk.io.xlsx_plan_read import RagScheme, parse_book, read_plan
from cspdesk.store.db import Workspace
from tests.io.xlsx_fixtures import google_style_layout, seed_000_layout, seed_004_layout

DATA = Path(__file__).resolve().parent.parent / "data"


def read(workspace: Workspace, path: Path, year: str | None = None) -> PlanDraft:
    directory = workspace.read(Directory.from_session)
    return read_plan(path, directory, workspace.read(RagScheme.from_session), year=year)[1]


def titles(draft: PlanDraft) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    return [
        (p.title, [(o.title, [a.title for a in o.actions]) for o in p.objectives])
        for p in draft.priorities
    ]


def test_seed_000_layout(workspace: Workspace, tmp_path: Path) -> None:
    draft = read(workspace, seed_000_layout(tmp_path / "plan.xlsx"))
    assert draft.year == "2016/17"
    assert draft.title == "Partnership Plan 2016/17"
    assert draft.version_label == "Version 2 – July 2016"
    assert titles(draft) == [
        (
            "Safeguarding Vulnerable People",
            [
                (
                    "To safeguard victims of Domestic Abuse from repeat incidents",
                    [
                        "CPTA will visit all suitable high risk DA victims",
                        "To continue to provide a sanctuary scheme for all residents.",
                    ],
                ),
                (
                    "To raise awareness of Domestic abuse and encourage reporting",
                    [
                        "Actively promote Essex wide campaigns",
                        "Re - introduce the J9 scheme in both districts",
                        "Family event in Castle Point",  # after the repeated header row
                    ],
                ),
            ],
        ),
        (
            "Anti-Social Behaviour",
            [
                (
                    "Joint working to proactively tackle ASB",
                    ["Regular partner proactive days of action"],
                )
            ],
        ),
    ]
    first = draft.actions()[0]
    assert first.timescale == "Q1-4"
    assert first.updates == {
        1: ("3 home inspections and referrals for sanctuary intervention.", None)
    }
    directory = draft.directory
    assert [(directory.agencies[a].name, directory.officers[o].name) for a, o in first.leads] == [
        ("Essex Police", "Emma Clark")
    ]
    new = {o.name for o in directory.new_officers()}
    assert {"Helen Collins", "Liz Martlew"} <= new
    assert any(p.level == "note" and "new officers" in p.message for p in draft.problems)


def test_seed_004_layout_with_fill_colour_rag(workspace: Workspace, tmp_path: Path) -> None:
    draft = read(workspace, seed_004_layout(tmp_path / "plan.xlsx"))
    assert draft.year == "2013/14"  # from the sheet name
    assert [p.title for p in draft.priorities] == [
        "REDUCE ANTI-SOCIAL BEHAVIOUR BY 2014",
        "REDUCE REPEAT INCIDENTS OF DOMESTIC ABUSE BY 2014",
    ]
    first = draft.priorities[0]
    assert first.fields["baseline"].startswith("Rochford District ASB incidents")
    assert first.fields["target"] == "Reduction by March 2014"
    assert first.fields["resources"] == "4K CSP allocation"
    assert first.fields["key_risks"] == "Delay in engaging partners"
    assert [(a.title, a.rag) for a in draft.actions()] == [
        ("Produce ASB response plan", "G"),
        ("Refer and record individuals", "A"),
        ("Fund mediation sessions", "G"),  # fill colour only
        ("Undertake training on new ASB legislation", "A"),  # fill colour only
        ("Recruit a Domestic Abuse Reduction Officer.", "G"),
        ("Deliver the Freedom Programme", None),
    ]
    # The second RAG column, the outcomes' own, is the quarter's reported status.
    assert [a.updates.get(1, ("", None))[1] for a in draft.actions()] == [
        "G", "G", None, None, "G", "A",
    ]  # fmt: skip
    bad = [p for p in draft.problems if "Amber/Green" in p.message]
    assert [(p.sheet, p.row, p.column) for p in bad] == [("Action plan 2013-14", 21, "B")]
    assert any("cell colour #00B050 as Green" in p.message for p in draft.problems)


def test_google_sheets_style(workspace: Workspace, tmp_path: Path) -> None:
    draft = read(workspace, google_style_layout(tmp_path / "plan.xlsx"), year="2016/17")
    assert [p.title for p in draft.priorities] == ["Acquisitive Crime", "Partnership working"]
    actions = draft.actions()
    assert [a.rag for a in actions] == ["G", "A", "R", "B"]
    assert [a.due_date for a in actions] == [
        dt.date(2016, 9, 30),  # a bare serial number
        dt.date(2016, 9, 30),  # typed text
        dt.date(2016, 12, 1),  # a real date cell
        None,
    ]
    assert any("date given as the number 42643" in p.message for p in draft.problems)
    assert any(p.sheet == "Empty" and "empty" in p.message for p in draft.problems)


def test_libreoffice_file_with_a_formula(workspace: Workspace) -> None:
    draft = read(workspace, DATA / "libreoffice_plan.xlsx")
    assert titles(draft) == [
        (
            "Safeguarding Vulnerable People",
            [
                (
                    "To raise awareness of Domestic abuse",
                    ["Promote Essex wide campaigns", "Re-introduce the J9 scheme"],
                ),
                ("To reduce ASB", ["Joint days of action"]),
            ],
        )
    ]
    actions = draft.actions()
    assert actions[0].timescale == "Q1-4"  # the formula's cached value, not evaluated
    assert [a.rag for a in actions] == ["G", "A", "R"]
    assert [a.due_date for a in actions] == [
        dt.date(2017, 3, 31),
        dt.date(2016, 12, 31),
        dt.date(2016, 12, 31),
    ]
    formula = [p for p in draft.problems if "formula" in p.message]
    assert len(formula) == 1 and "E5" in formula[0].message
    assert "not evaluated" in formula[0].message


def test_mapping_override_reparses(workspace: Workspace, tmp_path: Path) -> None:
    path = google_style_layout(tmp_path / "plan.xlsx")
    book, draft = read_plan(
        path, workspace.read(Directory.from_session), RagScheme.default(), year="2016/17"
    )
    mapping = draft.mappings[0]
    fields = list(mapping.fields)
    fields[2] = None  # do not import the outcomes column
    again = parse_book(
        book,
        workspace.read(Directory.from_session),
        RagScheme.default(),
        overrides={(mapping.sheet, mapping.header_row): fields},
    )
    assert draft.actions()[0].outcomes == "Fewer burglaries"
    assert again.actions()[0].outcomes == ""
    assert any("'Outcomes  &  Outputs' is not imported" in p.message for p in again.problems)


def test_ten_thousand_rows(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Plan 2016-17")
    ws.append(["Strategic Objective", "Actions", "Lead", "RAG"])
    for i in range(10_000):
        ws.append([f"Objective {i // 10}" if i % 10 == 0 else None, f"Action {i}", "GB", "G"])
    wb.save(path)
    draft = read(workspace, path)
    assert draft.counts()["actions"] == 10_000
    assert draft.counts()["objectives"] == 1_000
    assert draft.counts()["leads"] == 10_000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"Action,Lead\nPatrols,Police\n", r"text file \(CSV\?\)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "old Office 97-2003 file",
        ),
        (b"\x00\x01\x02garbage" * 20, "not an Excel workbook"),
        (b"", "empty"),
    ],
)
def test_not_a_workbook(
    workspace: Workspace, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=expected) as error:
        read(workspace, path)
    assert "plan.xlsx" in str(error.value)


def test_zip_that_is_not_a_workbook(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportRefused, match=r"plan.xlsx: .*not an Excel workbook"):
        read(workspace, path)


def test_empty_workbook_and_no_header(workspace: Workspace, tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(ImportRefused, match=r"empty.xlsx: every sheet is empty"):
        read(workspace, empty)
    no_header = tmp_path / "notes.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Meeting notes"])
    wb.active.append(["Bring biscuits", "Tuesday"])
    wb.save(no_header)
    with pytest.raises(ImportRefused, match=r"notes.xlsx: no plan table found.*'Actions'"):
        read(workspace, no_header)


def test_far_cell_is_refused_not_a_crash(tmp_path: Path) -> None:
    """Two cells, one at XFD1048576: calamine would reserve 512 GB and abort the process."""
    import subprocess
    import sys

    import openpyxl

    path = tmp_path / "far.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Strategic Objective"
    workbook.active["XFD1048576"] = 1
    workbook.save(path)
    code = (
        "import sys; from cspdesk.io.xlsx_book import load_book\n"
        "from cspdesk.io.gate import ImportRefused\n"
        "try:\n    load_book(sys.argv[1])\nexcept ImportRefused as e:\n    print('REFUSED', e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-400:]
    assert result.stdout.startswith("REFUSED far.xlsx")
