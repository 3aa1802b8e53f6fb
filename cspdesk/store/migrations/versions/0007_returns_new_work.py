"""Partner returns: new work kept (return_new_work), the merged file's saved time and who
completed a return (return_record.merged_saved_at, completed_by).

Revision ID: 0007_returns_new_work
Revises: 0007p
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_returns_new_work"
down_revision = "0007p"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("return_record") as batch:
        batch.add_column(sa.Column("merged_saved_at", sa.DateTime(), nullable=True))
        batch.add_column(
            sa.Column("completed_by", sa.String(length=300), nullable=False, server_default="")
        )
    op.create_table(
        "return_new_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("lead_name", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("cells", sa.Text(), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=True),
        sa.Column("placed_as", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_return_new_work_agency_id_agency"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_return_new_work_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["return_record.id"],
            name=op.f("fk_return_new_work_return_id_return_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_new_work")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("return_new_work") as batch:
        batch.create_index(batch.f("ix_return_new_work_plan_id"), ["plan_id"], unique=False)
        batch.create_index(batch.f("ix_return_new_work_return_id"), ["return_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("return_new_work") as batch:
        batch.drop_index(batch.f("ix_return_new_work_return_id"))
        batch.drop_index(batch.f("ix_return_new_work_plan_id"))
    op.drop_table("return_new_work")
    with op.batch_alter_table("return_record") as batch:
        batch.drop_column("completed_by")
        batch.drop_column("merged_saved_at")
