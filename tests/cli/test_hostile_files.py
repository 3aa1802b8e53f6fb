"""Hostile workbooks given to the commands a user runs: each is refused with our message, the
process never aborts, and the good files beside it are still read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.io import hostile


def cspdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def police_return(workspace_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    made = cspdesk(
        "returns", "make", "--db", str(workspace_path), "--quarter", "Q1", "-o", str(out)
    )
    assert made.returncode == 0, made.stderr
    return out / "2016-17 Q1 return – Essex Police.xlsx"


@pytest.mark.parametrize("make", ["case", "twin-far-first", "twin-far-last"])
def test_crafted_stamp_sheet_is_refused_and_the_next_return_still_merges(
    workspace_path: Path, police_return: Path, tmp_path: Path, make: str
) -> None:
    crafted = tmp_path / "crafted.xlsx"
    if make == "case":
        hostile.case_link_far_cell(police_return, crafted, "cspdesk")
    else:
        hostile.twin_member_far_cell(
            police_return, crafted, "cspdesk", far_first=make == "twin-far-first"
        )
    applied = cspdesk(
        "returns", "apply", "--db", str(workspace_path), str(crafted), str(police_return)
    )
    assert applied.returncode == 1, applied.stderr  # not -6 (SIGABRT)
    assert "Traceback" not in applied.stderr
    assert "refused: crafted.xlsx" in applied.stdout
    reason = "too large to read" if make == "case" else "appears twice"
    assert reason in applied.stdout
    assert "Essex Police" in applied.stdout


@pytest.mark.parametrize("command", ["import-plan", "figures"])
def test_case_linked_far_cell_is_refused_by_every_importer(
    workspace_path: Path, tmp_path: Path, command: str
) -> None:
    from tests.io.workbooks import make_workbook

    crafted = hostile.case_link_far_cell(
        make_workbook(tmp_path / "plan.xlsx"), tmp_path / "crafted.xlsx", "Plan"
    )
    args = ["figures", "import"] if command == "figures" else [command]
    run = cspdesk(*args, str(crafted), "--db", str(workspace_path))
    assert run.returncode == 1, run.stderr
    assert run.stderr.startswith("cspdesk: crafted.xlsx"), run.stderr
    assert "Traceback" not in run.stderr


def _import(kind: str, path: Path, db: Path) -> subprocess.CompletedProcess[str]:
    args = ["figures", "import"] if kind == "figures" else ["import-plan", "--dry-run"]
    return cspdesk(*args, str(path), "--db", str(db))


def child_cpu_seconds() -> float:
    """Processor time of finished child processes: what a bound on "quickly" should measure
    (wall time also counts whatever else the machine is doing)."""
    import resource

    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@pytest.mark.parametrize("kind", ["import-plan", "figures"])
def test_bombs_are_refused_quickly_in_bounded_memory(
    workspace_path: Path, tmp_path: Path, kind: str
) -> None:
    import resource

    bombs = {
        hostile.merge_bomb(tmp_path / "merges.xlsx", 4000): "merged cells cover 3,200,000",
        hostile.merge_bomb(tmp_path / "two.xlsx", 2, rows=20): "merged cell ranges overlap",
        hostile.merge_bomb(tmp_path / "many.xlsx", 6000, rows=6000, overlapping=False): (
            "6,000 merged cell ranges; the limit is 5,000"
        ),
        hostile.string_bomb(tmp_path / "strings.xlsx", 300_000): "300,000 different texts",
        hostile.renamed_string_bomb(tmp_path / "renamed.xlsx", 300_000): "300,000 different",
        hostile.far_cell(tmp_path / "far.xlsx"): "1,048,576",
    }
    for path, words in bombs.items():
        started = child_cpu_seconds()
        run = _import(kind, path, workspace_path)
        took = child_cpu_seconds() - started
        assert run.returncode == 1, run.stderr
        assert run.stderr.startswith(f"cspdesk: {path.name}"), run.stderr
        assert "Traceback" not in run.stderr and "Warning" not in run.stderr, run.stderr
        assert words in run.stderr, run.stderr
        assert took < 10, (path.name, took)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert peak_kb < 500 * 1024


def test_merges_that_do_not_overlap_still_import(workspace_path: Path, tmp_path: Path) -> None:
    path = hostile.merge_bomb(tmp_path / "rows.xlsx", 150, overlapping=False)
    run = _import("import-plan", path, workspace_path)
    assert "merged" not in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_a_file_just_within_the_limits_reads_in_bounded_time_and_memory(
    workspace_path: Path, tmp_path: Path
) -> None:
    import resource

    from cspdesk.io import gate

    rows = gate.MAX_CELLS // 12
    path = hostile.text_table(tmp_path / "large.xlsx", rows, 12, gate.MAX_SHARED_STRINGS)
    started = child_cpu_seconds()
    run = _import("import-plan", path, workspace_path)
    took = child_cpu_seconds() - started
    assert "no plan table found" in run.stderr, run.stderr  # read through, not refused
    assert took <= 10, took
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss <= 500 * 1024
    over = hostile.text_table(tmp_path / "over.xlsx", 2, 2, gate.MAX_SHARED_STRINGS + 1)
    assert "different texts; the limit is" in _import("import-plan", over, workspace_path).stderr
