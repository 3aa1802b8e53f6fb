"""Whose name signs a change: CSPDESK_USER, the name given in Settings, the account's name."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk import identity
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action, HistoryEntry
from cspdesk.store.db import Workspace


def test_the_variable_wins_then_the_saved_name_then_the_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(identity.USER_VARIABLE, "Graham Browne")
    identity.save_user_name("Emma Clark")
    assert identity.user_name() == "Graham Browne"
    monkeypatch.delenv(identity.USER_VARIABLE)
    assert identity.user_name() == "Emma Clark"
    identity.save_user_name("   ")  # blank: back to the account's own name
    account = identity._account_display_name() or getpass.getuser()
    assert identity.user_name() == account


def test_a_damaged_saved_name_is_ignored(
    monkeypatch: pytest.MonkeyPatch, private_home: Path
) -> None:
    monkeypatch.delenv(identity.USER_VARIABLE)
    (private_home / "user.json").write_text("{not json", encoding="utf-8")
    assert identity.user_name()  # the account's name, never an error or an empty name


def test_history_is_signed_by_the_user_unless_someone_is_named(workspace: Workspace) -> None:
    action_id = workspace.read(lambda s: s.execute(select(Action.id)).scalars().first())
    workspace.who = "Emma Clark"
    workspace.write(ops.edit_field, "action", action_id, "title", "Mine")
    workspace.write(ops.edit_field, "action", action_id, "title", "A script's", "import script")
    signed = workspace.read(
        lambda s: list(
            s.execute(
                select(HistoryEntry.who)
                .where(HistoryEntry.field == "title")
                .order_by(HistoryEntry.id)
            ).scalars()
        )
    )
    assert signed == ["Emma Clark", "import script"]
