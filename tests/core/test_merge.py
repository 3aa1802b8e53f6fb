"""Merging two agencies or officers: every reference moves, and undo puts everything back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from cspdesk.core.leads.merge import REFERENCES, merge
from cspdesk.core.plan.model import (
    ActionLead,
    Agency,
    Base,
    Contribution,
    LeadAlias,
    Officer,
    Plan,
    ReturnRecord,
)
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def everything(session: Session) -> dict[str, list[dict[str, Any]]]:
    tables = ("agency", "officer", "action_lead", "return_record", "lead_alias", "contribution")
    return {
        name: [
            dict(r)
            for r in session.execute(select(Base.metadata.tables[name]).order_by("id")).mappings()
        ]
        for name in tables
    }


def agency_id(session: Session, name: str) -> int:
    return session.execute(select(Agency.id).where(Agency.name == name)).scalar_one()


def test_merge_moves_every_reference_and_undo_restores(workspace: Workspace) -> None:
    def prepare(session: Session) -> None:
        police, rdc = (
            agency_id(session, "Essex Police"),
            agency_id(session, "Rochford District Council"),
        )
        action = session.execute(
            select(ActionLead.action_id).where(ActionLead.agency_id == police)
        ).scalar()
        # That action is led by both: after the merge, one lead, not the same lead twice.
        session.execute(insert(ActionLead).values(action_id=action, position=5, agency_id=rdc))
        session.execute(insert(ActionLead).values(action_id=action, position=6, agency_id=police))
        plan = session.execute(select(Plan.id)).scalar()
        session.execute(
            insert(ReturnRecord).values(plan_id=plan, quarter=1, agency_id=rdc, lead_name="RDC")
        )
        session.execute(
            insert(LeadAlias).values(text="RDC team", position=0, agency_id=rdc, note="")
        )
        # Both wrote for that action's Q1; RDC alone for Q2.
        for agency, quarter, text, rag in (
            (police, 1, "Police patrols done.", None),
            (rdc, 1, "Council leaflets sent.", "A"),
            (rdc, 2, "More leaflets.", "G"),
        ):
            session.execute(
                insert(Contribution).values(
                    action_id=action, quarter=quarter, lead_key=f"agency:{agency}",
                    agency_id=agency, text=text, rag=rag,
                )
            )  # fmt: skip

    workspace.write(prepare)
    before = workspace.read(everything)
    police = workspace.read(agency_id, "Essex Police")
    rdc = workspace.read(agency_id, "Rochford District Council")

    change = workspace.write(merge, "agency", police, rdc)
    after = workspace.read(everything)
    assert [a["name"] for a in after["agency"]] == ["Essex Police", "All partners"]
    assert all(lead["agency_id"] != rdc for lead in after["action_lead"])
    pairs = [
        (lead["action_id"], lead["agency_id"], lead["officer_id"]) for lead in after["action_lead"]
    ]
    assert len(pairs) == len(set(pairs))
    assert [r["agency_id"] for r in after["return_record"]] == [police]
    assert [a["agency_id"] for a in after["lead_alias"]] == [police]
    words = [(c["quarter"], c["lead_key"], c["text"], c["rag"]) for c in after["contribution"]]
    assert words == [
        (1, f"agency:{police}", "Police patrols done.\nCouncil leaflets sent.", "A"),
        (2, f"agency:{police}", "More leaflets.", "G"),
    ]
    graham = next(o for o in after["officer"] if o["name"] == "Graham Browne")
    assert graham["agency_id"] == police

    inverse = workspace.write(change.revert)
    assert workspace.read(everything) == before
    workspace.write(inverse.revert)  # redo
    assert workspace.read(everything) == after


def test_merge_officers(workspace: Workspace) -> None:
    def ids(session: Session) -> tuple[int, int]:
        def find(name: str) -> int:
            return session.execute(select(Officer.id).where(Officer.name == name)).scalar_one()

        return find("Emma Clark"), find("Graham Browne")

    emma, graham = workspace.read(ids)
    workspace.write(merge, "officer", emma, graham)
    leads = workspace.read(lambda s: list(s.execute(select(ActionLead.officer_id)).scalars()))
    assert graham not in leads and emma in leads


def test_every_table_naming_an_agency_or_officer_is_listed() -> None:
    listed = {(t, c) for refs in REFERENCES.values() for t, c in refs}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name in REFERENCES:
                assert (table.name, fk.parent.name) in listed, (table.name, fk.parent.name)
