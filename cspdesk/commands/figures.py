"""Sub-commands for performance figures: figures import/show.

Entering indicators and figures lives in commands.figures_entry; funding in commands.funding.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.commands import figures_entry, police
from cspdesk.commands.common import (
    add_db_argument,
    add_quarter_argument,
    add_year_argument,
    open_workspace,
    resolve_plan_id,
)
from cspdesk.commands.tables import table
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cspdesk.io.figures_import import FiguresPreview


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    figures = subparsers.add_parser("figures", help="performance figures (crime, ASB, ...)")
    actions = figures.add_subparsers(dest="figures_command", metavar="ACTION", required=True)

    imp = actions.add_parser(
        "import",
        help="import figures from a police performance workbook, or police open data "
        "(a data.police.uk download: zip, folder or street CSV files)",
    )
    imp.add_argument("file", type=Path, nargs="+", metavar="FILE.xlsx|DOWNLOAD.zip")
    imp.add_argument(
        "--district",
        action="append",
        metavar="NAME",
        help="police data: a district to count (repeat for each; default: the districts the "
        "workspace's areas name)",
    )
    add_db_argument(imp)
    add_year_argument(imp)
    imp.add_argument("--sheet", help="the sheet to read (default: the first with a table)")
    imp.add_argument(
        "--priority",
        metavar="N|TEXT",
        help="where new indicators go: the priority's number (1 = first) or part of its title",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    imp.set_defaults(handler=run_import)

    show = actions.add_parser("show", help="the performance table")
    add_db_argument(show)
    add_year_argument(show)
    add_quarter_argument(show, required=False)
    show.add_argument(
        "--decimals", type=int, choices=range(4), help="places for %% change (default 0)"
    )
    show.set_defaults(handler=run_show)
    figures_entry.register_figures(actions)


def _priority_id(session: Session, plan_id: int, wanted: str | None) -> int | None:
    from cspdesk.core.plan.plans import priority_titles

    if wanted is None:
        return None
    rows = priority_titles(session, plan_id)
    if wanted.strip().isdigit():
        number = int(wanted)
        if 1 <= number <= len(rows):
            return rows[number - 1][0]
        raise CspdeskError(f"the plan has {len(rows)} priorities; there is no priority {number}")
    found = [pid for pid, title in rows if wanted.casefold() in title.casefold()]
    if len(found) != 1:
        titles = "; ".join(title for _, title in rows)
        raise CspdeskError(f"{wanted!r} names {len(found)} priorities (choose one of: {titles})")
    return found[0]


def _print_preview(preview: FiguresPreview) -> None:
    print(f"{preview.path.name}, sheet {preview.sheet!r}: {len(preview.lines)} categories")
    if preview.to_create:
        print(f"New indicators under {preview.priority!r}:")
        for line in preview.to_create:
            print(f"  + {line.name} ({line.unit}, better {line.better})")
    if preview.to_match:
        print("Matched indicators:")
        for line in preview.to_match:
            print(f"  = {line.name}")
    for line in preview.lines:
        for value in line.values:
            replaces = "  (replaces the figure stored)" if value.replaces else ""
            quarter = f"Q{value.quarter} " if value.quarter else ""
            figure = "n/a" if value.value is None else value.value
            last_year = "n/a" if value.previous is None else value.previous
            print(
                f"  {line.name}: {quarter}{value.label}: {figure} (last year {last_year}){replaces}"
            )


def run_import(args: argparse.Namespace) -> int:
    from cspdesk.io.figures_import import apply_figures, preview_figures
    from cspdesk.io.figures_read import read_figures

    if police.is_police_input(args.file):
        return police.run_police_import(args)
    if args.district:
        raise CspdeskError("--district is for police data (a zip, folder or CSV files)")
    if len(args.file) > 1:
        raise CspdeskError("give one workbook (several files only for police data CSVs)")
    args.file = args.file[0]
    read = read_figures(args.file, sheet_name=args.sheet)
    with open_workspace(args, read_only=args.dry_run) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)

        def preview(session: Session) -> FiguresPreview:
            target = _priority_id(session, plan_id, args.priority)
            return preview_figures(session, plan_id, read, priority_id=target)

        shown = workspace.read(preview)
        _print_preview(shown)
        if not shown.ok:
            for problem in shown.problems:
                print(f"{args.file.name}, {problem.describe()}")
            raise CspdeskError(
                f"{args.file.name}: {len(shown.problems)} problem(s); nothing imported"
            )
        if args.dry_run:
            print("Dry run: nothing changed.")
            return 0
        change = workspace.write(lambda session: apply_figures(session, preview(session)))
    count = sum(len(line.values) for line in shown.lines)
    print(f"Imported {count} figures ({len(change.changes)} changes).")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from cspdesk.core.figures.performance import performance_table

    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        rows = workspace.read(performance_table, plan_id, args.quarter, decimals=args.decimals)
    if not rows:
        print("No performance indicators.")
        return 0
    headings = (
        "Priority",
        "Indicator",
        "Period",
        "Figure",
        "Last year",
        "Change",
        "% change",
        "Better or worse",
        "Summary",
    )
    lines = [
        (
            r.priority[:30],
            r.name,
            r.period,
            r.value,
            r.previous,
            r.change,
            r.percent_change,
            r.direction,
            r.summary,
        )
        for r in rows
    ]
    print(table(headings, lines))
    return 0
