"""Action.notes: what an imported plan held beside an action's fields ("Internal notes: chased
12/4"), kept with the action instead of dropped; the officer may edit it.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("action")}
    if "notes" in columns:
        return  # run again over a file that has it: nothing to do
    with op.batch_alter_table("action") as batch:
        batch.add_column(sa.Column("notes", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("action") as batch:
        batch.drop_column("notes")
