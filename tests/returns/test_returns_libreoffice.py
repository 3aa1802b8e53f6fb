"""A return opened and saved again by LibreOffice still merges.

tests/data/returns/all_partners_q1_libreoffice.xlsx was made from the conftest plan, filled in
by tests/returns/returns_fill.py and re-saved by LibreOffice 7.4 (`soffice --headless --convert-to
xlsx`), so CI needs no LibreOffice. The live test repeats that when soffice is installed.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cspdesk.core.plan.model import Milestone
from cspdesk.returns.apply import apply_return
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace
from tests.returns.ods_cells import adopt_return as adopt
from tests.returns.returns_fill import fill_all_partners

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "returns"
    / ("all_partners_q1_libreoffice.xlsx")
)


def check_merges(workspace: Workspace, path: Path) -> None:
    diff = workspace.read(read_return, path)
    found = {(c.kind, c.item_id, c.field): c.new for c in diff.changes}
    assert found == {
        ("action", 1, "update"): "Second campaign booked\nfor December",
        ("action", 1, "rag"): "A",
        ("milestone", 2, "done_date"): dt.date(2016, 12, 15),
        ("milestone", 2, "rag"): "B",
    }
    assert not diff.conflicts and not diff.added and not diff.deleted
    workspace.write(apply_return, diff)
    assert workspace.read(lambda s: s.get(Milestone, 2).done_date) == dt.date(2016, 12, 15)


def test_fixture_resaved_by_libreoffice_merges(workspace: Workspace) -> None:
    book = load_workbook(FIXTURE)
    assert book["cspdesk"].sheet_state == "hidden"  # LibreOffice has no "very hidden"
    adopt(workspace, FIXTURE)
    check_merges(workspace, FIXTURE)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_live_libreoffice_round_trip(workspace: Workspace, tmp_path: Path) -> None:
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    source = made["All partners"]
    fill_all_partners(source)
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    check_merges(workspace, out / source.name)


UNO_SCRIPT = Path(__file__).resolve().parent / "libreoffice_uno.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def _has_uno() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    return found.returncode == 0


@pytest.mark.skipif(not _has_uno(), reason="LibreOffice with python3-uno is not installed")
def test_filled_in_libreoffice_with_a_row_deleted_merges(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Typed into and a milestone row deleted in LibreOffice itself (over UNO), saved as .xlsx:
    LibreOffice writes an empty row 1,048,576 and the dimension A1:I1048576; the return still
    merges, the deleted row changes nothing, and the typed words are stored."""
    made = {m.lead.name: m.path for m in make_returns(workspace, 1, 1, tmp_path)}
    filled = tmp_path / "filled in LibreOffice.xlsx"
    edits = [
        ["set", "G2", "Typed in LibreOffice"],
        ["set", "H2", "Amber"],
        ["delete_row", 3],  # milestone M1, done on 20/06/2016
        ["set", "C5", "New: a stall at the market"],  # the first new-work row, moved up one
    ]
    subprocess.run(
        [SYSTEM_PYTHON, str(UNO_SCRIPT), str(made["All partners"]), str(filled),
         str(tmp_path / "profile"), json.dumps(edits)],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    with zipfile.ZipFile(filled) as archive:
        assert b'<dimension ref="A1:I1048576"/>' in archive.read("xl/worksheets/sheet2.xml")
    diff = workspace.read(read_return, filled)
    found = {(c.kind, c.item_id, c.field): c.new for c in diff.changes}
    assert found == {("action", 1, "update"): "Typed in LibreOffice", ("action", 1, "rag"): "A"}
    assert [(d.kind, d.item_id) for d in diff.deleted] == [("milestone", 1)]
    assert [row.values for row in diff.added] == [
        {"Action / milestone": "New: a stall at the market"}
    ]
    workspace.write(apply_return, diff)
    assert workspace.read(lambda s: s.get(Milestone, 1).done_date) == dt.date(2016, 6, 20)
