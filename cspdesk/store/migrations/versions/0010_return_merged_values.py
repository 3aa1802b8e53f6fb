"""return_record.merged_values: what the merged versions of a return set in the plan, field by
field (the value before the first version and the one the last set), so a correction merged
later can undo what it withdrew (issue 23).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("return_record")}
    if "merged_values" in columns:
        return  # run again over a file that has it: nothing to do
    with op.batch_alter_table("return_record") as batch:
        batch.add_column(sa.Column("merged_values", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("return_record") as batch:
        batch.drop_column("merged_values")
