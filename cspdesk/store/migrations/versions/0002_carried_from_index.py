"""Index action.carried_from_id.

Without it, deleting an action (ON DELETE SET NULL) scans every action for references: undoing
a roll-forward of a 10,000-action plan took minutes instead of under a second.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("action") as batch:
        batch.create_index("ix_action_carried_from_id", ["carried_from_id"])


def downgrade() -> None:
    with op.batch_alter_table("action") as batch:
        batch.drop_index("ix_action_carried_from_id")
