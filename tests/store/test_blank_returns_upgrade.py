"""Migration 0011: a blank return an older version recorded as merged is not a return received.

The old shape is written as the old code left it (the return record marked merged, and what
the merge kept beside it, or nothing), then the workspace is taken back to revision 0010 and
opened: the chase list chases a partner who sent nothing back, and keeps as returned every
partner a merge kept something of, even words the officer changed since.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import (
    Contribution,
    HistoryEntry,
    ReturnNewWork,
    ReturnRecord,
)
from cspdesk.returns.chase import LATE, RETURNED, chase_list
from cspdesk.returns.make import make_returns
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace, read_revision
from cspdesk.store.schema import HEAD_REVISION
from tests.cli.runner import run_cli

pytestmark = pytest.mark.both_engines

POLICE = 1
A_DAYS = 3  # Essex Police's one action
MADE = dt.datetime(2016, 7, 1, 9, 0)
MERGED = dt.datetime(2016, 7, 12, 10, 0)
AFTER_DUE = dt.date(2016, 8, 1)
POLICE_WHO = "return: Essex Police police q1.xlsx"


def _merged(session: Session, lead: str, **values: Any) -> int:
    """The lead's return record marked merged as the old code marked it; its id."""
    found = session.scalars(select(ReturnRecord).where(ReturnRecord.lead_name == lead)).one()
    shape = {"made_at": MADE, "merged_at": MERGED, "merged_file": f"{lead} q1.xlsx"}
    session.execute(update(ReturnRecord).where(ReturnRecord.id == found.id).values(shape | values))
    return found.id


def _history(session: Session, field: str, entity: str = "action", entity_id: int = A_DAYS,
             at: dt.datetime = MERGED - dt.timedelta(seconds=1)) -> None:  # fmt: skip
    session.execute(
        insert(HistoryEntry).values(
            at=at,
            who=POLICE_WHO,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=None,
            new="Two days of action held",
            note="",
        )
    )


def _contribution(session: Session, return_id: int | None, source: str) -> None:
    session.execute(
        insert(Contribution).values(
            action_id=A_DAYS,
            quarter=1,
            lead_key=f"agency:{POLICE}",
            agency_id=POLICE,
            lead_name="Essex Police",
            text="Two days of action held",
            rag=None,
            source=source,
            return_id=return_id,
            updated_at=MERGED,
        )
    )


def blank(session: Session) -> None:
    _merged(session, "Essex Police")


def words_merged(session: Session) -> None:
    _contribution(session, _merged(session, "Essex Police"), POLICE_WHO)
    _history(session, "q1_update (Essex Police)")


def words_changed_by_the_officer(session: Session) -> None:
    """Merged, then typed over in the window: the part is the officer's now, with no return."""
    _merged(session, "Essex Police")
    _history(session, "q1_update (Essex Police)")
    _contribution(session, None, "Olive Officer")


def milestone_done(session: Session) -> None:
    _merged(session, "Essex Police")
    milestone = session.scalars(text("SELECT min(id) FROM milestone")).one()
    _history(session, "done_date", "milestone", milestone)


def signed_by_the_cover(session: Session) -> None:
    _merged(session, "Essex Police", completed_by="Essex Police, Pat Partner")


def versions_set_something(session: Session) -> None:
    values = [["action", A_DAYS, "rag", f"agency:{POLICE}", None, "G"]]
    _merged(session, "Essex Police", merged_values=json.dumps(values))


def decisions_waiting(session: Session) -> None:
    _merged(session, "Essex Police", decisions_waiting=2)


def new_work_kept(session: Session) -> None:
    record_id = _merged(session, "Essex Police")
    session.execute(
        insert(ReturnNewWork).values(
            return_id=record_id,
            plan_id=1,
            quarter=1,
            agency_id=POLICE,
            lead_name="Essex Police",
            file_name="police q1.xlsx",
            sheet="New work",
            row=2,
            cells='{"Action": "Bike marking at the station"}',
        )
    )


def another_quarters_words(session: Session) -> None:
    _merged(session, "Essex Police")
    _history(session, "q2_update (Essex Police)")


