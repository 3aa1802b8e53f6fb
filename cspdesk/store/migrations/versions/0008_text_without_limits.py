"""Text a user or partner types is never limited by its column type: VARCHAR(n) -> TEXT.

PostgreSQL enforces VARCHAR lengths and SQLite never does, so a history row naming a partner
("q2_update (Essex Community Rehabilitation Company (Probation))"), a long timescale or an
officer's initials saved on a file and failed on a server, and a file could not be copied onto
one. Real limits (initials, RAG codes and colours) are checked in core (core/plan/limits.py),
with the same message on both engines. On PostgreSQL VARCHAR -> TEXT rewrites nothing; on
SQLite batch mode copies each table once, and gives ``indicator`` back the AUTOINCREMENT that
0006's copy dropped (so an indicator's id is never given out twice).

Revision ID: 0008
Revises: 0007a
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007a"
branch_labels = None
depends_on = None

# table -> (column, its old VARCHAR length)
WIDENED: dict[str, tuple[tuple[str, int], ...]] = {
    "partnership": (("name", 200),),
    "rag_status": (("label", 40),),
    "agency": (("name", 200), ("short_name", 40), ("email", 200)),
    "officer": (("name", 200), ("initials", 12), ("email", 200)),
    "plan": (("title", 300), ("version_label", 200)),
    "priority": (("title", 500),),
    "action": (("timescale", 200),),
    "update": (("source", 300),),
    "snapshot": (("closed_by", 200),),
    "history": (("who", 300), ("field", 40)),
    "return_record": (
        ("lead_name", 200),
        ("file_name", 300),
        ("merged_file", 300),
        ("completed_by", 300),
    ),
    "return_new_work": (("lead_name", 200), ("file_name", 300), ("sheet", 100)),
    "contribution": (("lead_name", 200), ("source", 300)),
    "indicator": (
        ("name", 300),
        ("unit", 40),
        ("source", 200),
        ("baseline", 100),
        ("baseline_period", 100),
        ("target", 100),
        ("better", 4),  # "up" or "down"; files of other tools' making hold "lower" too
    ),
    "indicator_value": (("period_label", 100), ("value", 40), ("previous_value", 40)),
    "grant": (("source", 200),),
    "lead_alias": (("text", 500),),
    "police_month": (("source", 300), ("forces", 300)),
    "report_title": (("appendix_label", 200), ("committee", 200), ("version_line", 200)),
    "police_count": (("district", 100), ("crime_type", 100)),
}
WITHOUT_AUTOINCREMENT = frozenset({"rag_status"})  # keyed by its code


def _table_kwargs(table: str) -> dict[str, object]:
    return {} if table in WITHOUT_AUTOINCREMENT else {"sqlite_autoincrement": True}


def upgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table, table_kwargs=_table_kwargs(table)) as batch:
            for column, length in columns:
                batch.alter_column(column, type_=sa.Text(), existing_type=sa.String(length))


def downgrade() -> None:
    for table, columns in WIDENED.items():
        with op.batch_alter_table(table, table_kwargs=_table_kwargs(table)) as batch:
            for column, length in columns:
                batch.alter_column(column, type_=sa.String(length), existing_type=sa.Text())
