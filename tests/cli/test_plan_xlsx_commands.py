"""cspdesk import-plan / export-xlsx, run as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.core.serialize import export_workspace
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
    assert "note: sheet 'Plan', row 14, column D: lead 'ECC -Liz Martlew / HC'" in printed


def test_unreadable_file_exits_non_zero(
    workspace_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_text("Action,Lead\nPatrols,Police\n")
    assert main(["import-plan", str(path), "--db", str(workspace_path)]) == 1
    assert "plan.xlsx: this is a text file (CSV?)" in capsys.readouterr().err
