"""`cspdesk report`: the committee appendix as PDF, accessible HTML or Word (by the extension)."""

from __future__ import annotations

import argparse
import sys
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
from cspdesk.report import output_format, write_report

if TYPE_CHECKING:
    from cspdesk.core.quarter.title_block import TitleBlock


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = subparsers.add_parser(
        "report",
        help="the committee appendix: PDF, accessible HTML (OUT.html) or Word (OUT.docx)",
    )
    add_db_argument(report)
    add_quarter_argument(report)
    add_year_argument(report)
    report.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.pdf|OUT.html|OUT.docx"
    )
    report.add_argument(
        "--layout",
        choices=("objectives", "milestones"),
        default="objectives",
        help="objectives: one table per strategic objective (default); "
        "milestones: key milestones and outcomes per priority",
    )
    report.add_argument(
        "--without-completed", action="store_true", help="leave out completed actions"
    )
    report.add_argument("--without-milestones", action="store_true", help="leave out milestones")
    report.add_argument(
        "--without-performance",
        action="store_true",
        help="leave out the performance figures section",
    )
    report.add_argument(
        "--without-funding", action="store_true", help="leave out the funding section"
    )
    report.add_argument(
        "--accessible",
        action="store_true",
        help="with OUT.pdf: the tagged PDF for the council website, printed from the "
        "accessible HTML by Microsoft Edge, Chrome or Chromium (CSPDESK_BROWSER names another)",
    )
    report.add_argument(
        "--large-print",
        action="store_true",
        help="text at 12 pt on paper: the print PDF's instead of 9 pt, the accessible PDF's "
        "and the printed HTML's instead of 10 pt (more pages)",
    )
    title = report.add_argument_group(
        "title block",
        "printed above the title; kept with the plan for this quarter (a new quarter starts from "
        "the last one's label and committee) and, once the quarter is closed, as it was sent",
    )
    title.add_argument("--appendix-label", metavar="TEXT", help='e.g. "Appendix A"')
    title.add_argument("--committee", metavar="NAME", help="the committee the paper goes to")
    title.add_argument("--meeting-date", metavar="DATE", help="the meeting's date, e.g. 2016-11-24")
    title.add_argument(
        "--version-line",
        metavar="TEXT",
        help='e.g. "Version 3 – January 2017" (default: the plan\'s version label)',
    )
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from cspdesk.core.quarter.title_block import check_title, quarter_title
    from cspdesk.io.output_target import check_output
    from cspdesk.report import title_block
    from cspdesk.report.source import build_quarter_report

    fmt = output_format(args.output)  # refuse a bad name before any work
    check_output(args.output, fmt, args.db)
    typed = {
        "appendix_label": args.appendix_label,
        "committee": args.committee,
        "meeting_date": args.meeting_date,
        "version_line": args.version_line,
    }
    title_block.updated(title_block.TitleBlock(), **typed)  # a bad date: refused before any work
    if args.accessible and fmt == "pdf":
        from cspdesk.report.browser import find_browser, no_browser_error

        if find_browser() is None:
            raise no_browser_error()
    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        block = title_block.updated(workspace.read(quarter_title, plan_id, args.quarter), **typed)
        is_new = workspace.read(check_title, plan_id, args.quarter, block)
        model = workspace.read(
            build_quarter_report,
            plan_id,
            args.quarter,
            include_completed=not args.without_completed,
            include_milestones=not args.without_milestones,
            include_performance=not args.without_performance,
            include_funding=not args.without_funding,
        )
    model.title_block = block
    write_report(
        model,
        args.output,
        layout=args.layout,
        accessible=args.accessible,
        large_print=args.large_print,
    )
    print(f"{model.title}: {model.action_count()} actions written to {args.output}")
    if is_new:
        _keep_title(args, plan_id, block)
    return 0


def _keep_title(args: argparse.Namespace, plan_id: int, block: TitleBlock) -> None:
    """Keep the title lines for the quarter's next print; the appendix is written either way,
    so a plan open for editing elsewhere only means they are not kept, and we say so."""
    from cspdesk.core.quarter.title_block import keep_title

    try:
        with open_workspace(args) as workspace:
            workspace.write(keep_title, plan_id, args.quarter, block)
    except CspdeskError as error:
        print(f"The title lines were printed but not kept for next time: {error}", file=sys.stderr)
