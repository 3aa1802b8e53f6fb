"""One statement run for many rows (a merge's history rows, contributions, done dates).

SQLAlchemy turns each row into parameters one by one (a dict per row, each value through its
type's converter); merging 40 returns writes some 50,000 rows, and that took about half of the
merge's time on a file. On SQLite the statement is compiled once here and the rows go to the
driver's executemany as plain tuples; only values the engine stores converted (a date or a time,
kept as text) are converted, each distinct value once. On a server SQLAlchemy's own executemany
is kept: it sends the rows as a few statements of many rows each, less work for the server.
Nothing waits for the result (ops.UNREAD_RESULT: on a server it goes with the commit).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Insert, insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from cspdesk.core.plan.model import HistoryEntry
from cspdesk.core.plan.ops import UNREAD_RESULT

# A history row as add_history takes it: (at, who, entity, entity_id, field, old, new, note).
HISTORY_COLUMNS = ("at", "who", "entity", "entity_id", "field", "old", "new", "note")


def execute_many(
    session: Session, statement: Executable, names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """``statement`` for each of ``rows``, whose values are the bind parameters ``names`` in
    that order (an insert's are its columns)."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    if dialect.name != "sqlite":
        params = [dict(zip(names, row, strict=True)) for row in rows]
        session.execute(statement, params, execution_options=UNREAD_RESULT)
        return
    keys = list(names) if isinstance(statement, Insert) else None
    compiled = statement.compile(dialect=dialect, column_keys=keys)  # type: ignore[attr-defined]
    converters: list[tuple[int, Callable[[Any], Any]]] = []
    for number, name in enumerate(names):
        kind = compiled.binds[name].type.dialect_impl(dialect)
        convert = kind.bind_processor(dialect)
        if convert is not None:
            converters.append((number, _once_each(convert)))
    order = [list(names).index(name) for name in compiled.positiontup or ()]
    in_order = order == list(range(len(names)))
    sent: list[tuple[Any, ...]] = []
    for row in rows:
        if converters:
            row = list(row)
            for number, convert in converters:
                row[number] = convert(row[number])
        sent.append(tuple(row) if in_order else tuple([row[number] for number in order]))
    conn.exec_driver_sql(compiled.string, sent, execution_options=UNREAD_RESULT)


def _once_each(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert``, run once for each distinct value (a merge's rows share one time)."""
    done: dict[Any, Any] = {}

    def converted(value: Any) -> Any:
        try:
            return done[value]
        except KeyError:
            done[value] = result = convert(value)
            return result

    return converted


def add_history(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """History rows, each as HISTORY_COLUMNS, in one statement."""
    execute_many(session, insert(HistoryEntry.__table__).inline(), HISTORY_COLUMNS, rows)
