"""Agreeing an action's RAG: agreeing the status already agreed changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.core.quarter import contributions
from cspdesk.store.db import Workspace


def test_agreeing_the_agreed_rag_again_keeps_who_agreed_it(workspace: Workspace) -> None:
    action_id = workspace.read(
        lambda s: s.execute(select(Action.id).order_by(Action.id)).scalars().first()
    )
    workspace.write(contributions.set_agreed_rag, action_id, 1, "A", "Emma Clark")
    agreed = workspace.read(ops.get_update, action_id, 1)
    assert agreed is not None and (agreed.rag, agreed.source) == ("A", "Emma Clark")

    change = workspace.write(contributions.set_agreed_rag, action_id, 1, "A", "someone else")
    assert change.old == change.new == agreed
    assert workspace.read(ops.get_update, action_id, 1) == agreed
