"""Whose part of an action a return's words are.

Most returns answer for their own lead. A shared return ("All partners") is answered by each
organisation in its own copy, naming itself on the cover under "Completed by": each copy's words
and RAGs are then that organisation's part of the action, credited to it, beside the others'.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from cspdesk.core.leads.text import norm
from cspdesk.core.plan.model import Agency
from cspdesk.core.plan.words import possessive
from cspdesk.returns.diff import Problem, ReturnDiff
from cspdesk.returns.layout import COVER_SHEET

SHARED = re.compile(r"all\b", re.IGNORECASE)  # "All partners", "All agencies"


def is_shared(lead_name: str) -> bool:
    """A return all partners answer together, each in its own copy."""
    return bool(SHARED.match(lead_name.strip()))


def organisation(completed_by: str) -> str:
    """ "Rochford District Council" from "Rochford District Council, Jo Bloggs"."""
    return completed_by.split(",", 1)[0].strip()


def credit_part(session: Session, diff: ReturnDiff) -> None:
    """Credit a shared return's words to the organisation its cover names, when that is one of
    the workspace's agencies (by name or short name); otherwise say why they are not."""
    named = organisation(diff.completed_by)
    if not named or not is_shared(diff.lead_name):
        return
    wanted = norm(named)
    for agency_id, name, short in session.execute(
        select(Agency.id, Agency.name, Agency.short_name).order_by(Agency.id)
    ):
        if wanted in (norm(name), norm(short or "")):
            if agency_id != diff.agency_id:
                diff.part_agency_id, diff.part_name = agency_id, name
            return
    diff.problems.append(
        Problem(
            f"the cover says {named!r} completed it, which is not an agency of this "
            f"workspace: its words are kept as {possessive(diff.lead_name)} part (add "
            f"{named!r} under Agencies to credit its part to it)",
            COVER_SHEET,
        )
    )
