"""A return opened and saved again by LibreOffice still merges.

tests/data/returns/all_partners_q1_libreoffice.xlsx was made from the conftest plan, filled in
by tests/returns/returns_fill.py and re-saved by LibreOffice 7.4 (`soffice --headless --convert-to
xlsx`), so CI needs no LibreOffice. The live test repeats that when soffice is installed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from cspdesk.core.plan.model import Milestone, Partnership, ReturnRecord
from cspdesk.returns.apply import apply_return
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_return
from cspdesk.store.db import Workspace
from tests.returns.returns_fill import fill_all_partners

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "returns"
    / ("all_partners_q1_libreoffice.xlsx")
)


def adopt(workspace: Workspace, path: Path) -> None:
    """Make the test workspace the one that made ``path`` (same uid, same return record)."""
    book = load_workbook(path)
    stamp = {str(k): str(v) for k, v in book["cspdesk"].iter_rows(max_col=2, values_only=True)}

    def write(session):  # type: ignore[no-untyped-def]
        session.execute(update(Partnership).values(uid=stamp["workspace"]))
        session.add(
            ReturnRecord(
                token=stamp["token"],
                plan_id=int(stamp["plan_id"]),
                quarter=int(stamp["quarter"]),
                agency_id=int(stamp["agency_id"]),
                lead_name=stamp["lead"],
                made_at=dt.datetime.fromisoformat(stamp["made_at"]) - dt.timedelta(days=1),
            )
        )

    workspace.write(write)


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
