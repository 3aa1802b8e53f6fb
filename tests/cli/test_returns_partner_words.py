"""Issue 23 through the command line, on the demo's Q2 returns filled as partners fill them in
LibreOffice: every word is stored where the partner meant it, or listed, and the summary and
exit code say so."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.runner import run_cli
from tests.returns.test_rows_moved import swap_visible

POLICE = "2016-17 Q2 return – Essex Police.xlsx"


@pytest.fixture(scope="module")
def demo_q2(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("demo_q2")
    db = base / "demo.cspdesk"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    made = run_cli("returns", "make", "--db", str(db), "--quarter", "Q2", "-o", str(base / "q2"))
    assert made.returncode == 0, made.stdout + made.stderr
    return db, base / "q2" / POLICE


@pytest.fixture
def demo(demo_q2: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A fresh copy of the demo workspace and of Essex Police's Q2 return."""
    db, police = demo_q2
    shutil.copy(db, tmp_path / db.name)
    shutil.copy(police, tmp_path / police.name)
    return tmp_path / db.name, tmp_path / police.name


def actions(db: Path) -> list[dict]:  # type: ignore[type-arg]
    """The demo plan's actions as `export-json` prints them."""
    dump = run_cli("export-json", "--db", str(db))
    assert dump.returncode == 0, dump.stderr
    (plan,) = json.loads(dump.stdout)["plans"]
    return [
        action
        for priority in plan["priorities"]
        for objective in priority["objectives"]
        for action in objective["actions"]
    ]


def contributions(db: Path) -> dict[int, tuple[str, str | None]]:
    """Essex Police's Q2 words and RAG by action, as `export-json` prints them."""
    return {
        action["id"]: (said["text"], said["rag"])
        for action in actions(db)
        for said in action["contributions"]
        if said["quarter"] == 2 and said["lead"] == "Essex Police"
    }


def milestones(db: Path) -> dict[int, tuple[str | None, str | None]]:
    """Each milestone's done date and RAG, as `export-json` prints them."""
    return {
        milestone["id"]: (milestone["done_date"], milestone["rag"])
        for action in actions(db)
        for milestone in action["milestones"]
    }


def test_visible_columns_sorted_apart_from_the_ids(demo: tuple[Path, Path]) -> None:
    db, police = demo
    book = load_workbook(police)
    sheet = book["Actions"]
    sheet.protection.sheet = False
    assert (sheet["A18"].value, sheet["A19"].value) == ("A29", "A31")
    swap_visible(sheet, 18, 19)  # B18:I19 sorted descending by C
    assert sheet["C18"].value.startswith("Integrated Offender Management")
    sheet["G18"], sheet["H18"] = "IOM cohort of 12, 2 reoffended", "Red"
    book.save(police)
    applied = run_cli("returns", "apply", "--db", str(db), str(police))
    assert applied.returncode == 0, applied.stdout
    assert (
        "note: sheet 'Actions', row 18, column C: row 18 shows action 31's text but action 29's "
        "hidden ID (sorted without the hidden column?): read as action 31" in applied.stdout
    )
    assert "  merged 2 changes" in applied.stdout
    said = contributions(db)
    assert said[31] == ("IOM cohort of 12, 2 reoffended", "R")
    assert 29 not in said


def test_milestones_sorted_apart_from_the_ids(demo: tuple[Path, Path]) -> None:
    db, police = demo
    book = load_workbook(police)
    sheet = book["Actions"]
    sheet.protection.sheet = False
    swap_visible(sheet, 14, 15)  # action A26 and its milestone M27
    sheet["I14"], sheet["H14"] = dt.datetime(2016, 9, 29), "Red"  # on the row showing M27
    book.save(police)
    before = milestones(db)
    applied = run_cli("returns", "apply", "--db", str(db), str(police))
    assert applied.returncode == 0, applied.stdout
    assert "read as milestone 27" in applied.stdout
    after = milestones(db)
    assert after[27] == ("2016-09-29", "R")
    assert {k: v for k, v in after.items() if k != 27} == {
        k: v for k, v in before.items() if k != 27
    }
    assert 26 not in contributions(db)


def apply(db: Path, police: Path, *options: str) -> tuple[int, str]:
    applied = run_cli("returns", "apply", "--db", str(db), str(police), *options)
    return applied.returncode, applied.stdout


