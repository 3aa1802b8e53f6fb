"""Helpers shared by the headless sub-commands."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.core.plan import periods
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from cspdesk.store.address import Location
    from cspdesk.store.db import Workspace


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=workspace_location,
        required=True,
        metavar="PATH|URL",
        help="the workspace file, or a shared plan: postgresql://USER@HOST[:PORT]/DBNAME",
    )


def workspace_location(text: str) -> Location:
    """--db's value: a file path or a server address (refused, password hidden, if neither)."""
    from cspdesk.store.address import UnsupportedAddress, parse_location

    try:
        return parse_location(text)
    except UnsupportedAddress as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year",
        type=_year,
        metavar="YYYY/YY",
        help="the plan's financial year (default: the latest plan)",
    )


def add_quarter_argument(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--quarter", type=_quarter, required=required, metavar="Q1..Q4")


def _year(text: str) -> str:
    try:
        return periods.parse_year(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _quarter(text: str) -> int:
    try:
        return periods.parse_quarter(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def open_workspace(args: argparse.Namespace, *, read_only: bool = False) -> Workspace:
    """Open --db; a command that writes a file takes the window's one-writer lock first."""
    from cspdesk.store.db import Workspace

    if not isinstance(args.db, Path):
        return Workspace.open(args.db, read_only=read_only)
    if read_only:
        with _damage_named(args.db):
            return Workspace.open(args.db, read_only=True)
    return open_file_for_writing(args.db)


@contextlib.contextmanager
def _damage_named(path: Path) -> Iterator[None]:
    """A workspace file SQLite cannot read is said to be damaged, with the latest good backup
    and the command that restores it (the window offers the same)."""
    from cspdesk.store.errors import NotAWorkspace
    from cspdesk.store.failures import damaged_workspace

    try:
        yield
    except NotAWorkspace:
        message = damaged_workspace(path)
        if message is None:
            raise
        raise CspdeskError(message) from None


def open_file_for_writing(path: Path) -> Workspace:
    """The workspace file with its lock held (released on close); refused, naming the holder,
    while a window or another command has it open for editing."""
    from cspdesk.store import lock as locking
    from cspdesk.store.db import Workspace, sniff_workspace_file

    sniff_workspace_file(path)
    locking.break_stale(path)  # a crashed run's lock; a live holder's stays
    try:
        lock = locking.acquire(path)
    except locking.WorkspaceLocked as locked:
        raise locking.WorkspaceLocked(
            path, locked.holder, advice="close it there first; commands that only read still work"
        ) from None
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and not os.access(
            path.parent, os.W_OK
        ):
            raise CspdeskError(
                f"{path}: the folder {path.parent} is read-only, so nothing can be saved there "
                "(copy the workspace to a folder you can write to)"
            ) from None
        raise CspdeskError(
            f"{path}: cannot write beside the file ({error.strerror or error}), so nothing can "
            "be saved there"
        ) from None
    try:
        with _damage_named(path):
            workspace = Workspace.open(path)
    except BaseException:
        lock.release()
        raise
    workspace.lock = lock
    return workspace


def resolve_plan_id(workspace: Workspace, year: str | None) -> int:
    """The id of the plan for ``year``, or of the latest plan; CspdeskError when there is none."""
    from sqlalchemy import select

    from cspdesk.core.plan.model import Plan

    def find(session):  # type: ignore[no-untyped-def]
        query = select(Plan.id, Plan.year)
        if year is not None:
            query = query.where(Plan.year == year)
        rows = session.execute(query.order_by(Plan.year.desc())).all()
        return rows[0][0] if rows else None

    plan_id = workspace.read(find)
    if plan_id is None:
        where = f"for {year}" if year else "at all"
        raise CspdeskError(f"{workspace.path}: no plan {where}")
    return plan_id
