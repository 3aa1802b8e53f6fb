"""Indicator.decimals: how many decimal places its % change prints with.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("decimals", sa.Integer(), nullable=True))
    # Before this column, decimals rode at the end of the unit: "crimes; 1 dp".
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, unit FROM indicator WHERE unit LIKE '%dp'")).all()
    for indicator_id, unit in rows:
        head, _, tail = unit.rpartition(";")
        places = tail.strip().removesuffix("dp").strip()
        if head and places.isdigit():
            conn.execute(
                sa.text("UPDATE indicator SET unit = :u, decimals = :d WHERE id = :i"),
                {"u": head.strip(), "d": int(places), "i": indicator_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_column("decimals")
