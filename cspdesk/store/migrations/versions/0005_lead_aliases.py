"""lead_alias: what a lead text means in the workspace, as chosen on import.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lead_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name="fk_lead_alias_agency_id_agency", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
            name="fk_lead_alias_officer_id_officer",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_lead_alias"),
        sa.UniqueConstraint("text", "position", name="text_position"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_lead_alias_text", "lead_alias", ["text"])


def downgrade() -> None:
    op.drop_index("ix_lead_alias_text", table_name="lead_alias")
    op.drop_table("lead_alias")
