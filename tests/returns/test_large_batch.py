"""A batch of returns holding more actions than one IN list takes (500): partners who disagree
on an action's RAG are still found, against the batch and against what the plan holds."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import insert

from cspdesk.core.plan.model import Action, ActionLead, Agency, Objective, Plan, Priority
from cspdesk.returns.apply import apply_returns
from cspdesk.returns.diff import RAG, ReturnDiff
from cspdesk.returns.disagree import IN_LIST_IDS
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_returns
from cspdesk.store.db import Workspace

ACTIONS = IN_LIST_IDS + 100


def plan(path: Path) -> Workspace:
    """Three agencies; every action led by one, every second action by another as well."""
    workspace = Workspace.create(path, "Large batch CSP")

    def fill(session) -> None:  # type: ignore[no-untyped-def]
        conn = session.connection()
        conn.execute(insert(Agency), [{"id": i, "name": f"Agency {i}"} for i in (1, 2, 3)])
        conn.execute(insert(Plan), [{"id": 1, "year": "2016/17", "title": "Plan"}])
        conn.execute(insert(Priority), [{"id": 1, "plan_id": 1, "position": 0, "title": "P"}])
        conn.execute(insert(Objective), [{"id": 1, "priority_id": 1, "position": 0, "title": "O"}])
        conn.execute(
            insert(Action),
            [
                {"id": a, "objective_id": 1, "position": a, "title": f"Action {a}", "rag": "G"}
                for a in range(1, ACTIONS + 1)
            ],
        )
        leads = [
            {"action_id": a, "position": 0, "agency_id": a % 3 + 1} for a in range(1, ACTIONS + 1)
        ]
        leads += [
            {"action_id": a, "position": 1, "agency_id": (a + 1) % 3 + 1}
            for a in range(2, ACTIONS + 1, 2)
        ]
        conn.execute(insert(ActionLead), leads)

    workspace.write(fill)
    return workspace


def fill_in(path: Path, rag: str) -> None:
    """Every action reported, with this return's RAG (a partner's words in each update)."""
    workbook = load_workbook(path)
    for row in workbook["Actions"].iter_rows(min_row=2, max_col=8):
        if str(row[0].value or "").startswith("A"):
            row[6].value, row[7].value = "Work continued.", rag
    workbook.save(path)


def disagreeing(diffs: list[ReturnDiff]) -> set[int]:
    flagged = {c.action_id for d in diffs for c in d.changes if c.field == RAG and c.disagree}
    for diff in diffs:
        for change in diff.changes:
            if change.field == RAG and change.action_id in flagged:
                assert "partners disagree" in change.note
    return flagged


def test_disagreements_in_a_batch_of_more_actions_than_an_in_list(tmp_path: Path) -> None:
    workspace = plan(tmp_path / "large.cspdesk")
    out = tmp_path / "returns"
    out.mkdir()
    made = {m.lead.agency_id: m.path for m in make_returns(workspace, 1, 1, out)}
    for agency, rag in ((1, "Green"), (2, "Green"), (3, "Red")):
        fill_in(made[agency], rag)
    joint = {a: {a % 3 + 1, (a + 1) % 3 + 1} for a in range(2, ACTIONS + 1, 2)}
    with_red = {a for a, leads in joint.items() if 3 in leads}  # Red beside a Green
    assert 0 < len(with_red) < len(joint)

    diffs, refused = workspace.read(read_returns, list(made.values()))
    assert not refused
    assert disagreeing(diffs) == with_red

    # Agency 3's words merged first: the plan holds them when the other two are read.
    first, _ = workspace.read(read_returns, [made[3]])
    workspace.write(apply_returns, first)
    diffs, refused = workspace.read(read_returns, [made[1], made[2]])
    assert not refused
    assert disagreeing(diffs) == with_red
    workspace.close()
