"""Command-line entry: headless sub-commands, or the GUI when no command is given.

Nothing heavy is imported here: each sub-command imports what it needs when it runs, and Qt is
imported only when the GUI starts.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from cspdesk import APP_NAME, __version__
from cspdesk.errors import CspdeskError

# Each module has register(subparsers); each sub-command sets `handler(args) -> int`.
COMMAND_MODULES: tuple[str, ...] = (
    "cspdesk.commands.workspace",
    "cspdesk.commands.figures",
    "cspdesk.commands.returns",
    "cspdesk.commands.quarter",
    "cspdesk.commands.plan_xlsx",
    "cspdesk.commands.backup",
    "cspdesk.commands.report",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="The Community Safety Partnership plan on your desktop. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--db",
        dest="gui_db",
        type=Path,
        metavar="PATH",
        help="open this workspace file instead of the default one",
    )
    parser.add_argument(
        "--read-only",
        dest="gui_read_only",
        action="store_true",
        help="open the workspace read-only",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start the window offscreen on a temporary demo plan, then quit "
        "(checks an installation)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        from cspdesk.ui.app import self_test

        return self_test()
    if args.command is None:
        from cspdesk.ui.app import run_gui

        return run_gui(args.gui_db, read_only=args.gui_read_only)
    try:
        return int(args.handler(args))
    except CspdeskError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{APP_NAME}: interrupted; nothing more was written", file=sys.stderr)
        return 130


def main_gui() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main([*sys.argv[1:]])
