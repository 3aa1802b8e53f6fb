"""Entering figures and funding from the command line: figures add-indicator / set, funding
add-grant / allocate / spend. Registered by commands.figures under its two commands.

Bad input is refused in one line naming the option and its value, before anything is written;
each command is one transaction and prints what it added, with its id.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING, Any

from cspdesk.commands.common import add_db_argument, add_year_argument, open_workspace
from cspdesk.commands.common import resolve_plan_id as _resolve_plan_id
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Subparsers = argparse._SubParsersAction  # type: ignore[type-arg]


def register_figures(actions: Subparsers) -> None:
    add = actions.add_parser("add-indicator", help="add a performance indicator")
    add_db_argument(add)
    add_year_argument(add)
    where = add.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--priority", metavar="N|TEXT", help="the priority's number (1 = first) or title part"
    )
    where.add_argument("--action", metavar="ID|TEXT", help="the action's id or title part")
    add.add_argument("--name", required=True, help="e.g. 'Burglary in dwelling'")
    add.add_argument("--unit", default="", help="e.g. crimes, incidents, %%")
    add.add_argument("--source", default="", help="e.g. 'Essex Police'")
    add.add_argument("--better", default="down", metavar="up|down", help="default: down")
    add.add_argument("--baseline", default="")
    add.add_argument("--baseline-period", default="", metavar="TEXT")
    add.add_argument("--target", default="")
    add.add_argument("--decimals", metavar="0..3", help="places of %% change (default: report's)")
    add.set_defaults(handler=run_add_indicator)

    put = actions.add_parser("set", help="set an indicator's figure for a quarter")
    add_db_argument(put)
    add_year_argument(put)
    put.add_argument("--indicator", required=True, metavar="ID|NAME")
    put.add_argument("--quarter", required=True, metavar="Q1..Q4")
    put.add_argument("--value", required=True, help="the figure ('727', '26.1%%', blank: n/a)")
    put.add_argument("--previous", help="the same period last year")
    put.add_argument(
        "--period", default="", help="e.g. '1 Apr – 31 Dec 2013' (default: year to date)"
    )
    put.set_defaults(handler=run_set)


def register_funding(actions: Subparsers) -> None:
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


# ---- checking options before anything is opened --------------------------------------------


def _refuse(option: str, value: object, reason: str) -> CspdeskError:
    return CspdeskError(f"{option} {value!r}: {reason}")


def _pence(option: str, text: str) -> int:
    from cspdesk.core.money import MoneyError, parse_money

    try:
        pence = parse_money(text)
    except MoneyError:
        raise _refuse(option, text, "not an amount of money (for example £4,000 or £4K)") from None
    if pence < 0:
        raise _refuse(option, text, "an amount cannot be negative")
    return pence


def _id(option: str, text: str) -> int:
    if not text.strip().isdigit():
        raise _refuse(option, text, "not an id (a whole number)")
    return int(text)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise _refuse("--date", text, "not a date (for example 2016-09-30 or 30/09/2016)")


def _figure(option: str, text: str | None) -> str | None:
    from cspdesk.core.comparison import parse_figure

    try:
        parse_figure(text)
    except ValueError:
        raise _refuse(option, text, "not a figure (for example 727, 1,833 or 26.1%)") from None
    return text


def _in_plan(session: Session, plan_id: int, option: str, kind: str, wanted: str) -> int:
    from cspdesk.core.funding_lists import find_indicator, find_target

    try:
        if kind == "indicator":
            return find_indicator(session, plan_id, wanted)
        return find_target(session, plan_id, kind, wanted)
    except CspdeskError as error:
        raise CspdeskError(f"{option} {wanted!r}: {error}") from None


def _where(session: Session, plan_id: int, args: argparse.Namespace) -> dict[str, int | None]:
    if args.priority is not None:
        return {
            "priority_id": _in_plan(session, plan_id, "--priority", "priority", args.priority),
            "action_id": None,
        }
    return {
        "priority_id": None,
        "action_id": _in_plan(session, plan_id, "--action", "action", args.action),
    }


def _target_label(session: Session, plan_id: int, where: dict[str, int | None]) -> str:
    from cspdesk.core.funding_lists import plan_targets

    kind = "priority" if where["priority_id"] is not None else "action"
    wanted = where[f"{kind}_id"]
    return next(t.label for t in plan_targets(session, plan_id) if (t.kind, t.id) == (kind, wanted))


# ---- figures -------------------------------------------------------------------------------


def run_add_indicator(args: argparse.Namespace) -> int:
    from cspdesk.core.figures import add_indicator

    if args.better not in ("up", "down"):
        raise _refuse("--better", args.better, "choose up or down")
    decimals = None
    if args.decimals is not None:
        if args.decimals.strip() not in ("0", "1", "2", "3"):
            raise _refuse("--decimals", args.decimals, "choose 0, 1, 2 or 3")
        decimals = int(args.decimals)
    if not args.name.strip():
        raise _refuse("--name", args.name, "an indicator needs a name")
    with open_workspace(args) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)

        def add(session: Session) -> tuple[int, str]:
            where = _where(session, plan_id, args)
            added = add_indicator(
                session,
                args.name,
                **where,
                unit=args.unit,
                decimals=decimals,
                source=args.source,
                better=args.better,
                baseline=args.baseline,
                baseline_period=args.baseline_period,
                target=args.target,
            )
            return added.id, _target_label(session, plan_id, where)

        new_id, label = workspace.write(add)
    places = "report default" if decimals is None else f"{decimals} dp"
    print(
        f"Added indicator {new_id}: {args.name.strip()} under {label} "
        f"({args.unit or 'no unit'}, better {args.better}, {places})"
    )
    return 0


def run_set(args: argparse.Namespace) -> int:
    from cspdesk.core import periods
    from cspdesk.core.figures import set_value
    from cspdesk.core.model import Indicator

    try:
        quarter = periods.parse_quarter(args.quarter)
    except ValueError as error:
        raise _refuse("--quarter", args.quarter, str(error)) from None
    value, previous = _figure("--value", args.value), _figure("--previous", args.previous)
    with open_workspace(args) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)

        def put(session: Session) -> tuple[int, str, dict[str, Any] | None]:
            indicator_id = _in_plan(session, plan_id, "--indicator", "indicator", args.indicator)
            change = set_value(
                session, indicator_id, value, previous, quarter=quarter, period_label=args.period
            )
            return indicator_id, session.get(Indicator, indicator_id).name, change.after

        indicator_id, name, row = workspace.write(put)
    assert row is not None
    last_year = row["previous_value"] or "n/a"
    print(
        f"Set {name} (indicator {indicator_id}) Q{quarter}, {row['period_label']}: "
        f"{row['value'] or 'n/a'} (last year {last_year})"
    )
    return 0


# ---- funding -------------------------------------------------------------------------------


def _warnings(session: Session, plan_id: int) -> tuple[str, ...]:
    from cspdesk.core.funding import funding_summary

    return funding_summary(session, plan_id).warnings


def run_add_grant(args: argparse.Namespace) -> int:
    from cspdesk.core.funding import add_grant
    from cspdesk.core.model import Plan
    from cspdesk.core.money import format_money, pounds

    if not args.source.strip():
        raise _refuse("--source", args.source, "a grant needs a source (e.g. 'PCC grant')")
    pence = _pence("--amount", args.amount)
    with open_workspace(args) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)
        added = workspace.write(add_grant, plan_id, args.source, pounds(pence), args.conditions)
        year = workspace.read(lambda s: s.get(Plan, plan_id).year)
    print(f"Added grant {added.id}: {args.source.strip()} {format_money(pence)} for {year}")
    return 0


def run_allocate(args: argparse.Namespace) -> int:
    from cspdesk.core.funding import add_allocation
    from cspdesk.core.model import Grant
    from cspdesk.core.money import format_money, pounds

    grant_id = _id("--grant", args.grant)
    pence = _pence("--amount", args.amount)
    with open_workspace(args) as workspace:

        def allocate(session: Session) -> tuple[int, str, str, tuple[str, ...]]:
            grant = session.get(Grant, grant_id)
            if grant is None:
                raise _refuse("--grant", args.grant, "there is no grant with this id")
            where = _where(session, grant.plan_id, args)
            added = add_allocation(session, grant_id, pounds(pence), note=args.note, **where)
            label = _target_label(session, grant.plan_id, where)
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
    from cspdesk.core.funding import add_spend
    from cspdesk.core.model import Allocation, Grant
    from cspdesk.core.money import format_money, pounds

    allocation_id = _id("--allocation", args.allocation)
    pence = _pence("--amount", args.amount)
    day = _date(args.date)
    with open_workspace(args) as workspace:

        def spend(session: Session) -> tuple[int, tuple[str, ...]]:
            allocation = session.get(Allocation, allocation_id)
            if allocation is None:
                raise _refuse(
                    "--allocation", args.allocation, "there is no allocation with this id"
                )
            added = add_spend(
                session, allocation_id, pounds(pence), spent_on=day, description=args.description
            )
            plan_id = session.get(Grant, allocation.grant_id).plan_id
            return added.id, _warnings(session, plan_id)

        new_id, warnings = workspace.write(spend)
    when = f" on {day.day} {day:%b %Y}" if day else ""
    what = f": {args.description}" if args.description else ""
    print(
        f"Added spend {new_id}: {format_money(pence)}{when} from allocation {allocation_id}{what}"
    )
    for warning in warnings:
        print(f"WARNING: {warning}")
    return 0
