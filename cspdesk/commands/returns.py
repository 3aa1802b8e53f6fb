"""`cspdesk returns make|apply|status`: the quarter's partner returns without the window."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.commands.common import (
    add_db_argument,
    add_quarter_argument,
    add_year_argument,
    open_workspace,
    resolve_plan_id,
)
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from cspdesk.core.returns_diff import ReturnDiff


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    returns = subparsers.add_parser("returns", help="partner returns: make, merge, chase")
    actions = returns.add_subparsers(dest="returns_command", metavar="make|apply|status")
    actions.required = True

    make = actions.add_parser("make", help="one return workbook per lead agency")
    add_db_argument(make)
    add_quarter_argument(make)
    add_year_argument(make)
    make.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    make.add_argument(
        "--due",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date returns are due (default: two weeks after the quarter)",
    )
    make.add_argument(
        "--emails",
        action="store_true",
        help="also write a draft email (.eml) per lead that has an email address",
    )
    make.set_defaults(handler=run_make)

    apply = actions.add_parser("apply", help="merge filled-in returns into the plan")
    add_db_argument(apply)
    apply.add_argument("files", nargs="+", type=Path, metavar="FILE")
    apply.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    apply.add_argument(
        "--accept-conflicts",
        action="store_true",
        help="also take the partner's value where the plan changed since",
    )
    add_year_argument(apply)
    add_quarter_argument(apply, required=False)
    apply.set_defaults(handler=run_apply)

    status = actions.add_parser("status", help="the chase list: who has returned, who is late")
    add_db_argument(status)
    add_year_argument(status)
    add_quarter_argument(status, required=False)
    status.set_defaults(handler=run_status)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2016-07-14") from error


def run_make(args: argparse.Namespace) -> int:
    from cspdesk.io.returns_make import make_returns

    args.output.mkdir(parents=True, exist_ok=True)
    with open_workspace(args) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        made = make_returns(
            workspace, plan_id, args.quarter, args.output, due=args.due, emails=args.emails
        )
    for item in made:
        extra = f" + {item.email_path.name}" if item.email_path else ""
        print(f"{item.path.name}: {item.actions} actions, {item.milestones} milestones{extra}")
    print(f"{len(made)} returns written to {args.output}")
    return 0


def _show(value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    text = str(value).replace("\n", " ⏎ ")
    return text if len(text) <= 70 else text[:67] + "..."


def describe_diff(diff: ReturnDiff) -> list[str]:
    lines = [
        f"{diff.file_name}: {diff.lead_name}, Q{diff.quarter} {diff.plan_year} "
        f"(made {diff.made_at:%d/%m/%Y})"
    ]
    if diff.merged_at is not None:
        lines.append(f"  already merged on {diff.merged_at:%d/%m/%Y %H:%M} from {diff.merged_file}")
    for c in diff.changes:
        mark = "CONFLICT " if c.conflict else ""
        lines.append(
            f"  {mark}{c.kind} {c.item_id} {c.label} (row {c.row}): "
            f"{_show(c.old)} -> {_show(c.new)}" + (f"  [{c.note}]" if c.note else "")
        )
    for row in diff.added:
        lines.append(f"  added row {row.row} (place it by hand): {_show(row.describe())}")
    for row in diff.deleted:
        lines.append(
            f"  row deleted by the partner, no change: {row.kind} {row.item_id} {_show(row.title)}"
        )
    for problem in diff.problems:
        lines.append(f"  note: {problem.describe()}")
    if not diff.changes:
        lines.append("  no changes")
    return lines


def run_apply(args: argparse.Namespace) -> int:
    from cspdesk.core.returns_apply import apply_return
    from cspdesk.io.gate import ImportRefused
    from cspdesk.io.returns_read import read_return

    failed = 0
    with open_workspace(args, read_only=args.dry_run) as workspace:
        plan_id = resolve_plan_id(workspace, args.year) if args.year else None
        seen: set[str] = set()
        for path in args.files:

            def merge(session, path=path):  # type: ignore[no-untyped-def]
                diff = read_return(session, path, plan_id=plan_id, quarter=args.quarter)
                if diff.token in seen:
                    raise ImportRefused(path, "the same return was given twice")
                if args.accept_conflicts:
                    for change in diff.changes:
                        change.accepted = True
                if not args.dry_run:
                    apply_return(session, diff)
                return diff

            try:
                diff = (workspace.read if args.dry_run else workspace.write)(merge)
            except CspdeskError as error:
                print(f"refused: {error}; nothing was merged from it")
                failed += 1
                continue
            seen.add(diff.token)
            print("\n".join(describe_diff(diff)))
            if not args.dry_run:
                taken = len(diff.accepted())
                left = len(diff.changes) - taken
                print(
                    f"  merged {taken} changes"
                    + (
                        f"; {left} conflicts left for you to decide (--accept-conflicts)"
                        if left
                        else ""
                    )
                )
    if args.dry_run:
        print("dry run: nothing was written")
    return 1 if failed else 0


def run_status(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from cspdesk.core.chase import chase_list
    from cspdesk.core.model import Plan

    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)

        def load(session):  # type: ignore[no-untyped-def]
            plan = session.execute(select(Plan).where(Plan.id == plan_id)).scalar_one()
            quarter = args.quarter or plan.current_quarter
            return plan.year, quarter, chase_list(session, plan_id, quarter)

        year, quarter, rows = workspace.read(load)
    print(f"Partner returns, Q{quarter} {year}")
    for row in rows:
        made = f"made {row.made_at:%d/%m/%Y}" if row.made_at else "not made"
        due = f", due {row.due_date:%d/%m/%Y}" if row.due_date else ""
        merged = f", merged {row.merged_at:%d/%m/%Y} ({row.merged_file})" if row.merged_at else ""
        print(f"{row.status.upper():9} {row.lead} ({row.actions} actions): {made}{due}{merged}")
    return 0
