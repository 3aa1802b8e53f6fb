"""Grants, allocations and spend: the totals per priority, warnings, undo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cspdesk.core.funding import summary as funding
from cspdesk.core.plan import ops
from cspdesk.core.plan.model import Grant, Priority
from cspdesk.core.workspace.serialize import export_workspace
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace
from tests.seed_figures import enter_seed_004, first_plan_id, make_plan_2013, priority_ids

pytestmark = pytest.mark.both_engines


def test_seed_004_funding(workspace: Workspace) -> None:
    plan_id = workspace.write(make_plan_2013)
    workspace.write(enter_seed_004, plan_id)
    summary = workspace.read(funding.funding_summary, plan_id)
    assert [g.amount_pence for g in summary.grants] == [1_300_000, 1_300_000]
    assert "50% on submission" not in summary.grants[0].conditions  # typed as the seed words it
    assert "(50%) on submission of action plans" in summary.grants[0].conditions
    lines = {line.title.split(" ")[1]: line for line in summary.lines}
    assert [line.allocated for line in summary.lines] == [
        "£4,000",
        "£7,000",
        "£7,000",
        "£1,000",
        "£4,000",
    ]
    assert (lines["repeat"].spent, lines["repeat"].remaining) == ("£5,700", "£1,300")
    assert (summary.total.allocated, summary.total.spent, summary.total.remaining) == (
        "£23,000",
        "£5,700",
        "£17,300",
    )
    assert summary.unallocated_pence == 300_000
    assert summary.warnings == () and not summary.over_allocated


def test_over_allocation_and_overspend_warn(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    first, second = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    a = workspace.write(funding.add_allocation, grant.id, "£10,000", priority_id=first)
    workspace.write(funding.add_allocation, grant.id, "£4K", priority_id=second)
    workspace.write(funding.add_spend, a.id, "£10,500.50", description="Outreach")
    summary = workspace.read(funding.funding_summary, plan_id)
    assert summary.over_allocated
    assert summary.warnings == (
        "Over-allocated: PCC grant is £12,527 but £14,000 is allocated (£1,473 too much)",
        "Overspent: Safeguarding Vulnerable People has spent £10,500.50 of £10,000 allocated "
        "(£500.50 over)",
    )
    assert summary.lines[0].remaining == "-£500.50"


def test_action_allocations_roll_up_and_deleted_priority_is_unassigned(
    workspace: Workspace,
) -> None:
    from cspdesk.core.plan.model import Action

    plan_id = workspace.read(first_plan_id)
    first, second = workspace.read(priority_ids, plan_id)
    action_id = workspace.read(lambda s: s.execute(select(Action.id).order_by(Action.id)).scalar())
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£15,000")
    workspace.write(funding.add_allocation, grant.id, "£2,000", action_id=action_id)
    # (ops.dump_row skips a nulled row whose id equals the deleted row's id, in any table, so
    # this test keeps the allocation's id apart from the priority's; reported to the lead.)
    workspace.write(funding.add_allocation, grant.id, "£0", action_id=action_id)
    workspace.write(funding.add_allocation, grant.id, "£3,000", priority_id=second)
    summary = workspace.read(funding.funding_summary, plan_id)
    assert [(line.priority_id, line.allocated) for line in summary.lines] == [
        (first, "£2,000"),
        (second, "£3,000"),
    ]
    deleted = workspace.write(ops.delete_item, "priority", second)
    summary = workspace.read(funding.funding_summary, plan_id)
    assert summary.lines[-1].title == funding.UNASSIGNED
    assert summary.lines[-1].allocated == "£3,000"
    workspace.write(deleted.revert)  # the allocation points at the priority again
    titles = workspace.read(
        lambda s: [line.title for line in funding.funding_summary(s, plan_id).lines]
    )
    assert titles == workspace.read(
        lambda s: list(s.execute(select(Priority.title).order_by(Priority.position)).scalars())
    )


def test_undo_restores_everything(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    before = workspace.read(export_workspace)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£13,000", "50% up front")
    allocation = workspace.write(funding.add_allocation, grant.id, "4K", note="4K CSP allocation")
    workspace.write(funding.add_spend, allocation.id, "£250")
    with_funding = workspace.read(export_workspace)
    deleted = workspace.write(ops.delete_item, "grant", grant.id)
    assert workspace.read(lambda s: s.execute(select(Grant)).all()) == []
    workspace.write(deleted.revert)
    assert workspace.read(export_workspace) == with_funding
    workspace.write(grant.revert)
    assert workspace.read(export_workspace) == before


def test_refusals(workspace: Workspace) -> None:
    plan_id = workspace.read(first_plan_id)
    with pytest.raises(CspdeskError, match="not an amount"):
        workspace.write(funding.add_grant, plan_id, "PCC", "thirteen grand")
    with pytest.raises(CspdeskError, match="negative"):
        workspace.write(funding.add_grant, plan_id, "PCC", "-£5")
    with pytest.raises(CspdeskError, match="source"):
        workspace.write(funding.add_grant, plan_id, " ", "£5")
    with pytest.raises(CspdeskError, match="no grant"):
        workspace.write(funding.add_allocation, 999, "£5")


def test_a_quarter_counts_only_spending_dated_by_its_end(workspace: Workspace) -> None:
    """Issue 25: £1,000 spent in May and £1,250.50 in November; Q1 printed £2,250.50."""
    import datetime as dt

    plan_id = workspace.read(first_plan_id)
    first, _second = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    a = workspace.write(funding.add_allocation, grant.id, "£4,000", priority_id=first)
    workspace.write(funding.add_spend, a.id, "£1,000", spent_on=dt.date(2016, 5, 12))
    workspace.write(funding.add_spend, a.id, "£1,250.50", spent_on=dt.date(2016, 11, 1))
    by_q1 = workspace.read(funding.funding_summary, plan_id, spent_by=dt.date(2016, 6, 30))
    assert (by_q1.total.spent, by_q1.total.remaining) == ("£1,000", "£3,000")
    by_q3 = workspace.read(funding.funding_summary, plan_id, spent_by=dt.date(2016, 12, 31))
    assert by_q3.total.spent == "£2,250.50"
    assert workspace.read(funding.funding_summary, plan_id).total.spent == "£2,250.50"


def spend_in_may_and_undated(workspace: Workspace) -> int:
    """£1,000 spent on 12 May 2016 and £500 with no date, from a £4,000 allocation."""
    import datetime as dt

    plan_id = workspace.read(first_plan_id)
    first, _second = workspace.read(priority_ids, plan_id)
    grant = workspace.write(funding.add_grant, plan_id, "PCC grant", "£12,527")
    a = workspace.write(funding.add_allocation, grant.id, "£4,000", priority_id=first)
    workspace.write(funding.add_spend, a.id, "£1,000", spent_on=dt.date(2016, 5, 12))
    workspace.write(funding.add_spend, a.id, "£500")
    return plan_id


def test_undated_spending_is_in_no_quarter_and_said_so(workspace: Workspace) -> None:
    """Issue 25: spending with no date was counted in every quarter's total. Nothing records
    when it was spent or entered, so a quarter leaves it out and names it in a warning."""
    import datetime as dt

    plan_id = spend_in_may_and_undated(workspace)
    by_q1 = workspace.read(funding.funding_summary, plan_id, spent_by=dt.date(2016, 6, 30))
    assert (by_q1.total.spent, by_q1.total.remaining) == ("£1,000", "£3,000")
    assert by_q1.undated_spent_pence == 50000
    assert any(w.startswith("Undated spending: £500 has no date") for w in by_q1.warnings)
    whole = workspace.read(funding.funding_summary, plan_id)  # no quarter: everything
    assert whole.total.spent == "£1,500" and whole.undated_spent_pence == 0
    assert not any("Undated" in w for w in whole.warnings)


def test_a_frozen_quarter_keeps_its_undated_spending(workspace: Workspace) -> None:
    """The quarter view (what closing freezes) carries the undated amount through and back."""

    from cspdesk.core.quarter.view import quarter_view, view_funding

    plan_id = spend_in_may_and_undated(workspace)
    view, _frozen = workspace.read(quarter_view, plan_id, 1)
    summary = view_funding(view)
    assert summary is not None
    assert summary.undated_spent_pence == 50000
    assert summary.total.spent == "£1,000"
