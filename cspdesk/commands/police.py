"""`figures import` of a police open-data download (a zip, a folder or street CSV files).

Reads the download first (nothing open yet), shows the preview, and only then keeps the months
in one transaction: a problem anywhere changes nothing and is said in one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.commands.common import open_workspace, resolve_plan_id
from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from cspdesk.core.figures.police import PoliceImport

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


def is_police_input(paths: list[Path]) -> bool:
    """A download's zip, a folder, or CSV files (anything else: the analyst's workbook)."""
    return any(
        p.is_dir() or p.suffix.lower() in (".zip", ".csv")
        for p in paths
        if p.suffix.lower() not in WORKBOOK_SUFFIXES
    )


def run_police_import(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from cspdesk.core.figures.police import preview_police
    from cspdesk.core.figures.police_apply import apply_police
    from cspdesk.core.figures.police_lines import crime_summary
    from cspdesk.core.plan.model import Plan
    from cspdesk.io.gate import ImportRefused
    from cspdesk.io.police_data import describe_sources, read_police_data

    paths: list[Path] = args.file
    given = [option for option in ("sheet", "priority") if getattr(args, option, None)]
    if given:
        options = " and ".join(f"--{option}" for option in given)
        raise CspdeskError(
            f"{options} apply to a performance workbook, not police data (its indicators are "
            "the plan's own); nothing imported"
        )
    name = paths[0].name if len(paths) == 1 else f"{paths[0].name} and {len(paths) - 1} more"
    try:
        download = read_police_data(paths)
    except ImportRefused as error:
        raise CspdeskError(f"{error}; nothing imported") from None
    for line in describe_sources(download):
        print(line)
    months = list(download.months.values())
    with open_workspace(args, read_only=args.dry_run) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)

        def preview(session: Session) -> PoliceImport:
            return preview_police(session, plan_id, months, name, districts=args.district)

        shown = workspace.read(preview)
        if not shown.ok:
            raise CspdeskError(f"{name}: {shown.problem}; nothing imported")
        for line in shown.lines():
            print(line)
        if args.dry_run:
            print("Dry run: nothing changed.")
            return 0
        change = workspace.write(lambda session: apply_police(session, preview(session)))
        quarter = workspace.read(
            lambda s: s.execute(select(Plan.current_quarter).where(Plan.id == plan_id)).scalar_one()
        )
        summary = workspace.read(crime_summary, plan_id, quarter)
    if not change.changes:
        print("Nothing changed: the same counts are already kept.")
    else:
        kept = sum(1 for c in shown.changes if c.kind != "same")
        print(f"Kept {kept} month(s) of police data ({len(change.changes)} changes).")
    if summary is not None:
        print(f"Q{quarter}:")
        for line in summary.texts():
            print(f"  {line}")
    return 0
