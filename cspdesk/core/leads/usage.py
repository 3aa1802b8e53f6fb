"""What uses an agency or an officer, so that deleting one in use is asked first, naming it:
"Castle Point Borough Council leads 5 actions and has 2 officers. Delete it? ..."."""

from __future__ import annotations

from collections.abc import Sequence
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

    def _facts_and_results(self) -> tuple[str, str]:
        """ "leads 1 action and has 1 officer", "the action loses this lead; ..." """
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
        return listed(facts), "; ".join(results)

    def question(self) -> str:
        """What uses it, the question, and what deleting it does to each of those."""
        if not self.in_use:
            return f"Delete {self.name}?"
        facts, outcome = self._facts_and_results()
        target = "it" if self.entity == "agency" else self.name
        return f"{self.name} {facts}. Delete {target}? {outcome[0].upper()}{outcome[1:]}."

    def what_goes(self) -> str:
        """ "Essex Police leads 1 action: the action loses this lead." (in use only)"""
        facts, outcome = self._facts_and_results()
        return f"{self.name} {facts}: {outcome}."


def several_question(uses: Sequence[LeadUse]) -> str:
    """One question for deleting several agencies (or officers) at once, naming how many, which,
    and what each one in use takes with it."""
    entity = uses[0].entity
    plural = "agencies" if entity == "agency" else "officers"
    names = listed([use.name for use in uses])
    question = f"Delete {count(len(uses), entity, plural)}: {names}?"
    return " ".join([question, *(use.what_goes() for use in uses if use.in_use)])


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
