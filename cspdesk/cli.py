"""Command-line entry: headless sub-commands, or the GUI when no command is given.

Nothing heavy is imported here: each sub-command imports what it needs when it runs, and Qt is
imported only when the GUI starts.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cspdesk import APP_NAME, __version__
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from cspdesk.store.address import Location

# Each module has register(subparsers); each sub-command sets `handler(args) -> int`.
COMMAND_MODULES: tuple[str, ...] = (
    "cspdesk.commands.workspace",
    "cspdesk.commands.figures",
    "cspdesk.commands.funding",
    "cspdesk.commands.returns",
    "cspdesk.commands.quarter",
    "cspdesk.commands.plan_xlsx",
    "cspdesk.commands.backup",
    "cspdesk.commands.report",
)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The parser; without ``commands`` only the window's own options (a plain start reads
    none of the sub-commands' modules)."""
    parser = argparse.ArgumentParser(
        prog=APP_NAME,
        description="The Community Safety Partnership plan on your desktop. "
        "With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--db",
        dest="gui_db",
        type=_workspace_location,
        metavar="PATH|URL",
        help="open this workspace file (or shared plan) instead of the default one",
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
    if not commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(commands=_may_name_a_command(words))
    args = parser.parse_args(_db_after_command(parser, words))
    if args.self_test:
        from cspdesk.ui.app import self_test

        return self_test()
    if getattr(args, "command", None) is None:
        from cspdesk.ui.app import run_gui

        return run_gui(args.gui_db, read_only=args.gui_read_only)
    sys.unraisablehook = _quiet_disk_errors
    try:
        return int(args.handler(args))
    except CspdeskError as error:
        print(f"{APP_NAME}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{APP_NAME}: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _stdout_closed()
    except OSError as error:
        from cspdesk.io.os_errors import describe_os_error

        print(f"{APP_NAME}: {describe_os_error(error.filename or '', error)}", file=sys.stderr)
        return 1
    except Exception as error:
        from cspdesk.store.failures import describe_database_failure

        message = describe_database_failure(error, getattr(args, "db", None))
        if message is None:
            raise
        print(f"{APP_NAME}: {message}", file=sys.stderr)
        return 1
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # what was left in the buffer has no reader either
            _stdout_closed()


def _quiet_disk_errors(failure: sys.UnraisableHookArgs) -> None:
    """A writer dropped after a failed write cannot close its file either; the failure was
    already reported in one line, so that second OSError is not printed."""
    if not isinstance(failure.exc_value, OSError):
        sys.__unraisablehook__(failure)


def _stdout_closed() -> int:
    """The reader of our output went away (``| head``): stop quietly, as other tools do."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit does not fail again
    return 141


def _workspace_location(text: str) -> Location:
    from cspdesk.commands.common import workspace_location

    return workspace_location(text)


def _may_name_a_command(words: Sequence[str]) -> bool:
    """Whether ``words`` hold anything but the window's options (a command, help, a typo)."""
    after_db = False
    for word in words:
        if after_db:
            after_db = False
        elif word == "--db":
            after_db = True
        elif word in ("-h", "--help") or not word.startswith("-"):
            return True
    return False


def _db_after_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``cspdesk --db W COMMAND ...`` means ``cspdesk COMMAND --db W ...``."""
    args = list(argv)
    commands: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            commands.update(action.choices)
    at = next((i for i, word in enumerate(args) if word in commands), None)
    if at is None:
        return args
    before, rest = args[:at], args[at:]
    moved: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(before):
        word = before[i]
        if word == "--db" and i + 1 < len(before):
            moved += before[i : i + 2]
            i += 2
            continue
        if word.startswith("--db="):
            moved.append(word)
        else:
            kept.append(word)
        i += 1
    return [*kept, rest[0], *moved, *rest[1:]]


def main_gui() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main([*sys.argv[1:]])
