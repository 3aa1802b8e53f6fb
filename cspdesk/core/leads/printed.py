"""A lead as the plan prints it: agency, officer and initials in one line."""

from __future__ import annotations


def lead_text(agency: str | None, officer: str | None, initials: str | None) -> str:
    """How a lead reads in the plan: "Essex Police – Emma Clark (EC)"."""
    person = ""
    if officer:
        person = f"{officer} ({initials})" if initials else officer
    if agency and person:
        return f"{agency} – {person}"
    return agency or person
