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
        help="bring an existing plan (.xlsx, .xlsm, .xls, .ods or Word .docx) in as a new plan",
        description="Reads the plan tables of FILE, shows what it found (counts, every distinct "
        "lead text with what it becomes, every cell not imported, the guesses made and other "
        "notes, each with sheet, row and column) and adds it as a new plan in one transaction. "
        "A year that already has a plan is refused. A --db file that does not exist yet is "
        "created.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    add_db_argument(imp)
    add_year_argument(imp)
    imp.add_argument("--dry-run", action="store_true", help="show what would be imported only")
    imp.add_argument(
        "--leads",
        type=Path,
        metavar="MAP.csv",
        help="what each lead text becomes, corrected (a file written by --leads-out); the "
        "corrections are kept in the workspace for later imports",
    )
    imp.add_argument(
        "--leads-out",
        type=Path,
        metavar="MAP.csv",
        help="write the lead table (lead text, actions, agencies and officers, note) to correct",
    )
    imp.add_argument(
        "--name",
        help="the partnership's name when --db is a new workspace (default: the workbook's title)",
    )
    imp.set_defaults(handler=run_import_plan)

    exp = subparsers.add_parser("export-xlsx", help="the whole plan as a formatted workbook")
    add_db_argument(exp)
    add_year_argument(exp)
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.xlsx")
    exp.set_defaults(handler=run_export_xlsx)


def draft_summary(draft: object, tree: bool = False) -> str:
    from cspdesk.core.leads.plan_draft import PlanDraft
    from cspdesk.core.leads.table import plural

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
        lines.extend(lead_table_lines(draft))
    if draft.problems:
        lines.append(f"{plural(len(draft.problems), 'problem')}:")
        for kind, problems in draft.problem_groups():
            lines.append(f"  {kind} ({len(problems)}):")
            lines.extend(f"    {p.describe()}" for p in problems)
    return "\n".join(lines)


def lead_table_lines(draft: object) -> list[str]:
    """The import preview's lead table as text: each distinct lead text once."""
    from cspdesk.core.leads.table import plural, rows

    table = rows(draft)  # type: ignore[arg-type]
    lines = [f"Leads ({plural(len(table), 'distinct text')}): text as written -> what it becomes"]
    for row in table:
        mark = " (your choice)" if row.chosen else ""
        lines.append(f"  {row.text!r} ({plural(row.actions, 'action')}){mark}")
        lines.append(f"      -> {row.leads or '(no agency or officer)'}")
        if row.note:
            lines.append(f"      note: {row.note}")
    return lines


def run_import_plan(args: argparse.Namespace) -> int:
    from cspdesk.core.leads.directory import Directory
    from cspdesk.core.leads.table import apply_choices, plural, read_csv, write_csv
    from cspdesk.errors import CspdeskError
    from cspdesk.io.plan_apply import apply_draft, plan_exists
    from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
    from cspdesk.store.db import Workspace, holds_workspace

    choices = read_csv(args.leads) if args.leads else {}
    if not holds_workspace(args.db):
        directory = Directory()
        directory.add_places(args.name or "")
        _, draft = read_plan(args.file, directory, RagScheme.default(), year=args.year)
        if args.dry_run:
            apply_choices(draft, choices)
            return _dry_run(args, draft, exists=False, write_csv=write_csv)
        name = args.name or draft.partnership or draft.title
        if not name:
            raise CspdeskError(f"{args.db} does not exist yet: give the partnership's --name")
        Workspace.create(args.db, name).close()
        print(f"workspace created: {args.db} ({name})")
    with open_workspace(args, read_only=args.dry_run) as workspace:
        directory = workspace.read(Directory.from_session)
        scheme = workspace.read(RagScheme.from_session)
        _, draft = read_plan(args.file, directory, scheme, year=args.year)
        missing = apply_choices(draft, choices)
        if missing:
            draft.add_problem(
                f"{plural(len(missing), 'row')} of {args.leads.name} name lead texts this "
                f"workbook does not have (the first: {missing[0]!r}); not used",
                level="warning",
            )
        if args.dry_run:
            exists = draft.year is not None and workspace.read(plan_exists, draft.year)
            return _dry_run(args, draft, exists=exists, write_csv=write_csv)
        print(draft_summary(draft))
        if draft.year is None:
            raise CspdeskError(f"{args.file}: no plan year found in the workbook; give --year")
        if args.leads_out:
            write_csv(draft, args.leads_out)
            print(f"lead table written to {args.leads_out}")
        change = workspace.write(apply_draft, draft)
        print(f"imported as plan {draft.year} (id {change.id})")
    return 0


def _dry_run(args: argparse.Namespace, draft: object, *, exists: bool, write_csv: object) -> int:
    print(draft_summary(draft, tree=True))
    year = getattr(draft, "year", None)
    if year is None:
        print("note: no plan year found in the workbook; give --year when importing")
    elif exists:
        print(f"note: the workspace already has a plan for {year}; importing would "
              "be refused (use --year for another year)")  # fmt: skip
    if args.leads_out:
        write_csv(draft, args.leads_out)  # type: ignore[operator]
        print(f"lead table written to {args.leads_out}: correct it and import with --leads")
    print("dry run: nothing was written")
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
