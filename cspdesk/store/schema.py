"""The schema revisions this version knows, read without importing Alembic (start-up time)."""

from __future__ import annotations

# Oldest first; the last is the head. tests/store/test_migrations.py checks this against Alembic.
SCHEMA_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007p",
    "0007_returns_new_work",
    "0007a",
    "0008",
    "0009",
    "0010",
    "0011",
)
HEAD_REVISION = SCHEMA_REVISIONS[-1]
