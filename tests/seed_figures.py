"""The figures printed in the seed reports, entered through core as an officer would.

Seed 003 (Thurrock, 2016/17): "Summary of crime performance for 1/4/16 to 31/3/17".
Seed 004 (Rochford, 2013/14 section 3.7): 01 April 2013 to 31 December 2013, and its funding.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Plan, Priority


@dataclass(frozen=True)
class SeedFigure:
    name: str
    unit: str
    value: str | None
    previous: str | None
    decimals: int | None
    better: str
    change: str  # as our table prints it
    percent: str
    summary: str


# Seed 003's table: Crime | Total crimes | No. change | % change (as printed, spaces aside).
SEED_003 = (
    SeedFigure("Burglary in dwelling", "crimes", "727", "699", 0, "down", "+28", "+4%", ""),
    SeedFigure(
        "Racially / Religiously aggravated", "crimes", "192", "138", 0, "down", "+54", "+39%", ""
    ),
    SeedFigure("Robbery", "crimes", "144", "116", 0, "down", "+28", "+24%", ""),
    SeedFigure("Sexual offences", "crimes", "243", "248", 0, "down", "-5", "-2%", ""),
    SeedFigure("Vehicle offences", "crimes", "1833", "1687", 1, "down", "+146", "+8.7%", ""),
    SeedFigure(
        "Violence against the person", "crimes", "3266", "3035", 1, "down", "+231", "+7.6%", ""
    ),
)

# Seed 004 section 3.7, with the headline each figure carries there.
SEED_004 = (
    SeedFigure("All Crime", "crimes", "2123", "2123", 0, "down", "0", "0%", "0% change"),
    SeedFigure(
        "All Crime solved rate", "%", "26.1", "24.3", 1, "up", "+1.8 points", "", "1.8% better"
    ),
    SeedFigure(
        "Anti-Social Behaviour",
        "incidents",
        "1247",
        "1259",
        0,
        "down",
        "-12",
        "-1%",
        "1% reduction (12 incidents)",
    ),
    SeedFigure(
        "Repeat victims of Domestic Abuse",
        "victims",
        None,
        None,
        0,
        "down",
        "",
        "",
        "figure unavailable",
    ),
    SeedFigure(
        "Burglary Dwelling",
        "crimes",
        "206",
        "168",
        1,
        "down",
        "+38",
        "+22.6%",
        "22.6% increase (38 crimes)",
    ),
    SeedFigure(
        "Burglary (Other)",
        "crimes",
        "131",
        "166",
        0,
        "down",
        "-35",
        "-21%",
        "21% reduction (35 crimes)",
    ),
    SeedFigure(
        "Shoplifting", "crimes", "196", "181", 0, "down", "+15", "+8%", "8% increase (15 crimes)"
    ),
    SeedFigure(
        "Theft From Motor Vehicle (TFMV)",
        "crimes",
        "220",
        "196",
        0,
        "down",
        "+24",
        "+12%",
        "12% increase (24 crimes)",
    ),
)


def first_plan_id(session: Session) -> int:
    return session.execute(select(Plan.id).order_by(Plan.id)).scalars().first()


def priority_ids(session: Session, plan_id: int) -> list[int]:
    return list(
        session.execute(
            select(Priority.id).where(Priority.plan_id == plan_id).order_by(Priority.position)
        ).scalars()
    )


def enter(
    session: Session,
    priority_id: int,
    seeds: tuple[SeedFigure, ...],
    quarter: int,
    source: str = "Police STORM database",
) -> list[int]:
    ids = []
    for seed in seeds:
        added = figures.add_indicator(
            session,
            seed.name,
            priority_id=priority_id,
            unit=seed.unit,
            decimals=seed.decimals,
            better=seed.better,
            source=source,
        )
        figures.set_value(session, added.id, seed.value, seed.previous, quarter=quarter)
        ids.append(added.id)
    return ids


def enter_seed_003(session: Session, plan_id: int) -> list[int]:
    """Seed 003's table as Q4 (the whole year 2016/17) figures of the plan's first priority."""
    return enter(session, priority_ids(session, plan_id)[0], SEED_003, 4)


def make_plan_2013(session: Session) -> int:
    """Seed 004's plan: 2013/14 with its five priorities."""
    plan = ops.add_item(session, "plan", None, year="2013/14", title="CSP Action Plan 2013-14")
    for title in (
        "Reduce anti-social behaviour by 2014",
        "Reduce repeat incidents of domestic abuse by 2014",
        "Reduce serious acquisitive crime and acquisitive crime",
        "Community engagement",
        "Integrated Offender Management (IOM) - reduce crime and re-offending",
    ):
        ops.add_item(session, "priority", plan.id, title=title)
    return plan.id


def enter_seed_004(session: Session, plan_id: int) -> list[int]:
    """Seed 004's section 3.7 figures (Q3, 1 Apr – 31 Dec 2013) and its 2013/14 funding."""
    asb, da, acquisitive, engagement, iom = priority_ids(session, plan_id)
    ids = enter(session, asb, SEED_004[:3], 3)
    ids += enter(session, da, SEED_004[3:4], 3, "Police crime data")
    ids += enter(session, acquisitive, SEED_004[4:], 3, "iQuanta")
    rochford = funding.add_grant(
        session,
        plan_id,
        "PCC grant – Rochford District CSP",
        "£13,000",
        "£6500 (50%) received automatically; the remaining £6500 (50%) on submission of "
        "action plans evidencing key milestones, outputs and measurable outcomes",
    )
    castle_point = funding.add_grant(
        session, plan_id, "PCC grant – Castle Point CSP", "£13,000", "as Rochford"
    )
    funding.add_allocation(session, rochford.id, "4K", priority_id=asb, note="4K CSP allocation")
    da_allocation = funding.add_allocation(
        session, rochford.id, "7K", priority_id=da, note="7K CSP allocation (joint total)"
    )
    funding.add_allocation(
        session, castle_point.id, "4K", priority_id=acquisitive, note="4K Serious Acquisitive Crime"
    )
    funding.add_allocation(
        session, castle_point.id, "3K", priority_id=acquisitive, note="3K Acquisitive Crime"
    )
    funding.add_allocation(
        session, castle_point.id, "£1K", priority_id=engagement, note="1K Community Engagement"
    )
    funding.add_allocation(
        session, castle_point.id, "4,000", priority_id=iom, note="4K Reducing Reoffending"
    )
    funding.add_spend(session, da_allocation.id, "£5,700", description="Outreach for DV victims")
    return ids
