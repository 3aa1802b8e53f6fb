"""What uses an agency or an officer, so that deleting one in use is asked first, naming it:
"Castle Point Borough Council leads 5 actions and has 2 officers. Delete it? ..."."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import ActionLead, Agency, LeadAlias, Officer
from cspdesk.core.plan.words import count, listed, verb


@dataclass(frozen=True)
class LeadUse:
    """How much of the workspace names one agency or officer."""

    entity: str  # "agency" or "officer"
    name: str
    actions: int  # actions it leads (alone, or an officer on behalf of the agency)
    officers: int  # officers of the agency (always 0 for an officer)
    readings: int  # lead texts read as it on import (Workspace settings > Lead readings)
    paired: int = 0  # of an agency's leads, those naming an officer for it (they go too)

    @property
    def in_use(self) -> bool:
        return bool(self.actions or self.officers or self.readings)

    def question(self) -> str:
        """What uses it, the question, and what deleting it does to each of those."""
        facts, results = [], []
        if self.actions:
            facts.append(f"leads {count(self.actions, 'action')}")
            results.append(
                f"the {verb(self.actions, 'action loses', 'actions lose')} this lead"
                + (" and the officer named for it" if self.paired else "")
            )
        if self.officers:
            facts.append(f"has {count(self.officers, 'officer')}")
            results.append(f"the {verb(self.officers, 'officer keeps', 'officers keep')} no agency")
        if self.readings:
            facts.append(f"is the reading of {count(self.readings, 'lead text')}")
            results.append(
                f"{verb(self.readings, 'that reading is', 'those readings are')} forgotten"
            )
        target = "it" if self.entity == "agency" else self.name
        outcome = "; ".join(results)
        return f"{self.name} {listed(facts)}. Delete {target}? {outcome[0].upper()}{outcome[1:]}."


def lead_use(session: Session, entity: str, item_id: int) -> LeadUse:
    """What names the agency (``entity`` "agency") or officer ``item_id``, in one query."""
    if entity not in ("agency", "officer"):
        raise ValueError(f"not a lead: {entity}")
    name_column = Agency.name if entity == "agency" else Officer.name
    id_column = Agency.id if entity == "agency" else Officer.id
    lead_column = ActionLead.agency_id if entity == "agency" else ActionLead.officer_id
    alias_column = LeadAlias.agency_id if entity == "agency" else LeadAlias.officer_id
    actions = select(func.count(distinct(ActionLead.action_id))).where(lead_column == item_id)
    readings = select(func.count(distinct(LeadAlias.text))).where(alias_column == item_id)
    officers = select(func.count()).select_from(Officer).where(Officer.agency_id == item_id)
    paired = select(func.count(distinct(ActionLead.action_id))).where(
        ActionLead.agency_id == item_id, ActionLead.officer_id.is_not(None)
    )
    name, actions_led, officers_of, read_as, paired_with = session.execute(
        select(
            name_column,
            actions.scalar_subquery(),
            officers.scalar_subquery(),
            readings.scalar_subquery(),
            paired.scalar_subquery(),
        ).where(id_column == item_id)
    ).one()
    if entity == "officer":
        officers_of = paired_with = 0
    return LeadUse(entity, name, actions_led, officers_of, read_as, paired_with)
