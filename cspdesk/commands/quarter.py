"""Sub-commands of the quarterly cycle: close-quarter, reopen-quarter, changes, check,
roll-forward."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from cspdesk.commands.common import (
    _year,
    add_db_argument,
    add_quarter_argument,
    add_year_argument,
    open_workspace,
    resolve_plan_id,
)


def _who(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--who",
        default="",
        help="who is doing this, for the history (default: you: CSPDESK_USER, else the name "
        "given in the window's Settings > You, else your account's name)",
    )


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2016-09-30") from error


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    close = subparsers.add_parser(
        "close-quarter", help="freeze what was reported for a quarter (its snapshot)"
    )
    add_db_argument(close)
    add_quarter_argument(close)
    add_year_argument(close)
    _who(close)
    close.set_defaults(handler=run_close)

    reopen = subparsers.add_parser(
        "reopen-quarter", help="reopen a closed quarter (the reason is recorded)"
    )
    add_db_argument(reopen)
    add_quarter_argument(reopen)
    add_year_argument(reopen)
    reopen.add_argument("--reason", required=True, help="why it is reopened (kept in the history)")
    _who(reopen)
    reopen.set_defaults(handler=run_reopen)

    changes = subparsers.add_parser("changes", help="what changed since the last closed quarter")
    add_db_argument(changes)
    add_quarter_argument(changes)
    add_year_argument(changes)
    changes.set_defaults(handler=run_changes)

    check = subparsers.add_parser(
        "check", help="find problems before publishing (exit code 1 when there are any)"
    )
    add_db_argument(check)
    add_quarter_argument(check, required=False)
    add_year_argument(check)
    check.add_argument("--today", type=_day, help="check overdue milestones as of this date")
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=run_check)

    roll = subparsers.add_parser(
        "roll-forward", help="start next year's plan with this year's unfinished actions"
    )
    add_db_argument(roll)
    roll.add_argument("--from", dest="from_year", type=_year, required=True, metavar="YYYY/YY")
    roll.add_argument(
        "--to", dest="to_year", type=_year, metavar="YYYY/YY", help="default: the next year"
    )
    _who(roll)
    roll.set_defaults(handler=run_roll_forward)


def run_close(args: argparse.Namespace) -> int:
    from cspdesk.core.plan.model import Plan
    from cspdesk.core.quarter.closing import close_quarter

    with open_workspace(args) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        workspace.write(close_quarter, plan_id, args.quarter, args.who)
        year, current = workspace.read(
            lambda s: (s.get(Plan, plan_id).year, s.get(Plan, plan_id).current_quarter)
        )
    print(f"Q{args.quarter} {year} closed: what was reported is frozen (now at Q{current})")
    return 0


def run_reopen(args: argparse.Namespace) -> int:
    from cspdesk.core.quarter.closing import reopen_quarter

    with open_workspace(args) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        change = workspace.write(reopen_quarter, plan_id, args.quarter, args.reason, args.who)
    print(f"{change.describe()}: done (recorded: {' '.join(args.reason.split())})")
    return 0


def run_changes(args: argparse.Namespace) -> int:
    from cspdesk.core.quarter.changes import changes_since_last_quarter

    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        report = workspace.read(changes_since_last_quarter, plan_id, args.quarter)
    since = (
        "nothing closed before it: every action is new"
        if report.previous is None
        else f"since Q{report.previous[1]} {report.previous[0]}"
    )
    print(f"What changed in Q{report.quarter} {report.year} ({since})")
    for title, items in report.sections():
        print(f"\n{title} ({len(items)})")
        for item in items:
            arrow = f"{item.direction.arrow} " if item.direction and item.entity == "action" else ""
            print(f"  {arrow}{item.path} — {item.detail}  [{item.entity} {item.id}]")
        if not items:
            print("  none")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from cspdesk.core.plan.words import count
    from cspdesk.core.quarter.checks import run_checks
    from cspdesk.core.quarter.overdue import as_at_text, plan_as_at

    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        day = args.today or workspace.read(plan_as_at, plan_id, args.quarter)
        findings = workspace.read(run_checks, plan_id, args.quarter, day)
    if args.json:
        rows = [
            {"kind": f.kind, "entity": f.entity, "id": f.id, "path": f.path, "message": f.message}
            for f in findings
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    elif findings:
        for finding in findings:
            print(f"{finding.path}: {finding.message}  [{finding.entity} {finding.id}]")
        print(f"{count(len(findings), 'finding')} ({as_at_text(day)})")
    else:
        print(f"no problems found ({as_at_text(day)})")
    return 1 if findings else 0


def run_roll_forward(args: argparse.Namespace) -> int:
    from cspdesk.core.quarter.rollforward import preview_roll_forward, roll_forward

    with open_workspace(args) as workspace:
        plan_id = resolve_plan_id(workspace, args.from_year)
        preview = workspace.read(preview_roll_forward, plan_id, args.to_year)
        workspace.write(roll_forward, plan_id, args.to_year, args.who)
    print(
        f"{preview.to_year} plan made from {preview.from_year}: {preview.priorities} priorities, "
        f"{preview.objectives} objectives, {preview.carried} unfinished action(s) carried over; "
        f"{preview.completed} completed action(s) stay in {preview.from_year}, "
        "which is now read-only"
    )
    return 0
