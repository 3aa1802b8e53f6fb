"""Many rows written at once (a merge's history rows, contributions, done dates).

SQLAlchemy turns each row into parameters one by one (a dict per row, each value through its type's
converter), and psycopg sends each row as a statement of its own; merging 40 returns writes some
50,000 rows, and that was most of the merge's writing time. Here, on SQLite, the statement is
compiled once and the rows go to the driver's executemany as plain tuples (only values the engine
stores converted, a date or a time kept as text, are converted, each distinct value once, column by
column: no Python work per row; rows to insert a hundred-odd to a statement). On a server the
workspace's session carries a writer of its own (ROWS_WRITER_KEY, store/server_rows.py) that sends
all the rows as one statement of arrays. Nothing waits for the result (ops.UNREAD_RESULT: on a
server it goes with the next read or the commit).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import Dialect, Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import HistoryEntry
from cspdesk.core.plan.ops import UNREAD_RESULT

# A history row as add_history takes it: (at, who, entity, entity_id, field, old, new, note).
HISTORY_COLUMNS = ("at", "who", "entity", "entity_id", "field", "old", "new", "note")
# Session.info key: the RowsWriter a server's workspace gives its sessions.
ROWS_WRITER_KEY = "cspdesk rows writer"
# The most values one SQLite statement may take (SQLITE_MAX_VARIABLE_NUMBER before 3.32).
VARIABLES_PER_STATEMENT = 999

Rows = Sequence[Sequence[Any]]
Names = Sequence[str]


class RowsWriter(Protocol):
    """Writes rows in bulk in the session's transaction; its results are never read."""

    def insert(self, session: Session, table: Table, columns: Sequence[str], rows: Rows) -> None:
        """Insert ``rows`` (values of ``columns``, in order)."""

    def update(
        self, session: Session, table: Table, keys: Names, setting: Names, rows: Rows
    ) -> None:
        """For each row (values of ``keys`` then of ``setting``), set ``setting`` where the
        key columns hold its keys."""

    def delete(self, session: Session, table: Table, keys: Sequence[str], rows: Rows) -> None:
        """Delete where the key columns hold each row's values."""


def insert_rows(session: Session, table: Table, columns: Sequence[str], rows: Rows) -> None:
    """Insert ``rows``, each the values of ``columns`` in that order."""
    if rows:
        _writer(session).insert(session, table, columns, rows)


def update_rows(
    session: Session, table: Table, keys: Sequence[str], setting: Sequence[str], rows: Rows
) -> None:
    """Set the ``setting`` columns of the row whose ``keys`` columns hold each row's first
    values to its remaining values."""
    if rows:
        _writer(session).update(session, table, keys, setting, rows)


def delete_rows(session: Session, table: Table, keys: Sequence[str], rows: Rows) -> None:
    """Delete the row whose ``keys`` columns hold each row's values."""
    if rows:
        _writer(session).delete(session, table, keys, rows)


def add_history(session: Session, rows: Rows) -> None:
    """History rows, each as HISTORY_COLUMNS, in one statement."""
    insert_rows(session, HistoryEntry.__table__, HISTORY_COLUMNS, rows)  # type: ignore[arg-type]


def _writer(session: Session) -> RowsWriter:
    given = session.info.get(ROWS_WRITER_KEY)
    return given if given is not None else _Executemany()


class _Executemany:
    """One statement run once per row: plain tuples to the driver on SQLite, SQLAlchemy's
    own executemany elsewhere (a session no workspace made)."""

    def insert(self, session: Session, table: Table, columns: Sequence[str], rows: Rows) -> None:
        _run(session, ("insert", table, tuple(columns), ()), rows)

    def update(
        self, session: Session, table: Table, keys: Names, setting: Names, rows: Rows
    ) -> None:
        _run(session, ("update", table, tuple(keys), tuple(setting)), rows)

    def delete(self, session: Session, table: Table, keys: Sequence[str], rows: Rows) -> None:
        _run(session, ("delete", table, tuple(keys), ()), rows)


Shape = tuple[str, Table, tuple[str, ...], tuple[str, ...]]


def _statement(shape: Shape) -> tuple[Any, list[str]]:
    """The statement of ``shape`` and its bind parameters' names, in the rows' order."""
    kind, table, keys, setting = shape
    if kind == "insert":
        return insert(table).inline(), list(keys)
    where = [table.c[key] == bindparam(f"b_{key}") for key in keys]
    names = [f"b_{name}" for name in (*keys, *setting)]
    if kind == "delete":
        return delete(table).where(*where), names
    values: dict[str, Any] = {name: bindparam(f"b_{name}") for name in setting}
    return update(table).where(*where).values(values), names


@functools.lru_cache(maxsize=64)
def _compiled(shape: Shape, dialect: Dialect) -> tuple[str, list[int], list[tuple[int, Any]]]:
    """For SQLite: the SQL, which of a row's values goes to each placeholder, and the values'
    converters (by position in the row)."""
    statement, names = _statement(shape)
    keys = names if shape[0] == "insert" else None
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    converters = []
    for number, name in enumerate(names):
        convert = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if convert is not None:
            converters.append((number, convert))
    order = [names.index(name) for name in compiled.positiontup or ()]
    return compiled.string, order, converters


def _run(session: Session, shape: Shape, rows: Rows) -> None:
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        statement, names = _statement(shape)
        params = [dict(zip(names, row, strict=True)) for row in rows]
        session.execute(statement, params, execution_options=UNREAD_RESULT)
        return
    sql, order, converters = _compiled(shape, dialect)
    widths = set(map(len, rows))
    if widths != {len(order)}:
        raise ValueError(f"rows of {sorted(widths)} values for {len(order)} columns")
    # Column by column, so that the per-row work is the driver's: each column converted
    # once for each distinct value it holds (a merge's rows share one time).
    columns: list[Iterable[Any]] = list(zip(*rows, strict=True))
    for number, convert in converters:
        done = {value: convert(value) for value in set(columns[number])}
        columns[number] = map(done.__getitem__, columns[number])
    sent = list(zip(*(columns[number] for number in order), strict=True))
    if shape[0] == "insert" and len(sent) > 1:
        _insert_many(conn, sql, sent)
    else:
        conn.exec_driver_sql(sql, sent, execution_options=UNREAD_RESULT)


def _insert_many(conn: Any, sql: str, sent: list[tuple[Any, ...]]) -> None:
    """``sent`` inserted a hundred-odd rows to a statement (INSERT ... VALUES (...), (...)):
    SQLite updates the table's AUTOINCREMENT counter once a statement, and history rows go
    in a fifth faster. The rows go in their order, so they get the ids one per statement
    gives."""
    per_statement = max(1, VARIABLES_PER_STATEMENT // len(sent[0]))
    head, values, one_row = sql.partition(" VALUES ")
    full = len(sent) - len(sent) % per_statement
    for count, part in ((per_statement, sent[:full]), (len(sent) - full, sent[full:])):
        if not part:
            continue
        many_rows = f"{head}{values}{', '.join([one_row] * count)}"
        flat = [
            tuple([value for row in part[start : start + count] for value in row])
            for start in range(0, len(part), count)
        ]
        conn.exec_driver_sql(many_rows, flat, execution_options=UNREAD_RESULT)
