"""--db before the command or after it: ``cspdesk --help`` lists it before the command, each
command's help after it; both work for every command (the tester's ``cspdesk --db W returns
status`` was refused with "invalid choice: W")."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from cspdesk.cli import _commands_of, _db_after_command, build_parser
from tests.cli.runner import run_cli


def leaf_commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    commands = _commands_of(parser)
    if not commands and path:
        yield path, parser
    for name, sub in commands.items():
        yield from leaf_commands(sub, (*path, name))


def required_values(parser: argparse.ArgumentParser) -> list[str]:
    """Words that satisfy the command's other required arguments (a value its type takes)."""
    words: list[str] = []
    one_of = [
        group._group_actions[0] for group in parser._mutually_exclusive_groups if group.required
    ]
    for action in parser._actions:
        needed = action.required or not action.option_strings or action in one_of
        if not needed or "--db" in action.option_strings:
            continue
        if isinstance(action, argparse._HelpAction):
            continue
        if action.choices:
            value = str(next(iter(action.choices)))
        else:
            value = next(v for v in ("Q1", "2016/17", "1", "x.xlsx") if _takes(action, v))
        words += [action.option_strings[0], value] if action.option_strings else [value]
    return words


def _takes(action: argparse.Action, value: str) -> bool:
    try:
        if callable(action.type):
            action.type(value)
    except (argparse.ArgumentTypeError, ValueError, TypeError):
        return False
    return True


def test_every_command_with_db_takes_it_before_or_after(tmp_path: Path) -> None:
    parser = build_parser()
    where = str(tmp_path / "w.cspdesk")
    checked, without_db = [], []
    for path, leaf in leaf_commands(parser):
        if not any("--db" in action.option_strings for action in leaf._actions):
            without_db.append(" ".join(path))
            continue
        rest = required_values(leaf)
        after = parser.parse_args([*path, "--db", where, *rest])
        for words in (
            ["--db", where, *path, *rest],
            [f"--db={where}", *path, *rest],
            [path[0], "--db", where, *path[1:], *rest],
        ):
            before = build_parser().parse_args(_db_after_command(parser, words))
            assert before == after, words
        checked.append(" ".join(path))
    assert {"returns status", "funding show", "export-json", "check", "report"} <= set(checked)
    assert len(checked) >= 24 and without_db == ["copy"]  # copy takes --from and --to


@pytest.mark.both_engines
def test_db_before_the_command_runs_it_on_that_workspace(workspace_path: Path) -> None:
    db = str(workspace_path)
    for command in (["returns", "status"], ["funding", "show"], ["check", "--quarter", "Q1"]):
        after = run_cli(*command, "--db", db)
        assert after.returncode in (0, 1) and after.stdout, after.stderr
        before = run_cli("--db", db, *command)
        assert (before.returncode, before.stdout, before.stderr) == (
            after.returncode,
            after.stdout,
            after.stderr,
        )


def test_a_command_without_db_still_says_it_is_required() -> None:
    result = run_cli("returns", "status")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "cspdesk returns status: error: the following arguments are required: --db"
    )
