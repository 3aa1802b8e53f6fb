"""`cspdesk returns apply` with returns that bring nothing says so, as the window does, and
records nothing: the chase list keeps chasing a partner who returned the blank file."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from openpyxl import load_workbook

from tests.cli.test_returns_commands import exported, run
from tests.returns.test_partner_habits import fill


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

    # The partner's return is still awaited: left for the officer to chase (exit 2).
    dry = run("apply", "--db", db, str(police), "--dry-run")
    assert dry.returncode == 2 and blank in dry.stdout, dry.stdout
    applied = run("apply", "--db", db, str(police))
    assert applied.returncode == 2 and blank in applied.stdout, applied.stdout
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


def test_a_blank_version_after_a_filled_one_takes_nothing_back_unless_told(
    workspace_path: Path, tmp_path: Path
) -> None:
    """The original re-saved and sent after the filled return was merged: nothing written, it
    would take back every word; nothing is merged until --accept-conflicts says so."""
    db = str(workspace_path)
    out = tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    police = out / "2016-17 Q1 return – Essex Police.xlsx"
    first, blank = tmp_path / "first.xlsx", tmp_path / "blank.xlsx"
    shutil.copy(police, first)
    fill(first, {"G2": "Two days of action held in Rayleigh"}, saved=dt.datetime(2016, 7, 10, 9))
    shutil.copy(police, blank)
    fill(blank, {}, saved=dt.datetime(2016, 7, 11, 9))
    assert run("apply", "--db", db, str(first)).returncode == 0

    held = run("apply", "--db", db, str(blank))
    said = (
        "blank.xlsx holds nothing written by Essex Police and would take back everything "
        "first.xlsx said (merged on "
    )
    hint = (
        ": nothing was merged; if the partner really meant to withdraw it all, merge it with "
        "--accept-conflicts\n"
    )
    assert held.returncode == 2, held.stdout + held.stderr
    assert f"  NOT ALL MERGED: {said}" in held.stdout and hint in held.stdout, held.stdout
    assert "CONFLICT" in held.stdout, held.stdout
    assert "Two days of action held in Rayleigh" in partners_words(db)
    status = run("status", "--db", db, "--quarter", "1").stdout
    assert "(first.xlsx)" in status, status

    taken = run("apply", "--db", db, str(blank), "--accept-conflicts")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    assert "merged 2 changes" in taken.stdout, taken.stdout
    assert "Two days of action held in Rayleigh" not in partners_words(db)


def partners_words(db: str) -> list[str]:
    """Every partner's words on the plan's actions, as `cspdesk export-json` prints them."""
    return [
        said["text"]
        for priority in exported(db)["plans"][0]["priorities"]
        for objective in priority["objectives"]
        for action in objective["actions"]
        for said in action.get("contributions", [])
    ]