def test_words_left_out_are_never_summed_up_as_merged(demo: tuple[Path, Path]) -> None:
    db, police = demo
    book = load_workbook(police)
    sheet = book["Actions"]
    sheet.protection.sheet = False
    sheet.delete_cols(7)  # "This quarter's update"; the RAG is now column G
    sheet["F2"] = "Three inspections this quarter"  # written where the update used to be
    sheet["G2"] = "Red"
    sheet["C5"] = f"{sheet['C5'].value} (HQ and Rayleigh)"
    book.save(police)
    code, out = apply(db, police)
    assert code == 2, out
    assert (
        "note: sheet 'Actions', row 2, column F: text typed over last quarter's update was not "
        "merged: 'Three inspections this quarter'" in out
    )
    assert (
        "note: sheet 'Actions', row 5, column C: the plan's 'Action / milestone' was changed in "
        "the return to '…ssues raised locally (HQ and Rayleigh)'" in out
    ), out
    assert (
        "  NOT ALL MERGED: merged 1 change; 2 cells of the partner's were not merged (each is "
        "listed above with why)" in out
    ), out
    assert contributions(db)[1] == ("", "R")


def test_a_return_merged_whole_exits_0_and_help_names_each_exit_status(
    demo: tuple[Path, Path],
) -> None:
    db, police = demo
    book = load_workbook(police)
    book["Actions"]["G2"] = "Three inspections this quarter"
    book.save(police)
    code, out = apply(db, police, "--dry-run")
    assert code == 0 and "  would merge 2 changes\n" in out, out
    helped = run_cli("returns", "apply", "--help")
    assert (
        "exit status: 0 when every word of every return was merged, or left out by your "
        "--keep-plan or --accept-conflicts, or is in an older version of a return that a newer "
        "file in the same batch supersedes (each such cell is still listed); 2 when something "
        "is left for you (NOT ALL MERGED: cells listed as not merged, or decisions waiting; or "
        "a file was 'Nothing to merge': its partner wrote nothing in it, so their return is "
        "still awaited); 1 when a file "
        "was refused" in " ".join(helped.stdout.split())
    ), helped.stdout


def test_a_row_copied_with_its_id_shows_what_it_held(demo: tuple[Path, Path]) -> None:
    db, police = demo
    book = load_workbook(police)
    sheet = book["Actions"]
    sheet.protection.sheet = False
    for column in "ABCDEF":  # row 2 (A1) copied into the first row for new work
        sheet[f"{column}21"] = sheet[f"{column}2"].value
    sheet["G2"], sheet["H2"] = "Castle Point: 3 inspections", "Green"
    sheet["G21"], sheet["H21"] = "Rochford: 5 inspections", "Amber"
    book.save(police)
    code, out = apply(db, police)
    assert code == 2, out
    for column, typed in (("G", "Rochford: 5 inspections"), ("H", "Amber")):
        assert (
            f"note: sheet 'Actions', row 21, column {column}: {typed!r} was not merged: action 1 "
            "appears twice (rows 2 and 21) and only row 2 was read" in out
        ), out
    assert "2 cells of the partner's were not merged" in out
    assert contributions(db)[1] == ("Castle Point: 3 inspections", "G")


def test_rag_words_and_done_dates_as_partners_type_them(demo: tuple[Path, Path]) -> None:
    db, police = demo
    book = load_workbook(police)
    sheet = book["Actions"]
    sheet["G2"], sheet["H2"] = "Not our action this quarter", "N/A"
    sheet["G5"], sheet["H5"] = "School visits as planned", "Green - on track"
    sheet["I13"] = "31/3/2099"  # milestone M21, done date in the future
    book.save(police)
    code, out = apply(db, police)
    assert "row 2, column H: 'N/A' is not a RAG status; the RAG was left as it was" in out
    assert "names two statuses" not in out
    assert (
        "(milestone) – done date (row 13): (blank) -> 31/03/2099  [a done date in the future "
        "(after today, " in out
    ), out
    assert code == 2  # the N/A is listed as not merged
    said = contributions(db)
    assert said[1] == ("Not our action this quarter", None)
    assert said[13] == ("School visits as planned", "G")
    assert milestones(db)[21][0] == "2099-03-31"
