"""Over a slow link every statement answered on its own costs a round trip: merging one return
sends its checks together and its writes with the commit, and the statements it sends do not
grow with the return (a clock-free guard, on both engines; benchmarks/bench_slow_link.py times
it over a 30 ms link)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Action, ActionLead, Agency, Milestone, Objective
from cspdesk.core.plan.ops import UNREAD_RESULT_KEY
from cspdesk.returns.apply import apply_returns
from cspdesk.returns.layout import COLUMN_INDEX, parse_row_id
from cspdesk.returns.make import make_returns
from cspdesk.returns.read import read_returns
from cspdesk.store.db import Workspace
from cspdesk.store.together import TOGETHER_KEY

pytestmark = pytest.mark.both_engines

# The return's record (locked), the plan, its closed quarters, the RAG codes, the lead's
# contributions, the milestones; then the milestones, their history, the contributions, theirs,
# the record; a file's BEGIN or a server's notice.
MERGE_STATEMENTS = 12
MILESTONE_KINDS = 2  # the milestones' read, their done dates written (history is one kind)
GROWN_BY = 600  # actions added for one partner (more than a read's 500 ids), 2 milestones each
# Read statements whose answer is waited for on its own (each a round trip of its own on a
# server): none, the checks go together in one.
ANSWERED_ALONE = 0


class Statements:
    def __init__(self, workspace: Workspace) -> None:
        self.sent: list[tuple[str, bool]] = []
        event.listen(workspace.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: object, _cursor: object, statement: str, *args: Any) -> None:
        context = args[1]
        options = context.execution_options if context is not None else {}
        sent_along = options.get(UNREAD_RESULT_KEY) or options.get(TOGETHER_KEY)
        self.sent.append((statement, bool(sent_along)))


def fill(path: Path) -> int:
    """A partner's words and RAG for every action, a done date for every milestone."""
    book = load_workbook(path)
    sheet = book["Actions"]
    filled = 0
    for row in range(2, sheet.max_row + 1):
        parsed = parse_row_id(sheet.cell(row, 1).value)
        if parsed is None:
            continue
        if parsed[0] == "action":
            sheet.cell(row, COLUMN_INDEX["update"] + 1).value = f"Done this quarter ({row})"
            sheet.cell(row, COLUMN_INDEX["rag"] + 1).value = "Green"
        else:
            sheet.cell(row, COLUMN_INDEX["done"] + 1).value = dt.date(2016, 6, 1)
        filled += 1
    book.save(path)
    return filled


def folder(path: Path) -> Path:
    path.mkdir()
    return path


def police(workspace: Workspace) -> int:
    return workspace.read(
        lambda s: s.scalars(select(Agency.id).where(Agency.name == "Essex Police")).one()
    )


def merged(workspace: Workspace, path: Path) -> tuple[list[tuple[str, bool]], int]:
    """The statements merging ``path`` sent (reading it first, as `returns apply` does)."""
    statements = Statements(workspace)
    diffs, refused = workspace.read(read_returns, [path])
    assert not refused, refused
    statements.sent.clear()
    workspace.write(apply_returns, diffs)
    return statements.sent, sum(len(diff.accepted()) for diff in diffs)


def grow(workspace: Workspace, agency: str, actions: int) -> None:
    """``actions`` more actions led by ``agency``, two milestones each."""

    def add(session: Session) -> None:
        objective = session.scalars(select(Objective.id).order_by(Objective.id)).first()
        lead = session.scalars(select(Agency.id).where(Agency.name == agency)).one()
        first = 1000
        session.execute(
            insert(Action),
            [
                {"objective_id": objective, "position": first + n, "title": f"Grown {n}"}
                for n in range(actions)
            ],
        )
        ids = list(session.scalars(select(Action.id).where(Action.position >= first)))
        session.execute(
            insert(ActionLead), [{"action_id": a, "position": 0, "agency_id": lead} for a in ids]
        )
        session.execute(
            insert(Milestone),
            [{"action_id": a, "position": n, "title": f"Step {n}"} for a in ids for n in range(2)],
        )

    workspace.write(add)


