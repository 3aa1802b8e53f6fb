"""Rows written in bulk (core.plan.many: plain tuples to SQLite's executemany, one statement of
arrays on a server) are stored exactly as SQLAlchemy stores them one by one, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from cspdesk.core.plan.many import (
    HISTORY_COLUMNS,
    add_history,
    delete_rows,
    insert_rows,
    update_rows,
)
from cspdesk.core.plan.model import Contribution, HistoryEntry, Milestone
from cspdesk.store.db import Workspace
from cspdesk.store.errors import SaveFailed

pytestmark = pytest.mark.both_engines

ON_THE_HOUR = dt.datetime(2016, 9, 30, 17, 0)  # no microseconds: SQLite's text keeps them
LONG = "Essex Community Rehabilitation Company (Probation) " * 3


def test_history_rows_are_stored_as_one_by_one(workspace: Workspace) -> None:
    rows = [
        (ON_THE_HOUR, f"return: {LONG}", "action", 1, f"q2_update ({LONG})", None, "Done", ""),
        (ON_THE_HOUR, "Alex Morgan", "milestone", 2, "done_date", "2016-09-01", None, "a note"),
    ]

    def write(session: Session) -> None:
        add_history(session, rows)
        session.add(HistoryEntry(**dict(zip(HISTORY_COLUMNS, rows[0], strict=True))))

    workspace.write(write)
    columns = [HistoryEntry.__table__.c[name] for name in HISTORY_COLUMNS]
    stored = workspace.read(
        lambda s: [tuple(r) for r in s.execute(select(*columns).order_by(HistoryEntry.id))]
    )[-3:]
    assert stored == [rows[0], rows[1], rows[0]]
    if workspace.engine.dialect.name == "sqlite":  # the same text for the time, both ways
        raw = workspace.read(
            lambda s: s.execute(text("SELECT at FROM history ORDER BY id DESC LIMIT 3")).all()
        )
        assert raw[0] == raw[2] and raw[0][0] == "2016-09-30 17:00:00.000000"


def test_updates_and_deletes_touch_only_the_rows_named(workspace: Workspace) -> None:
    ids = workspace.read(lambda s: list(s.scalars(select(Milestone.id).order_by(Milestone.id))))
    assert len(ids) >= 2
    when = dt.date(2016, 6, 1)

    def write(session: Session) -> None:
        rows = [(ids[0], when, "G")]
        update_rows(session, Milestone.__table__, ("id",), ("done_date", "rag"), rows)  # type: ignore[arg-type]
        keys = ("action_id", "quarter", "lead_key")
        named = (*keys, "text", "rag", "lead_name", "source", "updated_at")
        given = [
            (1, 2, "agency:1", LONG, "G", LONG, "return: x", ON_THE_HOUR),
            (1, 2, "agency:2", "Theirs", None, "B", "return: y", ON_THE_HOUR),
        ]
        insert_rows(session, Contribution.__table__, named, given)  # type: ignore[arg-type]
        delete_rows(session, Contribution.__table__, keys, [(1, 2, "agency:2")])  # type: ignore[arg-type]

    def milestones() -> dict[int, tuple]:
        rows = workspace.read(lambda s: s.execute(select(Milestone)).scalars().all())
        return {m.id: (m.done_date, m.rag) for m in rows}

    before = milestones()
    workspace.write(write)
    after = milestones()
    assert after[ids[0]] == (when, "G")
    assert {k: v for k, v in after.items() if k != ids[0]} == {
        k: v for k, v in before.items() if k != ids[0]
    }
    table: Any = Milestone.__table__
    cleared = [(ids[0], None, None)]
    workspace.write(lambda s: update_rows(s, table, ("id",), ("done_date", "rag"), cleared))
    assert milestones()[ids[0]] == (None, None)
    kept = workspace.read(
        lambda s: [
            (c.lead_key, c.text, c.updated_at)
            for c in s.scalars(select(Contribution).where(Contribution.quarter == 2))
        ]
    )
    assert kept == [("agency:1", LONG, ON_THE_HOUR)]


def test_a_value_too_long_for_its_column_is_refused_or_kept_whole_never_cut(
    workspace: Workspace,
) -> None:
    """history.entity holds 20 characters on a server: a longer one is refused there, as a row
    inserted alone is; SQLite keeps it whole. Never stored cut short."""
    too_long = "milestone of a long kind"  # 24 characters
    row = (ON_THE_HOUR, "Alex Morgan", too_long, 1, "title", None, "x", "")
    try:
        workspace.write(lambda s: add_history(s, [row]))
    except SaveFailed as error:
        assert workspace.is_shared and "too long" in str(error)
    entities = workspace.read(lambda s: set(s.scalars(select(HistoryEntry.entity))))
    assert too_long[:20] not in entities
    assert (too_long in entities) == (not workspace.is_shared)


def test_a_row_of_the_wrong_width_writes_nothing(workspace: Workspace) -> None:
    """Every row names each column once: a row short of a value is refused, never written
    with its values in the wrong columns (SQLite's rows go column by column)."""
    rows = [
        (ON_THE_HOUR, "Alex Morgan", "action", 1, "title", None, "x", ""),
        (ON_THE_HOUR, "Alex Morgan", "action", 2, "title", None, "y"),
    ]
    before = workspace.read(lambda s: s.execute(select(HistoryEntry.id)).all())
    with pytest.raises((ValueError, SaveFailed, DBAPIError)):
        workspace.write(lambda s: add_history(s, rows))
    assert workspace.read(lambda s: s.execute(select(HistoryEntry.id)).all()) == before


def test_thousands_of_rows_go_in_their_order_and_a_bad_one_refuses_them_all(
    workspace: Workspace,
) -> None:
    """A merge's thousands of rows (on SQLite a hundred-odd to a statement, the last one
    shorter): every row stored, ids in the order given as rows inserted one by one get them;
    one row the database refuses saves none of them."""
    count = 1_000 + 7  # not a whole number of statements' worth
    rows = [
        (ON_THE_HOUR, "return: x", "action", n, "q2_update (Agency 1)", None, f"Row {n}", "")
        for n in range(count)
    ]
    workspace.write(lambda s: add_history(s, rows))
    columns = [HistoryEntry.__table__.c[name] for name in HISTORY_COLUMNS]
    stored = workspace.read(
        lambda s: s.execute(select(HistoryEntry.id, *columns).order_by(HistoryEntry.id)).all()
    )[-count:]
    assert [tuple(r[1:]) for r in stored] == rows
    assert [r.id for r in stored] == list(range(stored[0].id, stored[0].id + count))

    keys = ("action_id", "quarter", "lead_key", "text", "rag", "lead_name", "source", "updated_at")
    given = [(1, 3, f"agency:{n}", f"Part {n}", None, "A", "x", ON_THE_HOUR) for n in range(300)]
    given[250] = (1, 3, "agency:250", "Part 250", "no such RAG", "A", "x", ON_THE_HOUR)
    with pytest.raises((IntegrityError, SaveFailed)):
        workspace.write(lambda s: insert_rows(s, Contribution.__table__, keys, given))  # type: ignore[arg-type]
    quarter_3 = select(Contribution.text).where(Contribution.quarter == 3)
    assert workspace.read(lambda s: s.execute(quarter_3).all()) == []
    given[250] = (1, 3, "agency:250", "Part 250", "G", "A", "x", ON_THE_HOUR)
    workspace.write(lambda s: insert_rows(s, Contribution.__table__, keys, given))  # type: ignore[arg-type]
    texts = workspace.read(lambda s: list(s.scalars(quarter_3)))
    assert sorted(texts) == sorted(f"Part {n}" for n in range(300))
