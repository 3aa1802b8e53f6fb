"""The workspace's agencies and officers as the window lists them to choose from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.plan.model import Agency, Officer


@dataclass(frozen=True)
class AgencyChoice:
    id: int
    name: str


@dataclass(frozen=True)
class OfficerChoice:
    id: int
    name: str
    initials: str
    agency_id: int | None
    agency_name: str  # "" when the officer belongs to no agency

    @property
    def label(self) -> str:
        """ "Emma Clark (EC)", or the name alone when there are no initials."""
        return f"{self.name} ({self.initials})" if self.initials else self.name


@dataclass(frozen=True)
class LeadChoices:
    agencies: list[AgencyChoice]  # by name
    officers: list[OfficerChoice]  # by name


def lead_choices(session: Session) -> LeadChoices:
    """Every agency and every officer (with their agency's name), each sorted by name."""
    # Table columns, not the mapped classes: read while the window opens, before anything
    # needs the mapper set up (core.quarter.outline's loader reads the same way).
    agency, officer = Agency.__table__, Officer.__table__
    agencies = session.execute(select(agency.c.id, agency.c.name).order_by(agency.c.name)).all()
    officers = session.execute(
        select(officer.c.id, officer.c.name, officer.c.initials, officer.c.agency_id, agency.c.name)
        .outerjoin(agency, agency.c.id == officer.c.agency_id)
        .order_by(officer.c.name)
    ).all()
    return LeadChoices(
        [AgencyChoice(agency_id, name) for agency_id, name in agencies],
        [
            OfficerChoice(officer_id, name, initials or "", agency_id, agency_name or "")
            for officer_id, name, initials, agency_id, agency_name in officers
        ],
    )


def free_name(session: Session, entity: str) -> str:
    """A name no agency (``entity`` "agency") or officer has yet: "New agency", else
    "New agency 2", 3…"""
    column = Agency.name if entity == "agency" else Officer.name
    existing = set(session.execute(select(column)).scalars())
    base = "New agency" if entity == "agency" else "New officer"
    name, number = base, 2
    while name in existing:
        name, number = f"{base} {number}", number + 1
    return name
