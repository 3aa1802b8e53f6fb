"""SQLite failures in the user's words: a damaged file named as such, a failed read not called a
failed write."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from cspdesk.store.failures import describe_database_failure


def _failure(path: Path, statement: str) -> DBAPIError:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(DBAPIError) as caught, engine.connect() as conn:
            conn.exec_driver_sql(statement).fetchall()
    finally:
        engine.dispose()
    return caught.value


def test_a_file_that_cannot_be_opened_is_not_said_to_be_unwritable(tmp_path: Path) -> None:
    error = _failure(tmp_path / "gone" / "plan.cspdesk", "SELECT 1")
    assert describe_database_failure(error) == (
        "the workspace file could not be opened (a removed disk, or a folder moved?)"
    )


def test_a_damaged_file_is_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "plan.cspdesk"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x TEXT)")
        conn.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
            "INSERT INTO t SELECT printf('%0100d', i) FROM n"
        )
    engine.dispose()
    data = bytearray(path.read_bytes())
    for page in range(4096, len(data), 4096):
        data[page : page + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    error = _failure(path, "SELECT count(*), max(x) FROM t")
    assert describe_database_failure(error) == "the workspace file is damaged; nothing was saved"
    assert describe_database_failure(error, path) == (
        f"{path}: the workspace file is damaged, and no good backup of it was found"
    )
