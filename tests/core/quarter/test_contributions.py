"""Each lead's contribution (core.quarter.contributions): written per lead, checked per lead."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Action
from cspdesk.core.quarter.contributions import (
    ContributionValue,
    load_contributions,
    write_contributions,
)
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def first_action(workspace: Workspace) -> int:
    return workspace.read(lambda s: s.execute(select(Action.id).order_by(Action.id)).scalar())


def said(text: str, rag: str | None, lead: str = "Essex Police") -> ContributionValue:
    return ContributionValue(text=text, rag=rag, lead_name=lead)


@pytest.mark.parametrize(
    ("theirs", "conflict"),
    [
        (said("Patrols done.", "A"), True),  # only the RAG changed: still a colleague's change
        (said("Patrols done, and more.", "G"), True),  # only the words changed
        (None, True),  # a colleague removed the part
        (said("Patrols done.", "G"), False),  # the same words and RAG again: nothing changed
    ],
)
def test_a_colleagues_change_to_words_or_rag_is_refused_not_overwritten(
    workspace: Workspace, theirs: ContributionValue | None, conflict: bool
) -> None:
    key = (first_action(workspace), 1, "agency:police")
    seen = said("Patrols done.", "G")
    workspace.write(write_contributions, {key: seen})
    workspace.write(write_contributions, {key: theirs}, "Graham Browne")
    mine = said("My words.", "R")
    if conflict:
        with pytest.raises(ops.EditConflict, match="changed Essex Police's Q1 part"):
            workspace.write(write_contributions, {key: mine}, "Emma Clark", expected={key: seen})
        kept = workspace.read(load_contributions, [key]).get(key)
        assert (None if kept is None else (kept.text, kept.rag)) == (
            None if theirs is None else (theirs.text, theirs.rag)
        )
    else:
        workspace.write(write_contributions, {key: mine}, "Emma Clark", expected={key: seen})
        kept = workspace.read(load_contributions, [key])[key]
        assert (kept.text, kept.rag) == ("My words.", "R")


def test_writing_one_leads_part_never_touches_anothers(workspace: Workspace) -> None:
    action = first_action(workspace)
    police, council = (action, 2, "agency:police"), (action, 2, "agency:council")
    workspace.write(
        write_contributions, {police: said("Police words", "G"), council: said("RDC", "A", "RDC")}
    )
    workspace.write(write_contributions, {police: said("New police words", "R")})
    parts = workspace.read(load_contributions, [police, council])
    assert (parts[council].text, parts[council].rag) == ("RDC", "A")
    assert (parts[police].text, parts[police].rag) == ("New police words", "R")


def test_an_actions_current_quarter_is_its_plans(workspace: Workspace) -> None:
    from cspdesk.core.plan.model import Plan
    from cspdesk.core.quarter.contributions import current_quarter_of

    action = first_action(workspace)
    assert workspace.read(current_quarter_of, action) == 1

    def move_on(session) -> None:  # type: ignore[no-untyped-def]
        for plan in session.scalars(select(Plan)):
            plan.current_quarter = 3

    workspace.write(move_on)
    assert workspace.read(current_quarter_of, action) == 3
