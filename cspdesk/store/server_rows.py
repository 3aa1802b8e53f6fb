"""A shared plan's rows written in bulk: each column's values sent as one array and the rows
made from them on the server (unnest), one statement for any number of rows.

psycopg's executemany sends a statement a row; merging 40 returns writes some 50,000 rows (their
history, the partners' words, done dates), which kept the server and the client busy for
seconds. core.plan.many asks for these through the RowsWriter a workspace's session carries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, Table
from sqlalchemy.orm import Session

from cspdesk.core.plan.many import Names, Rows
from cspdesk.core.plan.ops import UNREAD_RESULT


class ArrayRows:
    """core.plan.many.RowsWriter for PostgreSQL."""

    def insert(self, session: Session, table: Table, columns: Names, rows: Rows) -> None:
        quote = _quoter(session)
        arrays = _arrays(session, table, columns)
        names = ", ".join(quote(name) for name in columns)
        sql = f"INSERT INTO {_table(session, table)} ({names}) SELECT * FROM unnest({arrays})"
        _send(session, sql, rows)

    def update(
        self, session: Session, table: Table, keys: Names, setting: Names, rows: Rows
    ) -> None:
        quote = _quoter(session)
        named = ", ".join(quote(name) for name in (*keys, *setting))
        given = f"unnest({_arrays(session, table, (*keys, *setting))}) AS given ({named})"
        sets = ", ".join(f"{quote(name)} = given.{quote(name)}" for name in setting)
        where = _same(session, table, keys)
        sql = f"UPDATE {_table(session, table)} SET {sets} FROM {given} WHERE {where}"
        _send(session, sql, rows)

    def delete(self, session: Session, table: Table, keys: Names, rows: Rows) -> None:
        named = ", ".join(_quoter(session)(name) for name in keys)
        given = f"unnest({_arrays(session, table, keys)}) AS given ({named})"
        where = _same(session, table, keys)
        sql = f"DELETE FROM {_table(session, table)} USING {given} WHERE {where}"
        _send(session, sql, rows)


def _quoter(session: Session) -> Any:
    return session.get_bind().dialect.identifier_preparer.quote


def _table(session: Session, table: Table) -> str:
    return str(session.get_bind().dialect.identifier_preparer.format_table(table))


def _arrays(session: Session, table: Table, columns: Sequence[str]) -> str:
    """A placeholder a column, cast to an array of the column's type: text of any length for
    a column of limited length, so that a value too long is refused when stored, as a row
    inserted alone is (a cast to VARCHAR(40) would cut it without a word)."""
    dialect = session.get_bind().dialect
    return ", ".join(
        "%s::TEXT[]" if isinstance(kind, String) else f"%s::{kind.compile(dialect=dialect)}[]"
        for kind in (table.c[name].type for name in columns)
    )


def _same(session: Session, table: Table, keys: Names) -> str:
    quote = _quoter(session)
    return " AND ".join(
        f"{_table(session, table)}.{quote(key)} = given.{quote(key)}" for key in keys
    )


def _send(session: Session, sql: str, rows: Rows) -> None:
    columns = tuple(list(values) for values in zip(*rows, strict=True))
    session.connection().exec_driver_sql(sql, columns, execution_options=UNREAD_RESULT)
