"""A closed quarter prints from its snapshot: later edits never change what was reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, Plan
from cspdesk.core.quarter.closing import close_quarter
from cspdesk.report.source import build_quarter_report
from cspdesk.store.db import Workspace


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def report(db: Path, quarter: str, out: Path) -> str:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cspdesk",
            "report",
            "--db",
            str(db),
            "--quarter",
            quarter,
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return pdf_text(out)


def test_reprinting_a_closed_quarter_gives_what_the_committee_saw(
    workspace_path: Path, tmp_path: Path
) -> None:
    with Workspace.open(workspace_path) as workspace:
        plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
        action_id = workspace.read(
            lambda s: s.execute(
                select(Action.id).where(Action.title == "Joint days of action")
            ).scalar_one()
        )
        workspace.write(
            ops.set_update,
            action_id,
            1,
            ops.UpdateValue("Two days of action held in Rayleigh", "A"),
        )
        workspace.write(close_quarter, plan_id, 1)
        july = report(workspace_path, "Q1", tmp_path / "q1-july.pdf")
        workspace.write(ops.edit_field, "action", action_id, "title", "Renamed in March")
        workspace.write(ops.set_update, action_id, 2, ops.UpdateValue("Q2 news", "G"))
        direction = workspace.read(build_quarter_report, plan_id, 2)
    march = report(workspace_path, "Q1", tmp_path / "q1-march.pdf")
    assert "Joint days of action" in july and "Two days of action held in Rayleigh" in july
    assert "Renamed in March" not in march
    assert "Joint days of action" in march
    assert march.replace(" ", "")[:2000] == july.replace(" ", "")[:2000]
    q2 = report(workspace_path, "Q2", tmp_path / "q2.pdf")
    assert "Renamed in March" in q2 and "Q2 news" in q2
    improved = [a for s in direction.sections for a in s.actions() if a.id == action_id]
    assert improved[0].direction == "up"  # Amber at the Q1 close, Green now
