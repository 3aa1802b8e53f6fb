"""cspdesk import-plan / export-xlsx, run as a user would."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.store.db import Workspace
from tests.io.xlsx_fixtures import seed_000_layout


def test_export_then_import_headless(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "plan.xlsx"
    assert (
        main(["export-xlsx", "--db", str(workspace_path), "-o", str(out), "--year", "2016/17"]) == 0
    )
    assert out.exists()
    other = tmp_path / "other.cspdesk"
    assert main(["new", "--db", str(other), "--name", "Other CSP"]) == 0
    capsys.readouterr()

    assert main(["import-plan", str(out), "--db", str(other), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "2 priorities, 2 objectives, 3 actions, 2 milestones, 3 leads" in printed
    assert "Action: Joint days of action" in printed
    assert "dry run: nothing was written" in printed
    with Workspace.open(other) as opened:
        assert opened.read(export_workspace)["plans"] == []

    assert main(["import-plan", str(out), "--db", str(other)]) == 0
    assert "imported as plan 2016/17" in capsys.readouterr().out
    # The same year again is refused, and says what to do.
    assert main(["import-plan", str(out), "--db", str(other)]) == 1
    err = capsys.readouterr().err
    assert "already has a plan for 2016/17" in err and "--year" in err
    assert main(["import-plan", str(out), "--db", str(other), "--year", "2017/18"]) == 0


def test_import_lists_problems_with_places(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    assert main(["import-plan", str(path), "--db", str(workspace_path), "--year", "2019/20"]) == 0
    printed = capsys.readouterr().out
    assert "2 priorities, 3 objectives, 6 actions" in printed
    assert "Leads (1):" in printed and "name 3 new agencies and 2 new officers" in printed


def test_dry_run_lead_table_and_mapping_file(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    mapping = tmp_path / "leads.csv"
    db = ["--db", str(workspace_path), "--year", "2019/20"]
    assert main(["import-plan", str(path), *db, "--dry-run", "--leads-out", str(mapping)]) == 0
    printed = capsys.readouterr().out
    assert (
        "  'ECC -Liz Martlew / HC' (1 action)\n"
        "      -> Essex County Council – Liz Martlew (LM); Castle Point Borough Council – "
        "Helen Collins (HC)\n"
    ) in printed
    assert "      note: Community Safety Officers\n" in printed
    rows = list(csv.reader(mapping.open(encoding="utf-8-sig")))
    assert rows[0] == ["Lead text", "Actions", "Agencies and officers", "Note"]
    row = next(r for r in rows if r[0] == "All partners")
    row[2], row[3] = "Essex Police", "all partners, led by the police"
    rows.append(["A lead text from another plan", "1", "Essex Police", ""])
    with mapping.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows(rows)
    assert main(["import-plan", str(path), *db, "--leads", str(mapping)]) == 0
    assert (
        "1 row of leads.csv name lead texts this workbook does not have" in capsys.readouterr().out
    )
    with Workspace.open(workspace_path) as workspace:
        plan = workspace.read(export_workspace, "2019/20")["plans"][0]
    action = plan["priorities"][0]["objectives"][1]["actions"][0]
    assert action["title"] == "Actively promote Essex wide campaigns"
    assert action["leads"] == [{"agency": "Essex Police", "officer": None, "text": "Essex Police"}]
    assert action["lead_note"] == "all partners, led by the police"
    # The choice is the workspace's now: the next import reads the text the same.
    assert main(["import-plan", str(path), *db[:2], "--year", "2020/21", "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "  'All partners' (1 action) (your choice)\n      -> Essex Police\n" in printed


def test_import_into_a_new_workspace_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = seed_000_layout(tmp_path / "legacy.xlsx")
    new = tmp_path / "new.cspdesk"
    assert main(["import-plan", str(path), "--db", str(new), "--dry-run"]) == 0
    assert not new.exists()
    assert main(["import-plan", str(path), "--db", str(new)]) == 0
    assert "workspace created" in capsys.readouterr().out
    with Workspace.open(new) as workspace:
        data = workspace.read(export_workspace)
    assert data["partnership"]["name"] == "Castle Point and Rochford Community Safety Partnership"
    assert sorted(a["name"] for a in data["agencies"]) == [
        "All partners",
        "Castle Point Borough Council",
        "Essex County Council",
        "Essex Police",
        "Rochford District Council",
        "Safer Places",
    ]


def test_unreadable_file_exits_non_zero(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("Action,Lead\nPatrols,Police\n")
    assert main(["import-plan", str(path), "--db", str(workspace_path)]) == 1
    assert "plan.xlsx: this is a text file (CSV?)" in capsys.readouterr().err


def test_dates_and_rag_as_councils_write_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.io.plan_layouts import milestone_blocks, rag_as_fill_only, title_block_text_dates

    def actions(layout, name: str) -> list[dict]:  # type: ignore[no-untyped-def]
        db = tmp_path / f"{layout.__name__}.cspdesk"
        path = layout(tmp_path / f"{layout.__name__}.xlsx")
        assert main(["import-plan", str(path), "--db", str(db), "--name", name]) == 0
        with Workspace.open(db) as workspace:
            plan = workspace.read(export_workspace)["plans"][0]
        return [a for p in plan["priorities"] for o in p["objectives"] for a in o["actions"]]

    dated = actions(title_block_text_dates, "Maldon District CSP")
    assert [(a["timescale"], a["due_date"]) for a in dated] == [
        ("by March 2018", "2018-03-31"),
        ("Sept 17", "2017-09-30"),
        ("Ongoing", None),
    ]
    coloured = actions(rag_as_fill_only, "Castle Point and Rochford CSP")
    assert [a["rag"] for a in coloured] == ["G", "G", "A", "R"]  # Excel's Light Green: Green
    blocks = actions(milestone_blocks, "Castle Point and Rochford CSP")
    assert [(u["quarter"], u["rag"]) for u in blocks[1]["updates"]] == [(1, "A")]  # 2nd RAG
    assert (blocks[1]["title"], blocks[1]["due_date"]) == (
        "Deliver the Freedom Programme across Rochford District",
        "2013-09-30",
    )
    assert "RAG read from the cell colour #92D050 as Green" in capsys.readouterr().out
