"""A whole workspace copied between a file and a server (either way), every row with its id.

Moving a lone officer's plan onto the shared server, or taking a copy home: the target is
created empty at the current schema, then every table is copied in foreign-key order with its
ids, and each table's id high-water mark is carried over (so an id is never given out twice,
and on a server the sequences continue past the copied ids). All in the target's one
transaction: a copy that fails leaves nothing behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Base
from cspdesk.store import server
from cspdesk.store.address import Location, ServerAddress
from cspdesk.store.db import Workspace, id_high_water, set_id_high_water
from cspdesk.store.errors import WorkspaceError

BATCH = 5000
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class CopyReport:
    source: Location
    target: Location
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def copy_workspace(
    source: Location, target: Location, *, progress: Progress | None = None
) -> CopyReport:
    """Copy the workspace at ``source`` into a new ``target`` (a new file or an empty database)."""
    if str(source) == str(target):
        raise WorkspaceError(f"{source}: the copy would replace the workspace itself")
    tables = [t for t in Base.metadata.sorted_tables if t.name != "alembic_version"]
    with Workspace.open(source, read_only=True) as origin:
        rows = origin.read(_read_all, tables)
    created = Workspace.create_empty(target)
    try:
        with created:
            counts = created.write(_write_all, tables, rows, progress)
    except BaseException:
        _remove_failed(target)
        raise
    return CopyReport(source, target, counts)


def _read_all(session: Session, tables: list[Table]) -> dict[str, tuple[int, list[dict]]]:  # type: ignore[type-arg]
    found = {}
    for table in tables:
        order = list(table.primary_key.columns)
        data = [dict(row._mapping) for row in session.execute(select(table).order_by(*order))]
        high = id_high_water(session, table) if "id" in table.c else 0
        found[table.name] = (high, data)
    return found


def _write_all(
    session: Session,
    tables: list[Table],
    rows: dict[str, tuple[int, list[dict]]],  # type: ignore[type-arg]
    progress: Progress | None,
) -> dict[str, int]:
    counts: dict[str, int] = {}
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        server.unhurried(connection)  # a large plan's tables may take their time
    for table in tables:
        high, data = rows[table.name]
        for start in range(0, len(data), BATCH):
            connection.execute(insert(table), data[start : start + BATCH])
        if "id" in table.c:
            set_id_high_water(session, table, high)
        counts[table.name] = len(data)
        if progress is not None:
            progress(table.name, len(data))
    return counts


def _remove_failed(target: Location) -> None:
    """Leave no half-made target: a new file is removed; the server's transaction rolled back
    the rows, and the empty schema is dropped so the database is as empty as it was."""
    if isinstance(target, ServerAddress):
        from sqlalchemy import MetaData, text

        from cspdesk.store.server import make_server_engine

        with contextlib.suppress(Exception):
            engine = make_server_engine(target, read_only=False)
            with engine.begin() as conn:
                meta = MetaData()
                meta.reflect(conn)
                meta.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            engine.dispose()
        return
    target.unlink(missing_ok=True)
