"""One sort rule for names on both engines: code-point order, as SQLite has always sorted.

A server's UK collation would put "RRAVS" after "Rayleigh"; SQLite's byte order puts it before.
``by_name(session, column)`` asks PostgreSQL for the same order (COLLATE "C") and leaves SQLite
as it is, so a plan lists its agencies and officers the same way wherever it is kept.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def by_name(session: Session, column: Any) -> Any:
    """``column`` as an ORDER BY term in code-point order on the session's engine."""
    if session.get_bind().dialect.name == "sqlite":
        return column  # SQLite's default collation (BINARY) is already code-point order
    return column.collate("C")
