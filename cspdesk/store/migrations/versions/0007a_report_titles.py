"""report_title: the appendix's title block per plan and quarter (committee, meeting date,
version line), so reprinting an old quarter gives what was sent.

Revision ID: 0007a
Revises: 0007_returns_new_work
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007a"
down_revision = "0007_returns_new_work"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_title",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("appendix_label", sa.String(length=200), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("meeting_date", sa.String(length=10), nullable=False),
        sa.Column("version_line", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name="fk_report_title_plan_id_plan", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_title"),
        sa.UniqueConstraint("plan_id", "quarter", name="report_title_quarter"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_report_title_plan_id", "report_title", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_report_title_plan_id", table_name="report_title")
    op.drop_table("report_title")
