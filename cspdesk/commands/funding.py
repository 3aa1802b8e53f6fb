"""Sub-commands for a plan's funding: funding show / add-grant / allocate / spend.

Bad input is refused in one line naming the option and its value, before anything is written;
each command is one transaction and prints what it added, with its id.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from cspdesk.commands.common import add_db_argument, add_year_argument, open_workspace
from cspdesk.commands.common import resolve_plan_id as _resolve_plan_id
from cspdesk.commands.tables import table as _table
from cspdesk.commands.targets import parse_id, refuse, target_label, target_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


def register(subparsers: Subparsers) -> None:
    funding = subparsers.add_parser("funding", help="grants, allocations and spend")
    funding_actions = funding.add_subparsers(
        dest="funding_command", metavar="ACTION", required=True
    )
    fshow = funding_actions.add_parser("show", help="allocated, spent and remaining by priority")
    add_db_argument(fshow)
    add_year_argument(fshow)
    fshow.set_defaults(handler=run_funding_show)
    _register_entry(funding_actions)


def _register_entry(actions: Subparsers) -> None:
    grant = actions.add_parser("add-grant", help="add a grant to the plan")
    add_db_argument(grant)
    add_year_argument(grant)
    grant.add_argument("--source", required=True, help="e.g. 'PCC grant'")
    grant.add_argument("--amount", required=True, help="e.g. '£14,019' or '£4K'")
    grant.add_argument("--conditions", default="")
    grant.set_defaults(handler=run_add_grant)

    allocate = actions.add_parser("allocate", help="allocate part of a grant")
    add_db_argument(allocate)
    allocate.add_argument("--grant", required=True, metavar="ID")
    where = allocate.add_mutually_exclusive_group(required=True)
    where.add_argument("--priority", metavar="N|TEXT")
    where.add_argument("--action", metavar="ID|TEXT")
    allocate.add_argument("--amount", required=True)
    allocate.add_argument("--note", default="")
    allocate.set_defaults(handler=run_allocate)

    spend = actions.add_parser("spend", help="record spending from an allocation")
    add_db_argument(spend)
    spend.add_argument("--allocation", required=True, metavar="ID")
    spend.add_argument("--amount", required=True)
    spend.add_argument("--date", metavar="YYYY-MM-DD", help="or DD/MM/YYYY")
    spend.add_argument("--description", default="")
    spend.set_defaults(handler=run_spend)


def _pence(option: str, text: str) -> int:
    from cspdesk.core.funding.money import MoneyError, parse_money

    try:
        pence = parse_money(text)
    except MoneyError:
        raise refuse(option, text, "not an amount of money (for example £4,000 or £4K)") from None
    if pence < 0:
        raise refuse(option, text, "an amount cannot be negative")
    return pence


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise refuse("--date", text, "not a date (for example 2016-09-30 or 30/09/2016)")


def run_funding_show(args: argparse.Namespace) -> int:
    from cspdesk.core.funding.money import format_money
    from cspdesk.core.funding.summary import funding_summary

    with open_workspace(args, read_only=True) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)
        summary = workspace.read(funding_summary, plan_id)
    for grant in summary.grants:
        print(
            f"{grant.source}: {format_money(grant.amount_pence)}"
            f" ({format_money(grant.allocated_pence)} allocated)"
        )
        if grant.conditions:
            print(f"  Conditions: {grant.conditions}")
    lines = [
        (line.title, line.allocated, line.spent, line.remaining)
        for line in (*summary.lines, summary.total)
    ]
    print(_table(("Priority", "Allocated", "Spent", "Remaining"), lines))
    for warning in summary.warnings:
        print(f"WARNING: {warning}")
    return 0


# ---- funding -------------------------------------------------------------------------------


def _warnings(session: Session, plan_id: int) -> tuple[str, ...]:
    from cspdesk.core.funding.summary import funding_summary

    return funding_summary(session, plan_id).warnings


def run_add_grant(args: argparse.Namespace) -> int:
    from cspdesk.core.funding.money import format_money, pounds
    from cspdesk.core.funding.summary import add_grant
    from cspdesk.core.plan.model import Plan

    if not args.source.strip():
        raise refuse("--source", args.source, "a grant needs a source (e.g. 'PCC grant')")
    pence = _pence("--amount", args.amount)
    with open_workspace(args) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)
        added = workspace.write(add_grant, plan_id, args.source, pounds(pence), args.conditions)
        year = workspace.read(lambda s: s.get(Plan, plan_id).year)
    print(f"Added grant {added.id}: {args.source.strip()} {format_money(pence)} for {year}")
    return 0


def run_allocate(args: argparse.Namespace) -> int:
    from cspdesk.core.funding.money import format_money, pounds
    from cspdesk.core.funding.summary import add_allocation
    from cspdesk.core.plan.model import Grant

    grant_id = parse_id("--grant", args.grant)
    pence = _pence("--amount", args.amount)
    with open_workspace(args) as workspace:

        def allocate(session: Session) -> tuple[int, str, str, tuple[str, ...]]:
            grant = session.get(Grant, grant_id)
            if grant is None:
                raise refuse("--grant", args.grant, "there is no grant with this id")
            where = target_of(session, grant.plan_id, args)
            added = add_allocation(session, grant_id, pounds(pence), note=args.note, **where)
            label = target_label(session, grant.plan_id, where)
            return added.id, grant.source, label, _warnings(session, grant.plan_id)

        new_id, source, label, warnings = workspace.write(allocate)
    print(
        f"Added allocation {new_id}: {format_money(pence)} of {source} (grant {grant_id})"
        f" to {label}"
    )
    for warning in warnings:
        print(f"WARNING: {warning}")
    return 0


def run_spend(args: argparse.Namespace) -> int:
    from cspdesk.core.funding.money import format_money, pounds
    from cspdesk.core.funding.spend_dates import spend_date_problem
    from cspdesk.core.funding.summary import add_spend
    from cspdesk.core.plan.model import Allocation, Grant, Plan

    allocation_id = parse_id("--allocation", args.allocation)
    pence = _pence("--amount", args.amount)
    day = _date(args.date)
    with open_workspace(args) as workspace:

        def spend(session: Session) -> tuple[int, tuple[str, ...]]:
            allocation = session.get(Allocation, allocation_id)
            if allocation is None:
                raise refuse("--allocation", args.allocation, "there is no allocation with this id")
            grant = session.get(Grant, allocation.grant_id)
            plan = session.get(Plan, grant.plan_id) if grant is not None else None
            assert plan is not None  # an allocation's grant and plan are kept by foreign keys
            problem = spend_date_problem(plan.year, day)
            if problem is not None:
                raise refuse("--date", args.date, problem)
            added = add_spend(
                session, allocation_id, pounds(pence), spent_on=day, description=args.description
            )
            return added.id, _warnings(session, plan.id)

        new_id, warnings = workspace.write(spend)
    when = f" on {day.day} {day:%b %Y}" if day else ""
    what = f": {args.description}" if args.description else ""
    print(
        f"Added spend {new_id}: {format_money(pence)}{when} from allocation {allocation_id}{what}"
    )
    for warning in warnings:
        print(f"WARNING: {warning}")
    return 0
