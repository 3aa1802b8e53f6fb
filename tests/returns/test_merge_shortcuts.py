"""The merge's shortcuts give what the long way gives: row ids read without the pattern, and
this quarter and the last read in one go (core.quarter.rule.load_quarters_back)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core.plan.model import Action
from cspdesk.core.quarter.contributions import ContributionValue, write_contributions
from cspdesk.core.quarter.rule import load_quarters, load_quarters_back
from cspdesk.returns.layout import parse_row_id
from cspdesk.store.demo import create_demo_workspace


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("A12", ("action", 12)),
        ("M7", ("milestone", 7)),
        ("a12", ("action", 12)),  # typed again by hand
        (" M 7 ", ("milestone", 7)),
        ("A12\n", ("action", 12)),
        ("A\u0661\u0662", ("action", 12)),  # Arabic-Indic digits: decimal, as \d reads them
        ("M" + "9" * 12, ("milestone", 999_999_999_999)),
        ("M" + "9" * 13, None),  # longer than any id cspdesk writes
        ("A\u00b2", None),  # a superscript two is a digit but no decimal
        ("A", None),
        ("B12", None),
        ("", None),
        (None, None),
    ],
)
def test_row_ids_read_as_the_pattern_reads_them(cell: str | None, parsed: object) -> None:
    assert parse_row_id(cell) == parsed


def test_two_quarters_read_at_once_are_the_quarters_read_one_by_one(tmp_path: Path) -> None:
    workspace = create_demo_workspace(tmp_path / "demo.cspdesk")
    ids = workspace.read(lambda s: list(s.execute(select(Action.id)).scalars()))[:12]
    said = {
        (action_id, quarter, f"agency:{agency}"): ContributionValue(
            f"Q{quarter} words of agency {agency}", rag, f"Agency {agency}", agency_id=agency
        )
        for n, action_id in enumerate(ids)
        for quarter, agency, rag in ((1, 1, "G"), (2, 1, "A"), (2, 2, "R" if n % 2 else "A"))
        if n % 3 or quarter == 2
    }
    workspace.write(write_contributions, said)

    def both(session):  # type: ignore[no-untyped-def]
        now, before = load_quarters_back(session, dict.fromkeys(ids, 2), (0, 1))
        return (now, before), (
            load_quarters(session, dict.fromkeys(ids, 2)),
            load_quarters(session, dict.fromkeys(ids, 1)),
        )

    at_once, one_by_one = workspace.read(both)
    workspace.close()
    assert at_once == one_by_one
    assert {q.rag.code for q in at_once[0].values()} >= {"A", "R"}  # the parts were read
    assert any(q.parts for q in at_once[1].values())
