"""Two officers adding under one objective, or agreeing one action's RAG, in two processes at
once: every change is in the plan or was refused with a message, and the order stays dense."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, HistoryEntry, Objective
from cspdesk.core.quarter import contributions
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines

OFFICER = Path(__file__).with_name("concurrent_officer.py")
ADDS_EACH = 40
RAGS_EACH = 40
ONE_WRITER = "SQLite takes one writer at a time (BEGIN IMMEDIATE): there is no race to lose"


def two_officers(location: Location, task: str, item_id: int, count: int, mode: str) -> list:
    start_at = time.time() + 3  # both processes imported and connected by then
    runs = []
    for tag in ("emma", "graham"):
        command = [sys.executable, str(OFFICER), task, str(location), str(item_id), tag]
        command += [str(count), repr(start_at), mode]
        runs.append(
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    results: list[dict[str, Any]] = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        results.append(json.loads(out))
    return results


def objective_and_actions(location: Location) -> tuple[int, list[tuple[str, int]]]:
    with Workspace.open(location) as workspace:
        objective_id = workspace.read(
            lambda s: s.execute(select(Objective.id).order_by(Objective.id)).scalars().first()
        )
        rows = workspace.read(
            lambda s: s.execute(
                select(Action.title, Action.position).where(Action.objective_id == objective_id)
            ).all()
        )
    return objective_id, [(title, position) for title, position in rows]


def adds_at_once(location: Location, mode: str) -> tuple[list[str], list[tuple[str, int]], int]:
    objective_id, before = objective_and_actions(location)
    results = two_officers(location, "adds", objective_id, ADDS_EACH, mode)
    saved = [title for result in results for title in result["saved"]]
    assert not [title for result in results for title in result["refused"]]
    return saved, objective_and_actions(location)[1], len(before)


def test_adds_under_one_objective_keep_a_dense_unique_order(workspace_path: Location) -> None:
    saved, actions, before = adds_at_once(workspace_path, "check")
    assert len(saved) == 2 * ADDS_EACH
    titles = [title for title, _ in actions]
    assert set(saved) <= set(titles) and len(titles) == before + 2 * ADDS_EACH
    assert sorted(position for _, position in actions) == list(range(len(actions)))


def test_adds_moves_and_deletes_at_once_keep_the_order_dense(workspace_path: Location) -> None:
    objective_id, before = objective_and_actions(workspace_path)
    results = two_officers(workspace_path, "shuffle", objective_id, ADDS_EACH, "check")
    kept = {title for result in results for title in result["saved"]}
    actions = objective_and_actions(workspace_path)[1]
    assert {title for title, _ in actions} == kept | {title for title, _ in before}
    assert sorted(position for _, position in actions) == list(range(len(actions)))


def test_without_the_lock_adds_share_positions(workspace_path: Location, engine: str) -> None:
    """The control: the same adds with ops.LOCK_SIBLINGS off give duplicate positions."""
    if engine == "sqlite":
        pytest.skip(ONE_WRITER)
    _, actions, _ = adds_at_once(workspace_path, "nocheck")
    positions = [position for _, position in actions]
    assert len(set(positions)) < len(positions), "the test failed to make two officers overlap"


def rag_history(location: Location, action_id: int) -> list[tuple[str, str | None, str | None]]:
    with Workspace.open(location) as workspace:
        quarter = workspace.read(contributions.current_quarter_of, action_id)
        rows = workspace.read(
            lambda s: s.execute(
                select(HistoryEntry.who, HistoryEntry.old, HistoryEntry.new)
                .where(
                    HistoryEntry.entity == "action",
                    HistoryEntry.entity_id == action_id,
                    HistoryEntry.field == f"q{quarter}_rag",
                )
                .order_by(HistoryEntry.id)
            ).all()
        )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def rags_at_once(location: Location, mode: str) -> tuple[list[list[Any]], list[str], list[tuple]]:
    with Workspace.open(location) as workspace:
        action_id = workspace.read(
            lambda s: s.execute(select(Action.id).order_by(Action.id)).scalars().first()
        )
    before = len(rag_history(location, action_id))
    results = two_officers(location, "rag", action_id, RAGS_EACH, mode)
    saved = [entry for result in results for entry in result["saved"]]
    refused = [who for result in results for who in result["refused"]]
    return saved, refused, rag_history(location, action_id)[before:]


def test_rag_edits_on_one_action_are_kept_or_refused(workspace_path: Location) -> None:
    saved, refused, history = rags_at_once(workspace_path, "check")
    assert len(saved) + len(refused) == 2 * RAGS_EACH
    by_who = {who: (seen, new) for who, seen, new in saved}
    assert sorted(who for who, _, _ in history) == sorted(by_who)  # saved ones only, once each
    previous = None
    for who, old, new in history:
        seen, chosen = by_who[who]
        assert (old, new) == (seen, chosen)  # it replaced exactly the RAG its officer saw
        assert previous is None or old == previous  # and nobody's RAG went unseen
        previous = new


def test_without_the_check_rag_edits_are_lost(workspace_path: Location) -> None:
    """The control: saved without stating the RAG seen, some replace a RAG nobody saw."""
    saved, refused, history = rags_at_once(workspace_path, "nocheck")
    assert not refused
    seen = {who: seen for who, seen, _ in saved}
    unseen = [who for who, old, _ in history if seen[who] != old]
    assert unseen, "the test failed to make two officers overlap"


def test_an_agreed_rag_a_colleague_changed_is_refused_with_her_name(workspace: Workspace) -> None:
    action_id = workspace.read(
        lambda s: s.execute(select(Action.id).order_by(Action.id)).scalars().first()
    )
    seen = workspace.read(contributions.agreed_rag, action_id)
    workspace.write(contributions.set_agreed_rag, action_id, 1, "R", "Emma Clark", expected=seen)
    with pytest.raises(ops.EditConflict, match="Emma Clark changed the action's Q1 RAG at"):
        workspace.write(contributions.set_agreed_rag, action_id, 1, "A", expected=seen)
    assert workspace.read(contributions.agreed_rag, action_id) == "R"
