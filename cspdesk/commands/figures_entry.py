"""Entering figures from the command line: figures add-indicator / set. Registered by
commands.figures; grants, allocations and spend are entered through commands.funding.

Bad input is refused in one line naming the option and its value, before anything is written;
each command is one transaction and prints what it added, with its id.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from cspdesk.commands.common import add_db_argument, add_year_argument, open_workspace
from cspdesk.commands.common import resolve_plan_id as _resolve_plan_id
from cspdesk.commands.targets import in_plan, refuse, target_label, target_of

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


# ---- checking options before anything is opened --------------------------------------------


def _figure(option: str, text: str | None) -> str | None:
    from cspdesk.core.figures.comparison import parse_figure

    try:
        parse_figure(text)
    except ValueError:
        raise refuse(option, text, "not a figure (for example 727, 1,833 or 26.1%)") from None
    return text


# ---- figures -------------------------------------------------------------------------------


def run_add_indicator(args: argparse.Namespace) -> int:
    from cspdesk.core.figures.performance import add_indicator

    if args.better not in ("up", "down"):
        raise refuse("--better", args.better, "choose up or down")
    decimals = None
    if args.decimals is not None:
        if args.decimals.strip() not in ("0", "1", "2", "3"):
            raise refuse("--decimals", args.decimals, "choose 0, 1, 2 or 3")
        decimals = int(args.decimals)
    if not args.name.strip():
        raise refuse("--name", args.name, "an indicator needs a name")
    with open_workspace(args) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)

        def add(session: Session) -> tuple[int, str]:
            where = target_of(session, plan_id, args)
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
            return added.id, target_label(session, plan_id, where)

        new_id, label = workspace.write(add)
    places = "report default" if decimals is None else f"{decimals} dp"
    print(
        f"Added indicator {new_id}: {args.name.strip()} under {label} "
        f"({args.unit or 'no unit'}, better {args.better}, {places})"
    )
    return 0


def run_set(args: argparse.Namespace) -> int:
    from cspdesk.core.figures.performance import set_value
    from cspdesk.core.plan import periods
    from cspdesk.core.plan.model import Indicator

    try:
        quarter = periods.parse_quarter(args.quarter)
    except ValueError as error:
        raise refuse("--quarter", args.quarter, str(error)) from None
    value, previous = _figure("--value", args.value), _figure("--previous", args.previous)
    with open_workspace(args) as workspace:
        plan_id = _resolve_plan_id(workspace, args.year)

        def put(session: Session) -> tuple[int, str, dict[str, Any] | None]:
            indicator_id = in_plan(session, plan_id, "--indicator", "indicator", args.indicator)
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
