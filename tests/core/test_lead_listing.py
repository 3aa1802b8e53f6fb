"""The agencies and officers the window lists to choose from (core.leads.listing), and what the
workspace settings show (core.workspace.settings)."""

from __future__ import annotations

import pytest

from cspdesk.core.leads.listing import AgencyChoice, free_name, lead_choices
from cspdesk.core.plan import ops
from cspdesk.core.workspace.settings import workspace_settings
from cspdesk.store.db import Workspace

pytestmark = pytest.mark.both_engines


def test_agencies_and_officers_by_name_each_officer_with_their_agency(
    workspace: Workspace,
) -> None:
    workspace.write(ops.add_row, "officer", name="Ann Archer")  # no agency, no initials
    choices = workspace.read(lead_choices)
    assert [a.name for a in choices.agencies] == [
        "All partners",
        "Essex Police",
        "Rochford District Council",
    ]
    assert all(isinstance(a, AgencyChoice) and a.id > 0 for a in choices.agencies)
    police = next(a.id for a in choices.agencies if a.name == "Essex Police")
    officers = [(o.label, o.agency_name, o.agency_id) for o in choices.officers]
    assert officers[0] == ("Ann Archer", "", None)
    assert officers[1] == ("Emma Clark (EC)", "Essex Police", police)
    assert [o.name for o in choices.officers] == ["Ann Archer", "Emma Clark", "Graham Browne"]


def test_a_new_agency_or_officer_gets_a_name_nobody_has(workspace: Workspace) -> None:
    assert workspace.read(free_name, "agency") == "New agency"
    workspace.write(ops.add_row, "agency", name="New agency")
    workspace.write(ops.add_row, "agency", name="New agency 2")
    assert workspace.read(free_name, "agency") == "New agency 3"
    assert workspace.read(free_name, "officer") == "New officer"


def test_the_settings_show_the_scheme_in_order_and_the_people_by_name(
    workspace: Workspace,
) -> None:
    settings = workspace.read(workspace_settings)
    assert (settings.name, settings.areas) == ("Test Vale CSP", "Test Vale")
    assert [code for code, _ in settings.rag_statuses] == ["R", "A", "G", "B", "N"]
    assert settings.rag_statuses[0][1]["label"] == "Red"
    assert set(settings.rag_statuses[0][1]) == {"code", "label", "colour", "text_colour", "meaning"}
    assert next(values["name"] for _, values in settings.agencies) == "All partners"
    police = next(values for _, values in settings.agencies if values["name"] == "Essex Police")
    assert police == {"name": "Essex Police", "short_name": "Police", "email": ""}
    assert [values["initials"] for _, values in settings.officers] == ["EC", "GB"]
