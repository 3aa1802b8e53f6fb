"""Returns a partner saved in LibreOffice as .ods ("Use ODF Format!") or as Excel 97-2003 .xls
are read, with the same guarantees as an .xlsx: every cell stored or named to the officer.

The fixtures were filled in and saved by LibreOffice 7.4 itself over UNO
(tests/data/returns/ods_xls_source.py says exactly what was typed where), from the All partners
Q1 return of the conftest plan: row 2 is action A1, rows 3 and 4 its milestones M1 and M2,
columns G, H and I the update, RAG and done date; rows 5 on are for new work.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import struct
import subprocess
import zipfile
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from python_calamine import CalamineWorkbook

from cspdesk.core.workspace.serialize import load_workspace_data
from cspdesk.returns.account import cell_fates
from cspdesk.returns.apply import apply_return
from cspdesk.returns.cells import cell_text
from cspdesk.returns.layout import HEADINGS
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli
from tests.conftest import small_plan_data
from tests.returns.ods_cells import (
    DATA,
    adopt,
    copy_fixture,
    rewrite_member,
    saved_on,
    set_ods_cells,
)
from tests.returns.test_accounting import EDITS, _held, _same_status, reported_cells
from tests.returns.test_returns_libreoffice import SYSTEM_PYTHON, _has_uno

pytestmark = pytest.mark.both_engines

KINDS = ["ods", "xls"]


def apply(location: Location, *paths: Path, dry: bool = False) -> tuple[int, str]:
    args = ["returns", "apply", "--db", str(location), *(["--dry-run"] if dry else [])]
    done = run_cli(*args, *map(str, paths))
    return done.returncode, done.stdout + done.stderr


def exported(location: Location) -> dict:  # type: ignore[type-arg]
    dump = run_cli("export-json", "--db", str(location))
    assert dump.returncode == 0, dump.stderr
    return json.loads(dump.stdout)  # type: ignore[no-any-return]


def action_a1(data: dict) -> dict:  # type: ignore[type-arg]
    return data["plans"][0]["priorities"][0]["objectives"][0]["actions"][0]  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", KINDS)
def test_a_return_filled_in_libreoffice_merges_every_cell(
    workspace_path: Location, tmp_path: Path, kind: str
) -> None:
    adopt(workspace_path)
    path = copy_fixture(f"filled.{kind}", tmp_path)
    code, out = apply(workspace_path, path)
    # Merged what it could; the formula, the comment and the words on the cover are the
    # officer's to see (exit 2), each named with its cell.
    assert code == 2, out
    assert "completed by Essex Police, Emma Clark" in out
    assert "update (row 2): (blank) -> 50%" in out
    assert "RAG (row 2): (blank) -> Amber" in out
    assert "done date (row 4): (blank) -> 15/12/2016" in out
    assert "RAG (row 4): Green -> Blue" in out
    formula = "=2+2" if kind == "ods" else "a formula"
    assert f"row 3, column G: {formula} (saved result '4'): not merged" in out
    assert "sheet 'Cover', row 9, column C: 'Back from leave on Monday'" in out
    assert "'Amber until the second venue is booked', was not merged" in out
    assert "3 cells of the partner's were not merged" in out

    data = exported(workspace_path)
    action = action_a1(data)
    [said] = [c for c in action["contributions"] if c["quarter"] == 1]
    assert (said["text"], said["rag"]) == ("50%", "A")
    assert said["source"].endswith(f"filled.{kind}, completed by Essex Police, Emma Clark")
    first, second = action["milestones"]
    assert (first["done_date"], first["rag"]) == ("2016-06-20", "B")  # the formula changed nothing
    assert (second["done_date"], second["rag"]) == ("2016-12-15", "B")
    new_work = sorted((w["row"], w["cells"]) for w in data["plans"][0]["new_work"])
    assert new_work == [
        (
            5,
            {
                "Action / milestone": "White Ribbon day stall",
                "This quarter's update": "£1,234.50",
                "RAG": "Green",
            },
        ),
        (6, {"Action / milestone": "Leaflets printed", "This quarter's update": "2,000"}),
    ]
    [sent] = data["plans"][0]["returns"]
    assert sent["merged_file"] == path.name
    assert sent["merged_saved_at"].startswith(dt.date.today().isoformat()[:4])


@pytest.mark.parametrize("kind", KINDS)
def test_every_cell_is_stored_or_named(workspace_path: Location, tmp_path: Path, kind: str) -> None:
    """The accounting of the LibreOffice-saved file: each cell the partner wrote (values,
    the formula, the comment, the cover words) has a fate, and those not stored say why."""
    adopt(workspace_path)
    path = copy_fixture(f"filled.{kind}", tmp_path)
    with Workspace.open(workspace_path) as workspace:
        diff = workspace.read(read_return, path)
    fates = {fate.cell.where: fate for fate in cell_fates(diff)}
    assert set(fates) == {
        ("Actions", 2, "G"),
        ("Actions", 2, "H"),
        ("Actions", 2, "H (comment)"),
        ("Actions", 3, "G"),
        ("Actions", 3, "H"),  # M1's Blue and done date, as cspdesk wrote them
        ("Actions", 3, "I"),
        ("Actions", 4, "H"),
        ("Actions", 4, "I"),
        *(("Actions", row, column) for row in (5, 6) for column in "CG"),
        ("Actions", 5, "H"),
        ("Cover", 9, "C"),
    }
    stored = {where for where, fate in fates.items() if fate.stored}
    assert set(fates) - stored == {
        ("Actions", 2, "H (comment)"),
        ("Actions", 3, "G"),
        ("Cover", 9, "C"),
    }
    assert all(fates[where].why for where in set(fates) - stored)


def test_ods_and_xls_read_the_same(workspace_path: Location, tmp_path: Path) -> None:
    """The same return saved both ways is read alike (the review and the CLI share the reader;
    an .xls cannot give the formula's text)."""
    adopt(workspace_path)
    outputs = []
    for kind in KINDS:
        path = copy_fixture(f"filled.{kind}", tmp_path, "filled." + kind)
        code, out = apply(workspace_path, path, dry=True)
        assert code == 2, out
        outputs.append(out.replace(f"filled.{kind}", "FILE").replace("=2+2", "a formula"))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_copy_of_the_sheet_is_merged(
    workspace_path: Location, tmp_path: Path, kind: str
) -> None:
    adopt(workspace_path)
    code, out = apply(workspace_path, copy_fixture(f"copied.{kind}", tmp_path))
    assert code == 0, out
    assert "[from the copy 'Actions (2)']" in out
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert (said["text"], said["rag"]) == ("Written in the copy of the sheet", "R")


@pytest.mark.parametrize("kind", KINDS)
def test_the_token_in_the_document_properties_is_enough(
    workspace_path: Location, tmp_path: Path, kind: str
) -> None:
    """The hidden stamp sheet deleted: the token LibreOffice kept among the document's custom
    properties (meta.xml; the .xls's DocumentSummaryInformation) still finds the return."""
    adopt(workspace_path)
    code, out = apply(workspace_path, copy_fixture(f"unstamped.{kind}", tmp_path))
    assert code == 0, out
    assert "the return's list of rows was lost" in out
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert said["text"] == "Typed after the stamp sheet was deleted"


def test_an_older_ods_after_a_newer_one_is_refused(
    workspace_path: Location, tmp_path: Path
) -> None:
    """Versions are ordered by the saved time in meta.xml, never by the order they arrive."""
    adopt(workspace_path)
    newer = copy_fixture("filled.ods", tmp_path, "v2.ods")
    older = copy_fixture("copied.ods", tmp_path, "v1.ods")
    saved_on(older, dt.datetime(2016, 7, 1, 9, 30))
    assert apply(workspace_path, newer)[0] == 2
    code, out = apply(workspace_path, older)
    assert code == 1, out
    assert "v1.ods: this is an older version of All partners' return: it was saved on " in out
    assert "01/07/2016 09:30, but" in out
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert said["text"] == "50%"


@pytest.mark.parametrize("kind", KINDS)
def test_a_damaged_file_gets_one_line_naming_it(
    workspace_path: Location, tmp_path: Path, kind: str
) -> None:
    adopt(workspace_path)
    path = tmp_path / f"damaged.{kind}"
    data = copy_fixture(f"filled.{kind}", tmp_path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    code, out = apply(workspace_path, path)
    assert code == 1, out
    [line] = [line for line in out.splitlines() if line.strip()]
    assert line.startswith(f"refused: damaged.{kind}: ")
    assert "Traceback" not in out
    assert exported(workspace_path)["plans"][0]["new_work"] == []


def test_other_files_are_still_refused_saying_what_they_are(
    workspace_path: Location, tmp_path: Path
) -> None:
    adopt(workspace_path)
    text = tmp_path / "return.ods"
    text.write_text("ID,This quarter's update\nA1,On track\n")
    code, out = apply(workspace_path, text)
    assert code == 1, out
    assert "return.ods: this is a text file (CSV?), not an Excel workbook" in out


_examples = count()


def _base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The conftest plan as the workspace that made the fixtures, made once."""
    base = tmp_path_factory.getbasetemp() / "ods_accounting_base" / "plan.cspdesk"
    if not base.exists():
        base.parent.mkdir()
        workspace = Workspace.create(base, "Test Vale CSP")
        workspace.write(load_workspace_data, small_plan_data())
        workspace.close()
        adopt(base)
    return base


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=EDITS)
@example(edits={"G2": "On track", "H2": dt.date(2015, 1, 1), "C5": "New", "J3": "Beside"})
@pytest.mark.file_only
def test_every_cell_typed_into_an_ods_is_stored_or_reported(
    tmp_path_factory: pytest.TempPathFactory, edits: dict[str, object]
) -> None:
    """The accounting invariant of test_accounting.py, for returns saved as .ods: the blank
    return LibreOffice saved, filled at random, then merged; every cell written is as cspdesk
    wrote it, held by the workspace (read from its tables), or named at its sheet, row and
    column."""
    folder = tmp_path_factory.getbasetemp() / f"ods_accounting_{next(_examples)}"
    folder.mkdir()
    plan = folder / "plan.cspdesk"
    shutil.copy(_base(tmp_path_factory), plan)
    path = copy_fixture("blank.ods", folder, "return.ods")
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Actions").to_python()
    headings = {chr(65 + i): str(v) for i, v in enumerate(grid[0])}

    def original(ref: str) -> object:
        row, column = int(ref[1:]) - 1, ord(ref[0]) - 65
        line = grid[row] if row < len(grid) else []
        return line[column] if column < len(line) and line[column] != "" else None

    set_ods_cells(path, "Actions", edits)
    with Workspace.open(plan) as workspace:
        diff = workspace.read(read_return, path)
        reported, left = reported_cells(diff)
        workspace.write(apply_return, diff)
        for ref, value in edits.items():
            text = cell_text(value)
            if not text.strip() or value == original(ref):
                continue  # an empty cell says nothing; as cspdesk wrote it
            letter, row = ref[0], int(ref[1:])
            column = HEADINGS.get(headings.get(letter, "").casefold(), "")
            where = ("Actions", row, letter)
            if column == "rag" and _same_status(value, original(ref)):
                continue  # the status cspdesk wrote, in other words ("On track" for Green)
            assert (
                _held(workspace, row, column, text, value)
                or where in reported
                or ("Actions", row, "") in reported
            ), (ref, value, [p.describe() for p in diff.problems], diff.changes)
            if where in left:
                assert where in reported or ("Actions", row, "") in reported


def test_an_xls_comment_that_cannot_be_read_is_named(
    workspace_path: Location, tmp_path: Path
) -> None:
    """A note whose text is not where Excel and LibreOffice keep it (its drawing object's
    text record): named by its cell, with how to see it, never dropped."""
    adopt(workspace_path)
    path = copy_fixture("filled.xls", tmp_path)
    data = bytearray(path.read_bytes())
    note = data.index(b"\x1c\x00\x0d\x00\x01\x00\x07\x00")  # the NOTE record of cell H2
    data[note + 10 : note + 12] = b"\x77\x77"  # points at no drawing object
    path.write_bytes(bytes(data))
    code, out = apply(workspace_path, path)
    assert code == 2, out
    assert "Amber until the second venue is booked" not in out
    assert (
        "note: sheet 'Actions', row 2, column H (comment): the comment on cell H2 could not be "
        "read from this .xls and was not merged; save the file as .xlsx"
    ) in out
    assert "3 cells of the partner's were not merged" in out


SOURCE_SCRIPT = DATA / "ods_xls_source.py"


@pytest.mark.file_only
@pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno is not installed")
def test_filled_and_saved_by_libreoffice_now(workspace_path: Location, tmp_path: Path) -> None:
    """The fixtures made again, live: this workspace's return filled in LibreOffice over UNO
    and saved as .ods and .xls, then merged through the CLI."""
    with Workspace.open(workspace_path) as workspace:
        made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    out = tmp_path / "lo"
    out.mkdir()
    subprocess.run(
        [SYSTEM_PYTHON, str(SOURCE_SCRIPT), str(made["All partners"]), str(out),
         str(tmp_path / "profile")],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    for kind in KINDS:
        code, out_text = apply(workspace_path, out / f"filled.{kind}", dry=True)
        assert code == 2, out_text
        assert "update (row 2): (blank) -> 50%" in out_text
        assert "This quarter's update: £1,234.50" in out_text
        assert "'Amber until the second venue is booked', was not merged" in out_text
    code, out_text = apply(workspace_path, out / "filled.ods")
    assert code == 2, out_text
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert (said["text"], said["rag"]) == ("50%", "A")


def _nan_in_ods(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        content = archive.read("content.xml")
    old = b'office:value-type="percentage" office:value="0.5"'  # G2, shown 50%
    rewrite_member(path, "content.xml", content.replace(old, old.replace(b"0.5", b"NaN")))


def _infinity_in_xls(path: Path) -> None:
    data = bytearray(path.read_bytes())
    formula = data.index(b"\x06\x00\x1d\x00\x02\x00\x06\x00")  # FORMULA of G3, saved 4
    data[formula + 10 : formula + 18] = struct.pack("<d", math.inf)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("kind", "spoil", "cell"), [
    ("ods", _nan_in_ods, "row 2, column G: the number 'NaN'"),
    ("xls", _infinity_in_xls, "row 3, column G: the number inf"),
])  # fmt: skip
def test_a_number_no_spreadsheet_writes_is_refused_naming_its_cell(  # type: ignore[no-untyped-def]
    workspace_path: Location, tmp_path: Path, kind: str, spoil, cell: str
) -> None:
    """NaN or infinity in a number cell: refused where it enters, as in an .xlsx."""
    adopt(workspace_path)
    path = copy_fixture(f"filled.{kind}", tmp_path)
    spoil(path)
    code, out = apply(workspace_path, path)
    assert code == 1, out
    assert f"refused: filled.{kind}, sheet 'Actions', {cell}" in out
    assert exported(workspace_path)["plans"][0]["new_work"] == []


def test_an_ods_update_longer_than_an_excel_cell_names_what_was_left_out(
    workspace_path: Location, tmp_path: Path
) -> None:
    """An .ods cell holds more than Excel's 32,767 characters: the first are merged, the
    rest is quoted in a note and the cell counts as not merged (NOT ALL MERGED, exit 2)."""
    adopt(workspace_path)
    path = copy_fixture("blank.ods", tmp_path, "long.ods")
    words = "Patrols continued. " * 2000 + "THE LAST WORDS"  # 38,014 characters
    set_ods_cells(path, "Actions", {"G2": words})
    code, out = apply(workspace_path, path)
    assert code == 2, out
    assert (
        "column G: the update holds 38,014 characters, more than the 32,767 an Excel cell "
        "holds: the first 32,767 were taken; the last 5,247, from" in out
    ), out
    assert "NOT ALL MERGED: merged 2 changes; 1 cell of the partner's was not merged" in out
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert said["text"] == words[:32_767]