def words_long_before(session: Session) -> None:
    """Signed by the lead's return, but months before this return was made (last year's)."""
    _merged(session, "Essex Police")
    _history(session, "q1_update (Essex Police)", at=MADE - dt.timedelta(days=200))


def _old_workspace(location: Location, tmp_path: Path, shape: Callable[[Session], None]) -> None:
    """The small plan with its Q1 returns made and ``shape`` written, at revision 0010."""
    with Workspace.open(location) as workspace:
        make_returns(workspace, 1, 1, tmp_path, due=dt.date(2016, 7, 14))
        workspace.write(shape)
        workspace.write(lambda s: s.execute(text("UPDATE alembic_version SET version_num='0010'")))
        assert read_revision(workspace.engine) == "0010"


@pytest.mark.parametrize(
    ("shape", "returned"),
    [
        (blank, False),
        (words_merged, True),
        (words_changed_by_the_officer, True),
        (milestone_done, True),
        (signed_by_the_cover, True),
        (versions_set_something, True),
        (decisions_waiting, True),
        (new_work_kept, True),
        (another_quarters_words, False),
        (words_long_before, False),
    ],
)
def test_a_return_merged_by_an_older_version_is_returned_only_if_it_brought_something(
    workspace_path: Location, tmp_path: Path, shape: Callable[[Session], None], returned: bool
) -> None:
    _old_workspace(workspace_path, tmp_path, shape)
    with Workspace.open(workspace_path) as workspace:
        assert read_revision(workspace.engine) == HEAD_REVISION
        rows = {row.lead: row for row in workspace.read(chase_list, 1, 1, AFTER_DUE)}
        found = workspace.read(
            lambda s: s.scalars(
                select(ReturnRecord).where(ReturnRecord.lead_name == "Essex Police")
            ).one()
        )
        said = workspace.read(
            lambda s: s.scalars(
                select(HistoryEntry).where(HistoryEntry.entity == "return_record")
            ).all()
        )
    police = rows["Essex Police"]
    assert police.status == (RETURNED if returned else LATE)
    assert {row.status for lead, row in rows.items() if lead != "Essex Police"} == {LATE}
    if returned:
        assert (found.merged_at, found.merged_file) == (MERGED, "Essex Police q1.xlsx")
        assert said == []
        return
    assert (found.merged_at, found.merged_file, found.merged_saved_at) == (None, "", None)
    assert (police.merged_at, police.merged_file) == (None, "")
    # What was taken off is kept, saying why.
    assert [(h.entity_id, h.field, h.old, h.new, h.note) for h in said] == [
        (
            found.id,
            "merged_at",
            "2016-07-12 10:00:00",
            None,
            "nothing written by Essex Police was kept from Essex Police q1.xlsx (Q1): not a "
            "return received, the return is awaited again",
        )
    ]


def test_the_frozen_0010_workspace_keeps_its_merged_return(tmp_path: Path) -> None:
    """The frozen 0010 file's record was merged with a cover and a milestone: still merged."""
    import shutil

    from tests.store.frozen_workspaces import FROZEN

    copy = tmp_path / "v0010.cspdesk"
    shutil.copy(FROZEN / "v0010_demo.cspdesk", copy)
    with Workspace.open(copy) as workspace:
        merged = workspace.read(
            lambda s: s.scalars(
                select(ReturnRecord.merged_at).where(ReturnRecord.token == "0010frozen")
            ).one()
        )
    assert merged == dt.datetime(2016, 7, 12, 10, 0)


@pytest.mark.file_only
def test_the_chase_the_officer_reads_after_the_upgrade(
    workspace_path: Location, tmp_path: Path
) -> None:
    """`returns status` on a file an older version merged a blank return in: not returned."""
    _old_workspace(workspace_path, tmp_path, blank)
    status = run_cli("returns", "status", "--db", str(workspace_path), "--quarter", "1")
    assert status.returncode == 0, status.stderr
    assert "RETURNED" not in status.stdout and "merged" not in status.stdout, status.stdout
    assert "Essex Police (1 action): made 01/07/2016, due 14/07/2016" in status.stdout
