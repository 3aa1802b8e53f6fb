"""`cspdesk returns make|apply|status` run as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", "returns", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_apply_status(workspace_path: Path, tmp_path: Path) -> None:
    db = str(workspace_path)
    out = tmp_path / "out"
    made = run("make", "--db", db, "--quarter", "Q1", "-o", str(out), "--due", "2016-07-20")
    assert made.returncode == 0, made.stderr
    assert "3 returns written" in made.stdout
    police = out / "2016-17 Q1 return – Essex Police.xlsx"
    book = load_workbook(police)
    book["Actions"]["G2"] = "Days of action held\nin Rayleigh"
    book.save(police)
    status = run("status", "--db", db, "--quarter", "1")
    assert "LATE      Essex Police (1 action)" in status.stdout, status.stdout

    dry = run("apply", "--db", db, str(police), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert (
        "2.1.1 Joint days of action – Essex Police's update (row 2): (blank) -> "
        "Days of action held ⏎ in Rayleigh" in dry.stdout
    ), dry.stdout
    assert "Essex Police's RAG (row 2): (blank) -> Red  [the RAG the return showed" in dry.stdout
    assert "would merge 2 changes" in dry.stdout
    assert "nothing was written" in dry.stdout

    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    applied = run("apply", "--db", db, str(police), str(junk))
    assert applied.returncode == 1
    assert "merged 2 changes" in applied.stdout
    assert "refused: junk.xlsx: this is a text file" in applied.stdout
    status = run("status", "--db", db)
    assert "RETURNED  Essex Police" in status.stdout and "Essex Police Q1" not in status.stdout


def test_nothing_a_partner_typed_is_dropped_without_a_word(
    workspace_path: Path, tmp_path: Path
) -> None:
    db = str(workspace_path)
    out = tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q2", "-o", str(out)).returncode == 0
    path = out / "2016-17 Q2 return – All partners.xlsx"
    book = load_workbook(path)
    sheet = book["Actions"]
    sheet["F2"] = "Corrected last quarter: two campaigns, not one"  # over Last quarter's update
    sheet["G2"] = "=1/0"  # a formula, saved by openpyxl with no value
    sheet["I4"] = "31/09/2016"
    sheet["C6"] = "White Ribbon day stall at the market, with leaflets for every stallholder"
    sheet["G6"] = "Held on 25 November; 200 leaflets given out"
    sheet["H6"] = "Green"
    book.save(path)
    dry = run("apply", "--db", db, str(path), "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    notes = dry.stdout
    assert (
        "note: sheet 'Actions', row 2, column F: text typed over last quarter's update was not "
        "merged: 'Corrected last quarter: two campaigns, not one'" in notes
    ), notes
    assert (
        "note: sheet 'Actions', row 2, column G: =1/0 was saved without a value: not merged"
        in notes
    )
    assert "row 4, column I: '31/09/2016' is not a date (there is no 31 September 2016)" in notes
    assert (
        "new work, sheet 'Actions' row 6 (place it in the plan): Action / milestone: White "
        "Ribbon day stall at the market, with leaflets for every stallholder; This quarter's "
        "update: Held on 25 November; 200 leaflets given out; RAG: Green" in notes
    )
    assert "NOT ALL MERGED: would merge 0 changes" in notes, notes


def test_filled_returns_are_never_overwritten_and_overlong_text_is_cut(
    workspace_path: Path, tmp_path: Path
) -> None:
    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    police = out / "2016-17 Q1 return – Essex Police.xlsx"
    book = load_workbook(police)
    book["Actions"]["G2"] = "x" * 50_000  # pasted a whole report into one cell
    book.save(police)
    typed = police.read_bytes()
    again = run("make", "--db", db, "--quarter", "Q1", "-o", str(out))
    assert again.returncode == 0, again.stderr
    assert police.read_bytes() == typed  # the partner's file is as they left it
    assert "2016-17 Q1 return – Essex Police (2).xlsx" in again.stdout
    applied = run("apply", "--db", db, str(police))
    assert applied.returncode == 0, applied.stdout
    assert "the update fills the cell (32,767 characters, the most an Excel cell holds)" in (
        applied.stdout
    )
    third = run("make", "--db", db, "--quarter", "Q2", "-o", str(tmp_path / "q2"))
    assert third.returncode == 0 and "3 returns written" in third.stdout, third.stdout


def test_a_return_carrying_another_leads_stamp_is_refused(
    workspace_path: Path, tmp_path: Path
) -> None:
    """The token swap: Rochford's file given Essex Police's hidden stamp."""
    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    police = load_workbook(out / "2016-17 Q1 return – Essex Police.xlsx")
    rochford = load_workbook(out / "2016-17 Q1 return – Rochford District Council.xlsx")
    stamp, theirs = rochford["cspdesk"], police["cspdesk"]
    stamp.delete_rows(1, stamp.max_row)
    for row in theirs.iter_rows(values_only=True):
        stamp.append(row)
    swapped = tmp_path / "swapped.xlsx"
    rochford.save(swapped)
    result = run("apply", "--db", db, str(swapped))
    assert result.returncode == 1, result.stdout
    assert (
        "this file is Rochford District Council's return by its cover, but it carries the "
        "stamp of Essex Police's return" in result.stdout
    ), result.stdout
