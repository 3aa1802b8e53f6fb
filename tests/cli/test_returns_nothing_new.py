"""`cspdesk returns apply` with returns that bring nothing says so, as the window does, and
records nothing: the chase list keeps chasing a partner who returned the blank file."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tests.cli.test_returns_commands import run


def test_blank_and_already_merged_returns_merge_nothing(
    workspace_path: Path, tmp_path: Path
) -> None:
    db = str(workspace_path)
    out = tmp_path / "out"
    made = run("make", "--db", db, "--quarter", "Q1", "-o", str(out), "--due", "2016-07-20")
    assert made.returncode == 0, made.stderr
    police = out / "2016-17 Q1 return – Essex Police.xlsx"
    blank = (
        "  Nothing to merge: 2016-17 Q1 return – Essex Police.xlsx holds nothing written by "
        "Essex Police (is it the file you sent?)\n"
    )

    dry = run("apply", "--db", db, str(police), "--dry-run")
    assert dry.returncode == 0 and blank in dry.stdout, dry.stdout
    applied = run("apply", "--db", db, str(police))
    assert applied.returncode == 0 and blank in applied.stdout, applied.stdout
    assert "merged 0 changes" not in applied.stdout
    status = run("status", "--db", db, "--quarter", "1")
    assert "LATE      Essex Police (1 action): made " in status.stdout, status.stdout
    assert "merged" not in status.stdout

    book = load_workbook(police)
    book["Actions"]["G2"] = "Two days of action held in Rayleigh"
    book.save(police)
    applied = run("apply", "--db", db, str(police))
    assert applied.returncode == 0 and "  merged 2 changes\n" in applied.stdout, applied.stdout
    status = run("status", "--db", db, "--quarter", "1")
    assert "RETURNED  Essex Police (1 action)" in status.stdout, status.stdout

    again = run("apply", "--db", db, str(police))
    assert again.returncode == 0, again.stderr
    assert "  Nothing new in 2016-17 Q1 return – Essex Police.xlsx (merged on " in again.stdout
    assert "merged 0 changes" not in again.stdout
    assert run("status", "--db", db, "--quarter", "1").stdout == status.stdout
