"""Indicator.plan_id: indicators of the plan as a whole ("Performance overview").

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_indicator_plan_id"), ["plan_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_indicator_plan_id_plan"), "plan", ["plan_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("indicator") as batch:
        batch.drop_constraint(batch.f("fk_indicator_plan_id_plan"), type_="foreignkey")
        batch.drop_index(batch.f("ix_indicator_plan_id"))
        batch.drop_column("plan_id")
