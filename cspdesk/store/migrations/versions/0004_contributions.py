"""Contributions: each lead's own part of a quarter's update; decisions waiting on a return.

An update a return wrote (its source "return: <lead> <file>") becomes that lead's contribution;
every other update stays as the officer's summary and agreed RAG. An action's own RAG becomes
its agreed RAG for its plan's current quarter where that quarter has none. Snapshots of closed
quarters are left exactly as they were.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("lead_key", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("lead_name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("rag", sa.String(length=8), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name=op.f("ck_contribution_quarter_range")),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_contribution_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_contribution_agency_id_agency"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
            name=op.f("fk_contribution_officer_id_officer"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rag"],
            ["rag_status.code"],
            name=op.f("fk_contribution_rag_rag_status"),
            onupdate="CASCADE",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["return_record.id"],
            name=op.f("fk_contribution_return_id_return_record"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
        sa.UniqueConstraint("action_id", "quarter", "lead_key", name="action_quarter_lead"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_contribution_action_id"), "contribution", ["action_id"], unique=False)
    with op.batch_alter_table("return_record") as batch:
        batch.add_column(
            sa.Column("decisions_waiting", sa.Integer(), nullable=False, server_default="0")
        )
    _move_returned_updates()
    _agree_current_rags()


def _move_returned_updates() -> None:
    """Updates a return wrote become that return's lead's contributions."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT u.id, u.action_id, u.quarter, u.text, u.rag, u.source, u.updated_at, "
            'p.plan_id FROM "update" u JOIN action a ON a.id = u.action_id '
            "JOIN objective o ON o.id = a.objective_id JOIN priority p ON p.id = o.priority_id "
            "WHERE u.source LIKE 'return: %'"
        )
    ).all()
    for row in rows:
        records = conn.execute(
            sa.text(
                "SELECT id, agency_id, lead_name FROM return_record "
                "WHERE plan_id = :plan AND quarter = :quarter ORDER BY id DESC"
            ),
            {"plan": row.plan_id, "quarter": row.quarter},
        ).all()
        record = next(
            (r for r in records if row.source.startswith(f"return: {r.lead_name} ")), None
        )
        if record is None:
            continue  # a return no longer on record: the text stays as the officer's summary
        key = "none" if record.agency_id is None else f"agency:{record.agency_id}"
        conn.execute(
            sa.text(
                "INSERT INTO contribution (action_id, quarter, lead_key, agency_id, officer_id, "
                "lead_name, text, rag, source, return_id, updated_at) VALUES (:a, :q, :k, "
                ":agency, NULL, :name, :t, :rag, :s, :r, :at)"
            ),
            {
                "a": row.action_id,
                "q": row.quarter,
                "k": key,
                "agency": record.agency_id,
                "name": record.lead_name,
                "t": row.text or "",
                "rag": row.rag,
                "s": row.source,
                "r": record.id,
                "at": row.updated_at,
            },
        )
        conn.execute(sa.text('DELETE FROM "update" WHERE id = :i'), {"i": row.id})


def _agree_current_rags() -> None:
    """An action's own RAG becomes its agreed RAG for the plan's current quarter."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT a.id, a.rag, pl.current_quarter AS quarter FROM action a "
            "JOIN objective o ON o.id = a.objective_id JOIN priority p ON p.id = o.priority_id "
            "JOIN plan pl ON pl.id = p.plan_id WHERE a.rag IS NOT NULL"
        )
    ).all()
    for row in rows:
        has_rag = conn.execute(
            sa.text(
                'SELECT 1 FROM "update" WHERE action_id = :a AND quarter = :q '
                "AND rag IS NOT NULL UNION ALL SELECT 1 FROM contribution "
                "WHERE action_id = :a AND quarter = :q AND rag IS NOT NULL"
            ),
            {"a": row.id, "q": row.quarter},
        ).first()
        if has_rag is not None:
            continue
        updated = conn.execute(
            sa.text('UPDATE "update" SET rag = :rag WHERE action_id = :a AND quarter = :q'),
            {"rag": row.rag, "a": row.id, "q": row.quarter},
        )
        if updated.rowcount == 0:
            conn.execute(
                sa.text(
                    'INSERT INTO "update" (action_id, quarter, text, rag, source, updated_at) '
                    "VALUES (:a, :q, '', :rag, 'officer', CURRENT_TIMESTAMP)"
                ),
                {"a": row.id, "q": row.quarter, "rag": row.rag},
            )


def downgrade() -> None:
    with op.batch_alter_table("return_record") as batch:
        batch.drop_column("decisions_waiting")
    op.drop_index(op.f("ix_contribution_action_id"), table_name="contribution")
    op.drop_table("contribution")
