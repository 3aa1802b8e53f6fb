"""Helpers shared by the headless sub-commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.core import periods
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from cspdesk.store.db import Workspace


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the workspace file")


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
    from cspdesk.store.db import Workspace

    return Workspace.open(args.db, read_only=read_only)


def resolve_plan_id(workspace: Workspace, year: str | None) -> int:
    """The id of the plan for ``year``, or of the latest plan; CspdeskError when there is none."""
    from sqlalchemy import select

    from cspdesk.core.model import Plan

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
