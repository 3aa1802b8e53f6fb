"""What a delete takes with it: items under those picked, their updates, leads' contributions
and indicators (core/plan/held), and what names an agency or officer (core/leads/usage)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cspdesk.core.leads.usage import LeadUse, lead_use
from cspdesk.core.plan.held import DeleteScope, delete_scope
from cspdesk.core.plan.model import (
    Action,
    Agency,
    Contribution,
    Indicator,
    LeadAlias,
    Objective,
    Officer,
)
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def _id(session: Session, cls: type, title: str) -> int:
    column = cls.name if cls in (Agency, Officer) else cls.title  # type: ignore[attr-defined]
    return session.execute(select(cls.id).where(column == title)).scalar_one()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kind", "title", "question", "holds"),
    [
        (
            "objective",
            "To raise awareness of Domestic abuse",
            "Delete the objective 'To raise awareness of Domestic abuse' with 2 actions, "
            "2 milestones and 2 quarterly updates?",
            True,
        ),
        (
            "action",
            "Re-introduce the J9 scheme in both districts",
            "Delete the action 'Re-introduce the J9 scheme in both districts' with 1 quarterly "
            "update?",
            True,
        ),
        ("action", "Joint days of action", "Delete the action 'Joint days of action'?", False),
    ],
)
def test_a_delete_counts_what_goes_with_the_item(
    workspace: Workspace, kind: str, title: str, question: str, holds: bool
) -> None:
    cls = Objective if kind == "objective" else Action
    scope = workspace.read(lambda s: delete_scope(s, [(kind, _id(s, cls, title))]))
    assert scope.question() == question
    assert scope.holds_anything is holds
    assert scope.done() == "Deleted" + question.removeprefix("Delete")[:-1] + "."


def test_partners_words_and_indicators_are_counted(workspace: Workspace) -> None:
    def add_and_count(session: Session) -> DeleteScope:
        action = _id(session, Action, "Joint days of action")
        session.execute(
            insert(Contribution).values(
                action_id=action, quarter=1, lead_key="agency:1", text="Done", source="return: x"
            )
        )
        session.execute(insert(Indicator).values(action_id=action, name="ASB incidents"))
        return delete_scope(session, [("action", action)])

    scope = workspace.write(add_and_count)
    assert scope.holds_anything
    assert scope.question() == (
        "Delete the action 'Joint days of action' with 1 lead's contribution and "
        "1 performance indicator?"
    )


def test_items_picked_together_are_named_by_kind_and_not_counted_twice(
    workspace: Workspace,
) -> None:
    def scope(session: Session) -> DeleteScope:
        first = _id(session, Objective, "To raise awareness of Domestic abuse")
        second = _id(session, Objective, "To reduce ASB in hotspot areas")
        inside_second = _id(session, Action, "Joint days of action")
        return delete_scope(
            session, [("objective", first), ("objective", second), ("action", inside_second)]
        )

    assert workspace.read(scope).question() == (
        "Delete 2 objectives and 1 action with 2 actions, 2 milestones and 2 quarterly updates?"
    )


def test_a_long_title_is_cut_in_the_question() -> None:
    scope = DeleteScope((("action", "word " * 40),), {"milestone": 1})
    assert scope.question().startswith("Delete the action 'word word")
    assert "…' with 1 milestone?" in scope.question()
    assert len(scope.question()) < 120


def test_what_uses_an_agency_and_an_officer(workspace: Workspace) -> None:
    def uses(session: Session) -> tuple[LeadUse, LeadUse, LeadUse]:
        police = _id(session, Agency, "Essex Police")
        session.execute(insert(LeadAlias).values(text="Police CSP team", agency_id=police))
        return (
            lead_use(session, "agency", police),
            lead_use(session, "officer", _id(session, Officer, "Graham Browne")),
            lead_use(session, "agency", _id(session, Agency, "All partners")),
        )

    police, graham, everyone = workspace.write(uses)
    assert (police.actions, police.officers, police.readings, police.paired) == (1, 1, 1, 1)
    assert police.question() == (
        "Essex Police leads 1 action, has 1 officer and is the reading of 1 lead text. Delete "
        "it? The action loses this lead and the officer named for it; the officer keeps no "
        "agency; that reading is forgotten."
    )
    assert graham.in_use
    assert graham.question() == (
        "Graham Browne leads 1 action. Delete Graham Browne? The action loses this lead."
    )
    assert (
        everyone.question() == "All partners leads 1 action. Delete it? The action loses this lead."
    )


@pytest.mark.parametrize(
    ("use", "question"),
    [
        (
            LeadUse("agency", "Castle Point Borough Council", 5, 2, 0),
            "Castle Point Borough Council leads 5 actions and has 2 officers. Delete it? The "
            "actions lose this lead; the officers keep no agency.",
        ),
        (
            LeadUse("officer", "Emma Clark", 2, 0, 0),
            "Emma Clark leads 2 actions. Delete Emma Clark? The actions lose this lead.",
        ),
        (
            LeadUse("agency", "Basildon BC", 0, 0, 2),
            "Basildon BC is the reading of 2 lead texts. Delete it? Those readings are forgotten.",
        ),
    ],
)
def test_the_question_names_each_use(use: LeadUse, question: str) -> None:
    assert use.in_use
    assert use.question() == question


def test_an_unused_agency_is_not_in_use(workspace: Workspace) -> None:
    def unused(session: Session) -> LeadUse:
        session.execute(insert(Agency).values(name="New agency"))
        return lead_use(session, "agency", _id(session, Agency, "New agency"))

    assert not workspace.write(unused).in_use


def test_one_question_for_several_leads_names_how_many_and_what_each_takes() -> None:
    from cspdesk.core.leads.usage import several_question

    uses = [
        LeadUse("agency", "Essex Police", 1, 1, 0, 1),
        LeadUse("agency", "New agency", 0, 0, 0),
        LeadUse("agency", "Crimestoppers", 2, 0, 0),
    ]
    assert several_question(uses) == (
        "Delete 3 agencies: Essex Police, New agency and Crimestoppers? Essex Police leads 1 "
        "action and has 1 officer: the action loses this lead and the officer named for it; "
        "the officer keeps no agency. Crimestoppers leads 2 actions: the actions lose this lead."
    )
    officers = [LeadUse("officer", "Emma Clark", 0, 0, 0), LeadUse("officer", "Ann Lee", 0, 0, 0)]
    assert several_question(officers) == "Delete 2 officers: Emma Clark and Ann Lee?"
