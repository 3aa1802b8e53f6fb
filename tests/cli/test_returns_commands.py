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


def exported(db: str) -> dict:  # type: ignore[type-arg]
    """The workspace as `cspdesk export-json` prints it."""
    import json

    dump = subprocess.run(
        [sys.executable, "-m", "cspdesk", "export-json", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dump.returncode == 0, dump.stderr
    return json.loads(dump.stdout)  # type: ignore[no-any-return]


def plan_exported(db: str) -> dict:  # type: ignore[type-arg]
    """The plan as export-json prints it, without the return records (which note each merge)."""
    plan = exported(db)["plans"][0]
    plan.pop("returns")
    return plan  # type: ignore[no-any-return]


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
    assert dry.returncode == 2, dry.stdout + dry.stderr  # words left for the officer
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


def _saved_on(path: Path, stamp: str) -> None:
    """The workbook's saved time as Excel writes it (openpyxl always writes now)."""
    import re
    import zipfile

    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            target.writestr(item, data)
    temp.replace(path)


def test_partners_habits_through_the_command_line(workspace_path: Path, tmp_path: Path) -> None:
    """A correction and the older version in one batch, an answer in a word, new work, a
    deleted done date column: --accept-conflicts takes the newer version, every word is
    stored or named, and export-json shows what was stored."""
    import shutil

    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    source = out / "2016-17 Q1 return – All partners.xlsx"
    older, newer = tmp_path / "first.xlsx", tmp_path / "correction.xlsx"
    for path, words in ((older, "Campaign one held"), (newer, "On track")):
        shutil.copy(source, path)
        book = load_workbook(path)
        sheet = book["Actions"]
        sheet["G2"], sheet["H2"] = words, None
        sheet["C6"], sheet["G6"] = "White Ribbon stall", "Held on 25 November"
        sheet.protection.sheet = False
        sheet.delete_cols(9)  # "Done date"
        book.save(path)
    _saved_on(older, "2016-07-10T09:00:00Z")
    _saved_on(newer, "2016-07-11T09:00:00Z")
    merged = run("apply", "--db", db, str(older), str(newer), "--accept-conflicts")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    text = merged.stdout
    assert "superseded by correction.xlsx: this file was saved 10/07/2016 09:00, " in text
    assert "(row 2): (blank) -> Campaign one held  [no RAG given; superseded by" in text, text
    assert "'On track' was kept as the update and read as the RAG status too" in text
    assert "the 'Done date' column is not in this sheet (deleted?)" in text
    assert "new work, sheet 'Actions' row 6 (place it in the plan)" in text
    plan = exported(db)["plans"][0]
    action = plan["priorities"][0]["objectives"][0]["actions"][0]
    (said,) = [c for c in action["contributions"] if c["lead"] == "All partners"]
    assert (said["text"], said["rag"]) == ("On track", "G")
    assert [m["done_date"] for m in action["milestones"]] == ["2016-06-20", None]
    status = run("status", "--db", db, "--quarter", "1")
    assert "RETURNED, 1 NEW ITEM TO PLACE All partners" in status.stdout, status.stdout
    again = run("apply", "--db", db, str(older))
    assert again.returncode == 1
    assert "this is an older version of All partners' return" in again.stdout, again.stdout


def test_a_shared_return_filled_by_two_partners_keeps_each_partners_part(
    workspace_path: Path, tmp_path: Path
) -> None:
    """Two organisations each fill a copy of the All partners return and name themselves on
    its cover: each copy's words are that organisation's part, credited to it, in export-json."""
    import shutil

    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    source = out / "2016-17 Q1 return – All partners.xlsx"
    copies = []
    for org, words, rag in (
        ("Essex Police", "Patrols at both campaign events", "Green"),
        ("Rochford District Council", "Leaflets in every library", "Amber"),
    ):
        copy = tmp_path / f"{org}.xlsx"
        shutil.copy(source, copy)
        book = load_workbook(copy)
        book["Cover"]["B8"], book["Cover"]["B9"] = org, "A. Person"
        book["Actions"]["G2"], book["Actions"]["H2"] = words, rag
        book.save(copy)
        copies.append(str(copy))
    merged = run("apply", "--db", db, *copies)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "Essex Police's update (row 2)" in merged.stdout, merged.stdout
    assert "Rochford District Council's update (row 2)" in merged.stdout
    plan = exported(db)["plans"][0]
    action = plan["priorities"][0]["objectives"][0]["actions"][0]
    said = {c["lead"]: c for c in action["contributions"] if c["quarter"] == 1}
    assert sorted(said) == ["Essex Police", "Rochford District Council"]
    police, council = said["Essex Police"], said["Rochford District Council"]
    assert (police["text"], police["rag"]) == ("Patrols at both campaign events", "G")
    assert (council["text"], council["rag"]) == ("Leaflets in every library", "A")
    assert police["lead_key"] != council["lead_key"]
    assert police["source"].endswith("completed by Essex Police, A. Person")
    assert council["source"].endswith("completed by Rochford District Council, A. Person")


def test_a_sheet_copy_filled_differently_is_one_decision_the_command_line_can_settle(
    workspace_path: Path, tmp_path: Path
) -> None:
    """The original sheet and a copy of it give two values (issue 23, B9): each decision is
    printed once, named as two sheets of this file (never another lead's or another version),
    every hint is true of it, and --keep-plan settles it from the command line."""
    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    path = out / "2016-17 Q1 return – All partners.xlsx"
    book = load_workbook(path)
    copy = book.copy_worksheet(book["Actions"])
    copy.title = "Actions (2)"
    book["Actions"]["G2"], copy["G2"] = "Words on the original", "Words on the copy"
    book["Actions"]["I4"], copy["I4"] = "01/12/2016", "02/12/2016"
    book.save(path)
    for flag in ("--dry-run", "--accept-conflicts"):
        result = run("apply", "--db", db, str(path), flag, "--dry-run")
        text = result.stdout
        assert text.count("CONFLICT") == 2, text  # the update and the done date, once each
        assert "another lead's return" not in text and "another version" not in text, text
        assert "in sheet 'Actions' (row 2):  Words on the original" in text, text
        assert "in sheet 'Actions (2)' (row 2):  Words on the copy" in text, text
        assert "2 decisions waiting for you" in text, text
        assert "--accept-conflicts takes the return's" not in text, text
        assert "between two sheets of this file: choose in the window's merge review" in text
    kept = run("apply", "--db", db, str(path), "--keep-plan")
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "decisions waiting" not in kept.stdout and "decision waiting" not in kept.stdout
    assert "you kept the plan's value" in kept.stdout, kept.stdout


def test_an_older_version_is_refused_in_one_plain_sentence(
    workspace_path: Path, tmp_path: Path
) -> None:
    """B11: the refusal of an older version after the newer says "nothing was merged" once."""
    import shutil

    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    source = out / "2016-17 Q1 return – All partners.xlsx"
    older, newer = tmp_path / "first.xlsx", tmp_path / "correction.xlsx"
    for path, words, stamp in (
        (older, "First words", "2016-07-10T09:00:00Z"),
        (newer, "Corrected words", "2016-07-11T09:00:00Z"),
    ):
        shutil.copy(source, path)
        book = load_workbook(path)
        book["Actions"]["G2"] = words
        book.save(path)
        _saved_on(path, stamp)
    assert run("apply", "--db", db, str(newer)).returncode == 0
    refused = run("apply", "--db", db, str(older))
    assert refused.returncode == 1
    assert "this is an older version of All partners' return" in refused.stdout
    assert refused.stdout.count("nothing was merged from it") == 1, refused.stdout


def test_a_correction_saved_in_libreoffice_stands_over_the_original(
    workspace_path: Path, tmp_path: Path
) -> None:
    """B2 as partners do it: the original filled in LibreOffice and merged, then corrected in
    LibreOffice (opened from the original: the words deleted, the done date emptied, the RAG
    set back) and merged: export-json shows the plan as before the original."""
    import json

    import pytest

    from tests.returns.test_returns_libreoffice import SYSTEM_PYTHON, UNO_SCRIPT, _has_uno

    if not _has_uno():
        pytest.skip("LibreOffice with python3-uno is not installed")
    db, out = str(workspace_path), tmp_path / "out"
    assert run("make", "--db", db, "--quarter", "Q1", "-o", str(out)).returncode == 0
    before = plan_exported(db)
    source = out / "2016-17 Q1 return – All partners.xlsx"
    original, correction = tmp_path / "original.xlsx", tmp_path / "correction.xlsx"
    for start, target, edits in (
        (source, original, [["set", "G2", "Campaign held"], ["set", "H4", "Blue"],
                            ["set", "I4", "15/12/2016"]]),
        (original, correction, [["set", "G2", ""], ["set", "H4", "Green"], ["set", "I4", ""]]),
    ):  # fmt: skip
        subprocess.run(
            [SYSTEM_PYTHON, str(UNO_SCRIPT), str(start), str(target),
             str(tmp_path / "profile"), json.dumps(edits)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    first = run("apply", "--db", db, str(original))
    assert "merged 4 changes" in first.stdout, first.stdout
    assert plan_exported(db) != before
    # Taking back everything with nothing written looks like the blank return sent by
    # mistake: nothing is merged until the officer says the partner meant it.
    held = run("apply", "--db", db, str(correction))
    assert held.returncode == 2, held.stdout + held.stderr
    words = "correction.xlsx holds nothing written by All partners and would take back everything"
    assert f"NOT ALL MERGED: {words} original.xlsx said" in held.stdout, held.stdout
    assert plan_exported(db) != before
    second = run("apply", "--db", db, str(correction), "--accept-conflicts")
    text = second.stdout
    assert second.returncode == 0, text + second.stderr
    assert "no changes" not in text and "merged 4 changes" in text, text
    assert "done date (row 4): " in text and f"): {words} original.xlsx said" in text, text
    assert plan_exported(db) == before
