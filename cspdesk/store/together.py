"""Several reads sent together: on a server in one round trip, on a file one after the other.

Over a slow link every statement whose rows are read costs a round trip (30 ms from home over
a VPN). Reads that do not depend on each other's answers (a merge's checks: the return's record,
the plan, its closed quarters, the values it is about to change) go through ``fetch_together``:
on a server each is queued in a psycopg pipeline (the statement is SQLAlchemy's own, compiled
and counted as any other) and they are answered together. Rows come back as named tuples: the
same columns, values and order as ``session.execute(statement).all()`` gives.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Executable, event, exc
from sqlalchemy.orm import Session

from cspdesk.core.plan.ops import UNREAD_RESULT_KEY

# Execution option: the list a queued statement's driver cursor is appended to.
_QUEUE_KEY = "cspdesk queued reads"
# Execution option of every statement sent by fetch_together, on either engine (tests count
# the reads answered on their own: each a round trip of its own on a server).
TOGETHER_KEY = "cspdesk_read_together"
# Connection.info key of the pipeline a write is sent through (server.one_trip_write).
PIPELINE_KEY = "cspdesk pipeline"


def queue_reads_in_pipelines(engine: Engine) -> None:
    """A statement run with the queue option is sent on a driver cursor of its own and not
    waited for; fetch_together collects its rows once every one of them has been answered."""

    @event.listens_for(engine, "do_execute")
    def _queue(cursor: Any, statement: str, parameters: Any, context: Any) -> bool | None:
        queued = context.execution_options.get(_QUEUE_KEY)
        if queued is None:
            return None
        from psycopg.rows import namedtuple_row

        driver = context.root_connection.connection.dbapi_connection
        own = driver.cursor(row_factory=namedtuple_row)
        own.execute(statement, parameters)
        queued.append(own)
        return True


def fetch_together(session: Session, statements: Sequence[Executable]) -> list[list[Any]]:
    """The rows of each of ``statements``, in order; on a server in one round trip (joined to
    a write's own pipeline when one is open, so BEGIN and the reads go together)."""
    if session.get_bind().dialect.name == "sqlite":
        marked = {TOGETHER_KEY: True}
        return [list(session.execute(s, execution_options=marked).all()) for s in statements]
    import psycopg

    conn = session.connection()
    driver: Any = conn.connection.dbapi_connection
    queued: list[Any] = []
    options = {_QUEUE_KEY: queued, UNREAD_RESULT_KEY: True, TOGETHER_KEY: True}
    open_pipeline = conn.info.get(PIPELINE_KEY)
    try:
        with contextlib.nullcontext(open_pipeline) if open_pipeline else driver.pipeline() as pipe:
            for statement in statements:
                conn.execute(statement, execution_options=options)
            if open_pipeline is not None:
                pipe.sync()
            # else: leaving the pipeline sends the reads and waits for their rows (a sync of
            # its own before that would cost a second round trip)
        return [list(cursor.fetchall()) for cursor in queued]
    except psycopg.Error as error:
        if open_pipeline is not None:
            raise  # the write's own pipeline words it (server.one_trip_write)
        wrapped = exc.DBAPIError.instance(
            None, None, error, psycopg.Error, connection_invalidated=driver.closed
        )
        if driver.closed:
            # As SQLAlchemy does with a statement of its own: the connection is let go, so the
            # rollback does not fail in its turn and hide what happened.
            first = conn.info.get("statements", 0) <= len(statements)
            with contextlib.suppress(exc.SQLAlchemyError):
                conn.invalidate()
            if first:
                # The transaction's first statements, on a connection the server had dropped
                # while it lay in the pool: nothing reached the server, the read can run again.
                wrapped.stale_connection = True  # type: ignore[attr-defined]
        raise wrapped from error
    finally:
        for cursor in queued:
            cursor.close()
