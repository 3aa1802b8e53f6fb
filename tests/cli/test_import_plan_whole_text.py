"""Nothing an importer reads is cut: long titles, milestones and agency names come in whole,
and a value over a real limit (initials) is named in the preview with where it was and why."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Agency, Milestone, Priority
from cspdesk.store.db import Workspace
from tests.cli.runner import run_cli

PRIORITY = "Safeguarding vulnerable people, " * 20  # 640 characters; the reader cut at 500
MILESTONE = "Referral pathway agreed with every partner and reviewed; " * 45  # 2,565; cut at 2,000
AGENCY = "Essex Community Rehabilitation Company (Probation) and partners " * 4  # 256; cut at 200
SHORT = "Essex CRC (Probation) – Southend, Castle Point & Rochford"  # 57; cut at 40
INITIALS = "DCI AM-F (EP) retired 2016"  # 26: over the real limit of 20


def long_plan(tmp_path: Path) -> Path:
    """The demo plan exported with long texts, and one officer's initials over the limit."""
    source = tmp_path / "source.cspdesk"
    assert run_cli("demo", "--db", str(source)).returncode == 0
    with Workspace.open(source) as workspace:
        priority, milestone, agency = workspace.read(
            lambda s: (
                s.scalars(select(Priority.id).order_by(Priority.id)).first(),
                s.scalars(select(Milestone.id).order_by(Milestone.id)).first(),
                s.scalars(select(Agency.id).order_by(Agency.id)).first(),
            )
        )
        workspace.write(ops.edit_field, "priority", priority, "title", PRIORITY.strip())
        workspace.write(ops.edit_field, "milestone", milestone, "title", MILESTONE.strip())
        workspace.write(ops.edit_field, "agency", agency, "name", AGENCY.strip())
        workspace.write(ops.edit_field, "agency", agency, "short_name", SHORT)
    book = tmp_path / "plan.xlsx"
    assert run_cli("export-xlsx", "--db", str(source), "-o", str(book)).returncode == 0
    workbook = openpyxl.load_workbook(book)
    leads = workbook["Agencies and officers"]
    header = [cell.value for cell in leads[1]]
    column = header.index("Initials") + 1
    row = next(r for r in range(2, leads.max_row + 1) if leads.cell(r, column).value)
    leads.cell(row, column).value = INITIALS
    workbook.save(book)
    return book


def test_long_text_comes_in_whole_and_initials_over_the_limit_are_named(tmp_path: Path) -> None:
    book = long_plan(tmp_path)
    target = tmp_path / "target.cspdesk"
    assert run_cli("new", "--db", str(target), "--name", "CP&R").returncode == 0
    preview = run_cli("import-plan", str(book), "--db", str(target), "--dry-run")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    said = " ".join(preview.stdout.split())
    assert "Agencies and officers" in said and INITIALS in said, preview.stdout
    assert "Initials may have at most 20 characters; this has 26" in said, preview.stdout

    imported = run_cli("import-plan", str(book), "--db", str(target))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    exported = run_cli("export-json", "--db", str(target))
    assert exported.returncode == 0, exported.stderr
    workspace = json.loads(exported.stdout)
    text = json.dumps(workspace, ensure_ascii=False)
    assert PRIORITY.strip() in text
    assert MILESTONE.strip() in text
    agencies = {agency["name"]: agency for agency in workspace["agencies"]}
    assert agencies[AGENCY.strip()]["short_name"] == SHORT
    officers = [o for a in workspace["agencies"] for o in a.get("officers", [])]
    assert officers and INITIALS not in text
    assert all(len(officer["initials"]) <= 20 for officer in officers)
