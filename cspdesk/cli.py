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
        help="the workspace file (or shared plan): the window opens it instead of the default "
        "one; a command works on it (given here or after the command)",
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


def _commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-commands ``parser`` takes (none for a command that is a leaf)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _db_after_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> list[str]:
    """``cspdesk --db W returns status ...`` (or ``returns --db W status``) means ``cspdesk
    returns status --db W ...``: a --db given before the last command word goes after it,
    where the command reads it."""
    args = list(argv)
    commands = _commands_of(parser)
    end = None  # the index after the last command word
    i = 0
    while i < len(args) and commands:
        word = args[i]
        if word == "--db":
            i += 2
            continue
        if word in commands:
            commands = _commands_of(commands[word])
            end = i + 1
        elif not word.startswith("-"):
            break  # a value: no command word comes after it
        i += 1
    if end is None:
        return args
    moved: list[str] = []
    kept: list[str] = []
    i = 0
    while i < end:
        word = args[i]
        if word == "--db" and i + 1 < end:
            moved += args[i : i + 2]
            i += 2
            continue
        (moved if word.startswith("--db=") else kept).append(word)
        i += 1
    return [*kept, *moved, *args[end:]]


def main_gui() -> int:
    """Entry point of the windowed launcher (no console on Windows)."""
    return main([*sys.argv[1:]])
