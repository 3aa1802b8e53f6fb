"""Picking priorities, actions, indicators and funding entries of a real small plan."""

from __future__ import annotations

import pytest

from cspdesk.core.figures import performance as figures
from cspdesk.core.funding import summary as funding
from cspdesk.core.funding.lists import (
    find_indicator,
    find_target,
    funding_entries,
    plan_targets,
)
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from tests.seed_figures import first_plan_id

pytestmark = pytest.mark.both_engines


def test_targets_numbered_as_printed(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    labels = [t.label for t in workspace.read(plan_targets, plan_id)]
    assert labels == [
        "1. Safeguarding Vulnerable People",
        "1.1.1 Actively promote Essex wide campaigns",
        "1.1.2 Re-introduce the J9 scheme in both districts",
        "2. Anti-Social Behaviour",
        "2.1.1 Joint days of action",
    ]


def test_find_by_number_id_or_words(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    targets = workspace.read(plan_targets, plan_id)
    asb = next(t for t in targets if t.label.startswith("2."))
    j9 = next(t for t in targets if "J9" in t.title)
    assert workspace.read(find_target, plan_id, "priority", "2") == asb.id
    assert workspace.read(find_target, plan_id, "priority", "anti-social") == asb.id
    assert workspace.read(find_target, plan_id, "action", "j9 scheme") == j9.id
    assert workspace.read(find_target, plan_id, "action", str(j9.id)) == j9.id
    with pytest.raises(CspdeskError, match="'e' matches 2 priorities: Safeguarding"):
        workspace.read(find_target, plan_id, "priority", "e")
    with pytest.raises(CspdeskError, match="there is no priority 3"):
        workspace.read(find_target, plan_id, "priority", "3")

    robbery = workspace.write(figures.add_indicator, "Robbery", priority_id=asb.id)
    workspace.write(figures.add_indicator, "Robbery of business property", priority_id=asb.id)
    assert workspace.read(find_indicator, plan_id, "robbery") == robbery.id  # exact name wins
    with pytest.raises(CspdeskError, match="'rob' matches 2 indicators"):
        workspace.read(find_indicator, plan_id, "rob")


def test_funding_entries_nest_and_flag_over_allocation(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    targets = workspace.read(plan_targets, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    one = workspace.write(funding.add_allocation, grant.id, "£10K", action_id=targets[1].id)
    workspace.write(funding.add_allocation, grant.id, "£4K", priority_id=targets[3].id)
    workspace.write(funding.add_spend, one.id, "£250", description="Leaflets")
    (entry,) = workspace.read(funding_entries, plan_id)
    assert (entry.allocated_pence, entry.over_allocated) == (1_400_000, True)
    assert [a.target for a in entry.allocations] == [targets[1].label, targets[3].label]
    assert entry.allocations[0].spent_pence == 25_000
    assert entry.allocations[0].label("PCC grant") == (
        "PCC grant → 1.1.1 Actively promote Essex wide campaigns: £10,000"
    )
