"""Police counts in a workspace of revision 0007p survive every later upgrade."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from sqlalchemy import select

from cspdesk.core.plan.model import PoliceCount, PoliceMonth
from cspdesk.store.db import Workspace

FROZEN = Path(__file__).resolve().parent.parent / "data" / "workspaces" / "v0007p_demo.cspdesk"


def test_police_counts_of_a_frozen_workspace_are_kept(tmp_path: Path) -> None:
    copy = tmp_path / FROZEN.name
    shutil.copy(FROZEN, copy)
    with Workspace.open(copy) as workspace:
        counts = workspace.read(
            lambda s: s.execute(
                select(PoliceCount.district, PoliceCount.crime_type, PoliceCount.count).order_by(
                    PoliceCount.district
                )
            ).all()
        )
        month = workspace.read(lambda s: s.execute(select(PoliceMonth)).scalar_one())
        assert (month.month, month.no_location) == (dt.date(2016, 4, 1), 312)
    assert [tuple(r) for r in counts] == [
        ("Castle Point", "Anti-social behaviour", 241),
        ("Rochford", "Violence and sexual offences", 144),
    ]