def kinds(sent: list[tuple[str, bool]]) -> set[str]:
    """The statements as kinds: a read of many ids is sent in parts of 500, each one kind."""
    return {statement.split("WHERE")[0] for statement, _ in sent}


def test_merging_one_return_sends_its_checks_together(workspace: Workspace, tmp_path: Path) -> None:
    made = make_returns(workspace, 1, 1, folder(tmp_path / "small"))
    # The return with actions and milestones: every kind of check and write.
    path = next(m.path for m in made if m.path.stem.endswith("All partners"))
    fill(path)
    sent, changes = merged(workspace, path)
    assert changes > 0
    answered_alone = [s for s, along in sent if not along and s.lstrip()[:6] == "SELECT"]
    assert answered_alone == []
    assert len(sent) <= MERGE_STATEMENTS, [s[:60] for s, _ in sent]


def test_a_return_ten_times_bigger_sends_no_more_kinds_of_statement(
    workspace: Workspace, tmp_path: Path
) -> None:
    made = make_returns(workspace, 1, 1, folder(tmp_path / "small"))
    small = next(m.path for m in made if m.path.stem.endswith("Essex Police"))
    fill(small)
    small_sent, _ = merged(workspace, small)
    grow(workspace, "Essex Police", GROWN_BY)
    (big,) = make_returns(workspace, 1, 2, folder(tmp_path / "big"), only=[police(workspace)])
    assert fill(big.path) > GROWN_BY
    big_sent, changes = merged(workspace, big.path)
    assert changes > 2 * GROWN_BY
    assert [s for s, along in big_sent if not along and s.lstrip()[:6] == "SELECT"] == []
    # The milestones' read and writes are new kinds (the small return has none); nothing else.
    assert len(kinds(big_sent)) <= len(kinds(small_sent)) + MILESTONE_KINDS


# Reading one return before its merge: none of its reads answered on its own. Five reads of
# several statements each: the record, the plan, its closed quarters, the workspace, the RAG
# scheme and the parents of the file's milestones; its actions; their milestones,
# contributions, updates and leads; the action numbers; the agencies and the RAGs other
# partners gave.
READ_ANSWERED_ALONE = 0
READ_STATEMENTS = 18
BATCH = 10  # from this many files the batch reads the whole plan (returns.scope.BatchScope)


def read_sent(workspace: Workspace, *batches: list[Path]) -> list[list[tuple[str, bool]]]:
    """The statements reading each batch sent, as `returns apply` reads them."""
    statements = Statements(workspace)
    sent = []
    for paths in batches:
        statements.sent.clear()
        _, refused = workspace.read(read_returns, paths)
        assert not refused, refused
        sent.append(list(statements.sent))
    return sent


def test_reading_one_return_sends_its_reads_together(workspace: Workspace, tmp_path: Path) -> None:
    made = make_returns(workspace, 1, 1, folder(tmp_path / "small"))
    path = next(m.path for m in made if m.path.stem.endswith("All partners"))
    fill(path)
    (sent,) = read_sent(workspace, [path])
    alone = [s[:60] for s, along in sent if not along and s.lstrip()[:6] == "SELECT"]
    assert len(alone) <= READ_ANSWERED_ALONE, alone
    assert len(sent) <= READ_STATEMENTS, [s[:60] for s, _ in sent]


def test_a_batch_of_returns_reads_the_plan_once_not_per_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    made = make_returns(workspace, 1, 1, folder(tmp_path / "batch"))
    for item in made:
        fill(item.path)
    # Copies of the returns (a partner's second copy, a colleague's): files of their own.
    paths = [
        Path(shutil.copy(made[n % len(made)].path, tmp_path / "batch" / f"copy {n}.xlsx"))
        for n in range(2 * BATCH)
    ]
    few, many = read_sent(workspace, paths[:BATCH], paths)
    # Twice the files, not one statement more: the checks (the workspace, each file's record,
    # its plan and its quarter) are read once for the batch, as are the plan's rows.
    assert len(many) == len(few), sorted(kinds(many))
    assert len([s for s, along in many if not along and s[:6] == "SELECT"]) <= READ_ANSWERED_ALONE
