"""Migration 0008: a plan made before it (file or server) takes text of any length after it."""

from __future__ import annotations

import importlib

import pytest
from sqlalchemy import String, Text, inspect

from cspdesk.core.plan.model import Base, HistoryEntry
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace, engine_for, migrate, read_revision
from cspdesk.store.schema import HEAD_REVISION

pytestmark = pytest.mark.both_engines

WIDENED = importlib.import_module(
    "cspdesk.store.migrations.versions.0008_text_without_limits"
).WIDENED


def test_every_column_a_user_types_is_text_in_the_model() -> None:
    """Only values with a shape of their own keep a length (and core/plan/limits.py checks
    the ones a user types)."""
    kept = {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String)
        and not isinstance(column.type, Text)
        and column.type.length is not None
    }
    assert kept == {
        ("partnership", "uid"),
        ("return_record", "token"),
        ("plan", "year"),
        ("report_title", "meeting_date"),  # ISO, "2016-06-30"
        ("rag_status", "code"),
        ("rag_status", "colour"),
        ("rag_status", "text_colour"),
        ("history", "entity"),
        ("contribution", "lead_key"),
        # Foreign keys to rag_status.code.
        ("action", "rag"),
        ("milestone", "rag"),
        ("update", "rag"),
        ("contribution", "rag"),
    }


def test_a_plan_made_before_0008_is_widened_when_opened(empty_location: Location) -> None:
    engine = engine_for(empty_location)
    migrate(engine, "0006")
    assert read_revision(engine) == "0006"
    engine.dispose()
    with Workspace.open(empty_location) as workspace:
        assert read_revision(workspace.engine) == HEAD_REVISION
        with workspace.engine.connect() as conn:
            found = inspect(conn)
            for table, columns in WIDENED.items():
                types = {c["name"]: c["type"] for c in found.get_columns(table)}
                for name, _length in columns:
                    assert isinstance(types[name], Text), (table, name, types[name])
        long_field = "q2_update (Essex Community Rehabilitation Company (Probation))"
        workspace.write(
            lambda s: s.add(
                HistoryEntry(who="return: x", entity="action", entity_id=1, field=long_field)
            )
        )
        assert workspace.read(lambda s: s.query(HistoryEntry.field).scalar()) == long_field
