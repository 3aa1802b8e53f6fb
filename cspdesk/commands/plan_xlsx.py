"""import-plan and export-xlsx: an existing plan workbook in, the whole plan out."""

from __future__ import annotations

import argparse
from pathlib import Path

from cspdesk.commands.common import (
    add_db_argument,
    add_year_argument,
    open_workspace,
    resolve_plan_id,
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = subparsers.add_parser(
        "import-plan",
        help="bring an existing plan workbook (.xlsx) in as a new plan",
        description="Reads the plan tables of FILE, shows what it found (counts and every "
        "problem with sheet, row and column) and adds it as a new plan in one transaction. "
        "A year that already has a plan is refused.",
    )
    imp.add_argument("file", type=Path, metavar="FILE.xlsx")
    add_db_argument(imp)
    add_year_argument(imp)
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported only")
    imp.set_defaults(handler=run_import_plan)

    exp = subparsers.add_parser("export-xlsx", help="the whole plan as a formatted workbook")
    add_db_argument(exp)
    add_year_argument(exp)
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.xlsx")
    exp.set_defaults(handler=run_export_xlsx)


def draft_summary(draft: object, tree: bool = False) -> str:
    from cspdesk.core.plan_draft import PlanDraft

    assert isinstance(draft, PlanDraft)
    lines = [f"{draft.source}: plan {draft.year or '(year unknown)'} — {draft.title}"]
    counts = draft.counts()
    lines.append(", ".join(f"{n} {name}" for name, n in counts.items()))
    for mapping in draft.mappings:
        pairs = [
            f"{h or '?'} -> {f}"
            for h, f in zip(mapping.headers, mapping.fields, strict=False)
            if f is not None
        ]
        lines.append(f"columns of {mapping.sheet!r} row {mapping.header_row}: {'; '.join(pairs)}")
    if tree:
        for priority in draft.priorities:
            lines.append(f"  Priority: {priority.title}")
            for objective in priority.objectives:
                lines.append(f"    Objective: {objective.title or '(untitled)'}")
                for action in objective.actions:
                    lines.append(f"      Action: {action.title[:70]}")
    if draft.problems:
        lines.append(f"{len(draft.problems)} problem(s):")
        lines.extend(f"  {p.describe()}" for p in draft.problems)
    return "\n".join(lines)


def run_import_plan(args: argparse.Namespace) -> int:
    from cspdesk.core.leads import Directory
    from cspdesk.core.plan_apply import apply_draft, plan_exists
    from cspdesk.errors import CspdeskError
    from cspdesk.io.xlsx_plan_read import RagScheme, read_plan

    with open_workspace(args, read_only=args.dry_run) as workspace:
        directory = workspace.read(Directory.from_session)
        scheme = workspace.read(RagScheme.from_session)
        _, draft = read_plan(args.file, directory, scheme, year=args.year)
        print(draft_summary(draft, tree=args.dry_run))
        if draft.year is None and not args.dry_run:
            raise CspdeskError(f"{args.file}: no plan year found in the workbook; give --year")
        if args.dry_run:
            if draft.year is None:
                print("note: no plan year found in the workbook; give --year when importing")
            elif workspace.read(plan_exists, draft.year):
                print(f"note: the workspace already has a plan for {draft.year}; importing would "
                      "be refused (use --year for another year)")  # fmt: skip
            print("dry run: nothing was written")
            return 0
        change = workspace.write(apply_draft, draft)
        print(f"imported as plan {draft.year} (id {change.id})")
    return 0


def run_export_xlsx(args: argparse.Namespace) -> int:
    from cspdesk.io.output_target import check_output
    from cspdesk.io.xlsx_plan_write import export_plan_xlsx

    check_output(args.output, "xlsx", args.db)
    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        workspace.read(export_plan_xlsx, plan_id, args.output)
    print(f"plan exported to {args.output}")
    return 0
