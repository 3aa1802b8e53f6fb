"""What the preview shows is what the workspace keeps: notes, every quarter's update and RAG,
and the current quarter, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.leads.directory import Directory
from cspdesk.core.plan.model import Action, Objective, Plan, Priority, Update
from cspdesk.io.plan_apply import apply_draft
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.store.db import Workspace
from tests.io import plan_layouts

pytestmark = pytest.mark.both_engines
YEAR = "2019/20"


def _import(workspace: Workspace, path: Path) -> None:
    directory = workspace.read(Directory.from_session)
    _, draft = read_plan(path, directory, workspace.read(RagScheme.from_session))
    workspace.write(apply_draft, draft, year=YEAR)  # the fixture has 2016/17


def _stored(session: Session) -> tuple[int, dict[str, str], list[tuple[str, int, str, str]]]:
    plan = session.execute(select(Plan).where(Plan.year == YEAR)).scalar_one()
    ours = (
        select(Action.id)
        .join(Objective, Objective.id == Action.objective_id)
        .join(Priority, Priority.id == Objective.priority_id)
        .where(Priority.plan_id == plan.id)
    )
    actions = session.execute(select(Action).where(Action.id.in_(ours))).scalars()
    notes = {a.title: a.notes for a in actions}
    updates = session.execute(
        select(Action.title, Update.quarter, Update.text, Update.rag)
        .join(Update, Update.action_id == Action.id)
        .where(Action.id.in_(ours))
        .order_by(Action.title, Update.quarter)
    ).all()
    return plan.current_quarter, notes, [tuple(u) for u in updates]


def test_notes_and_the_last_quarters_rag_are_stored(workspace: Workspace, tmp_path: Path) -> None:
    _import(workspace, plan_layouts.working_sheet(tmp_path / "w.xlsx"))
    quarter, notes, updates = workspace.read(_stored)
    assert quarter == 3
    assert notes["Triage at custody"] == "Internal notes: chased 12/4"
    assert ("Schools panel", 2, "", "G") in updates


def test_one_sheet_per_quarter_stores_each_quarter(workspace: Workspace, tmp_path: Path) -> None:
    _import(workspace, plan_layouts.quarter_sheets(tmp_path / "q.xlsx"))
    quarter, notes, updates = workspace.read(_stored)
    assert quarter == 4
    assert len(notes) == 3
    assert [u for u in updates if u[0] == "IDVA service"] == [
        ("IDVA service", 1, "Q1: 10 referrals", "G"),
        ("IDVA service", 2, "Q2: 20 referrals", "A"),
        ("IDVA service", 3, "Q3: 30 referrals", "A"),
        ("IDVA service", 4, "Q4: 40 referrals", "R"),
    ]
