"""police_month, police_count: crime and ASB counts from police open data, per month.

Revision ID: 0007p
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007p"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "police_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("forces", sa.String(length=300), nullable=False),
        sa.Column("no_location", sa.Integer(), nullable=False),
        sa.Column("other_districts", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_month")),
        sa.UniqueConstraint("month", name=op.f("uq_police_month_month")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "police_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("district", sa.String(length=100), nullable=False),
        sa.Column("crime_type", sa.String(length=100), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_police_count")),
        sa.UniqueConstraint("month", "district", "crime_type", name="month_district_type"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_police_count_month"), "police_count", ["month"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_police_count_month"), table_name="police_count")
    op.drop_table("police_count")
    op.drop_table("police_month")
