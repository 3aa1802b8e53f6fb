"""The chase list: returned, late, awaited, not sent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select, update

from cspdesk.core.plan.model import ReturnRecord
from cspdesk.returns.chase import AWAITED, LATE, NOT_SENT, RETURNED, chase_list
from cspdesk.returns.make import make_returns
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def test_chase_list(workspace: Workspace, tmp_path: Path) -> None:
    rows = workspace.read(chase_list, 1, 1, dt.date(2016, 7, 1))
    assert {r.lead: r.status for r in rows} == dict.fromkeys(
        ["All partners", "Essex Police", "Rochford District Council"], NOT_SENT
    )
    make_returns(workspace, 1, 1, tmp_path, due=dt.date(2016, 7, 14))
    merged_at = dt.datetime(2016, 7, 10, 9, 30)

    def merge_police(session):  # type: ignore[no-untyped-def]
        session.execute(
            update(ReturnRecord)
            .where(ReturnRecord.agency_id == 1)
            .values(merged_at=merged_at, merged_file="police.xlsx")
        )

    workspace.write(merge_police)
    on_time = workspace.read(chase_list, 1, 1, dt.date(2016, 7, 14))
    assert [(r.lead, r.status) for r in on_time] == [
        ("All partners", AWAITED),
        ("Rochford District Council", AWAITED),
        ("Essex Police", RETURNED),
    ]
    late = workspace.read(chase_list, 1, 1, dt.date(2016, 7, 15))
    assert [r.status for r in late] == [LATE, LATE, RETURNED]
    police = late[-1]
    assert (police.merged_at, police.merged_file, police.actions) == (merged_at, "police.xlsx", 1)
    made = workspace.read(lambda s: s.scalars(select(ReturnRecord.made_at)).first())
    assert police.made_at == made and police.due_date == dt.date(2016, 7, 14)
