"""Sub-commands on the workspace as a whole: demo, new, copy, export-json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cspdesk.commands.common import (
    add_db_argument,
    add_year_argument,
    open_workspace,
    workspace_location,
)
from cspdesk.errors import CspdeskError


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = subparsers.add_parser("demo", help="write a workspace holding the demo plan")
    add_db_argument(demo)
    demo.set_defaults(handler=run_demo)

    new = subparsers.add_parser("new", help="create an empty workspace")
    add_db_argument(new)
    new.add_argument("--name", required=True, help="the partnership's name")
    new.add_argument("--areas", default="", help="the districts it covers")
    new.set_defaults(handler=run_new)

    copy = subparsers.add_parser(
        "copy",
        help="copy a whole workspace between a file and a shared plan on a server (either way)",
        description="Copies every row with its id (history and closed quarters included) into "
        "a new file or an empty database; the source is only read.",
    )
    copy.add_argument(
        "--from",
        dest="source",
        type=workspace_location,
        required=True,
        metavar="PATH|URL",
        help="the workspace to copy",
    )
    copy.add_argument(
        "--to",
        dest="target",
        type=workspace_location,
        required=True,
        metavar="PATH|URL",
        help="a new file, or an empty database on a server",
    )
    copy.set_defaults(handler=run_copy)

    export = subparsers.add_parser("export-json", help="the whole workspace as JSON")
    add_db_argument(export)
    add_year_argument(export)
    export.add_argument(
        "-o",
        "--output",
        default="-",
        metavar="FILE",
        help="where to write (default or '-': standard output)",
    )
    export.set_defaults(handler=run_export_json)


def run_demo(args: argparse.Namespace) -> int:
    from cspdesk.store.demo import create_demo_workspace

    workspace = create_demo_workspace(args.db)
    workspace.close()
    print(f"demo workspace written to {args.db}")
    return 0


def run_new(args: argparse.Namespace) -> int:
    from cspdesk.store.db import Workspace

    Workspace.create(args.db, args.name, args.areas).close()
    print(f"workspace created: {args.db}")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    from cspdesk.store.copying import copy_workspace

    report = copy_workspace(args.source, args.target)
    count = report.total
    print(f"copied {args.source} to {args.target}: {count:,} row{'' if count == 1 else 's'}")
    return 0


def run_export_json(args: argparse.Namespace) -> int:
    from cspdesk.core.workspace.serialize import export_workspace
    from cspdesk.io.output_target import check_output

    if args.output not in ("-", ""):
        check_output(args.output, "json", args.db)
    with open_workspace(args, read_only=True) as workspace:
        data = workspace.read(export_workspace, args.year, history=True)
    if args.year and not data["plans"]:
        raise CspdeskError(f"{args.db}: no plan for {args.year}")
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if args.output in ("-", ""):
        sys.stdout.write(text + "\n")
    else:
        from cspdesk.io.atomic import write_text_atomic

        write_text_atomic(Path(args.output), text + "\n")
    return 0
