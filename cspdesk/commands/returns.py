"""`cspdesk returns make|apply|status`: the quarter's partner returns without the window."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.commands.common import (
    add_db_argument,
    add_quarter_argument,
    add_year_argument,
    open_workspace,
    resolve_plan_id,
)
from cspdesk.core.plan.words import possessive
from cspdesk.errors import CspdeskError

NOTHING = "nothing was merged from it"

if TYPE_CHECKING:
    from cspdesk.returns.diff import FieldChange, ReturnDiff


# The exit status of `returns apply` when the returns were read (and merged, unless a dry
# run) but something is left for the officer: a script must not read it as all merged.
LEFT_FOR_YOU = 2
NOT_ALL = "NOT ALL MERGED"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    returns = subparsers.add_parser("returns", help="partner returns: make, merge, chase")
    actions = returns.add_subparsers(dest="returns_command", metavar="make|apply|status")
    actions.required = True

    make = actions.add_parser("make", help="one return workbook per lead agency")
    add_db_argument(make)
    add_quarter_argument(make)
    add_year_argument(make)
    make.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    make.add_argument(
        "--due",
        type=_date,
        metavar="YYYY-MM-DD",
        help="the date returns are due (default: two weeks after the quarter)",
    )
    make.add_argument(
        "--emails",
        action="store_true",
        help="also write a draft email (.eml) per lead that has an email address",
    )
    make.set_defaults(handler=run_make)

    apply = actions.add_parser(
        "apply",
        help="merge filled-in returns into the plan",
        epilog=f"exit status: 0 when every word of every return was merged, or left out by "
        "your --keep-plan or --accept-conflicts, or is in an older version of a return that a "
        "newer file in the same batch supersedes (each such cell is still listed); "
        f"{LEFT_FOR_YOU} when something is left for you (NOT ALL MERGED: cells listed as not "
        "merged, or decisions waiting; or a file was 'Nothing to merge': its partner wrote "
        "nothing in it, so their return is still awaited); 1 when a file was refused",
    )
    add_db_argument(apply)
    apply.add_argument("files", nargs="+", type=Path, metavar="FILE")
    apply.add_argument("--dry-run", action="store_true", help="show the changes, write nothing")
    decisions = apply.add_mutually_exclusive_group()
    decisions.add_argument(
        "--accept-conflicts",
        action="store_true",
        help="where the lead's part was changed in the plan since, take the return's; where "
        "two versions of a return in the batch differ, take the newer (saved later)",
    )
    decisions.add_argument(
        "--keep-plan",
        action="store_true",
        help="where the lead's part was changed in the plan since, keep the plan's",
    )
    add_year_argument(apply)
    add_quarter_argument(apply, required=False)
    apply.set_defaults(handler=run_apply)

    status = actions.add_parser("status", help="the chase list: who has returned, who is late")
    add_db_argument(status)
    add_year_argument(status)
    add_quarter_argument(status, required=False)
    status.set_defaults(handler=run_status)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2016-07-14") from error


def run_make(args: argparse.Namespace) -> int:
    from cspdesk.returns.make import make_returns

    args.output.mkdir(parents=True, exist_ok=True)
    with open_workspace(args) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)
        made = make_returns(
            workspace, plan_id, args.quarter, args.output, due=args.due, emails=args.emails
        )
    for item in made:
        extra = f" + {item.email_path.name}" if item.email_path else ""
        print(
            f"{item.path.name}: {_count(item.actions, 'action')}, "
            f"{_count(item.milestones, 'milestone')}{extra}"
        )
    print(f"{len(made)} returns written to {args.output}")
    return 0


def _show(value: object, limit: int | None = 70) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    text = str(value).replace("\n", " ⏎ ")
    return text if limit is None or len(text) <= limit else text[: limit - 3] + "..."


def _value(change: FieldChange, value: object, labels: dict[str, str]) -> str:
    from cspdesk.returns.diff import RAG  # not at import: `cspdesk --help` stays light

    if change.field == RAG and isinstance(value, str):
        return labels.get(value, value)
    return _show(value, None if change.conflict else 70)


def describe_diff(diff: ReturnDiff, labels: dict[str, str] | None = None) -> list[str]:
    """The review of one return as lines: each change, both sides of each conflict in full,
    rows the partner added (whole), and a note for everything that was not merged."""
    labels = labels or {}
    from cspdesk.returns.account import not_merged
    from cspdesk.returns.saved import local_text

    saved = f", saved {local_text(diff.saved_at)}" if diff.saved_at else ""
    lines = [
        f"{diff.file_name}: {diff.lead_name}, Q{diff.quarter} {diff.plan_year} "
        f"(made {diff.made_at:%d/%m/%Y}{saved})"
    ]
    if diff.completed_by:
        lines.append(f"  completed by {diff.completed_by}")
    if diff.merged_at is not None:
        lines.append(f"  already merged on {local_text(diff.merged_at)} from {diff.merged_file}")
    own = {id(change) for change in diff.changes}
    shown: set[int] = set()
    for c in diff.changes:
        what = f"{diff.ref(c)} {_show(c.item_title, 50)!s}"
        if c.kind == "milestone":
            what += " (milestone)"
        owner = f"{possessive(diff.credit_name)} " if c.kind == "action" else ""
        lead = f" – {owner}{c.label}"
        if c.conflict and id(c.rival) in own:
            # Two sheets of this file: one decision, both sides shown once.
            if id(c) in shown:
                continue
            assert c.rival is not None
            shown.add(id(c.rival))
            kept = "; you kept the plan's value" if c.decided and c.rival.decided else ""
            lines.append(f"  CONFLICT {what}{lead}: two sheets of this file differ{kept}")
            lines.append(f"      in the plan now: {_value(c, c.old, labels)}")
            for side in (c, c.rival):
                where = f"in sheet {side.sheet!r} (row {side.row}):"
                lines.append(f"      {where}  {_value(side, side.new, labels)}")
        elif c.conflict:
            kept = "; you kept the plan's value" if c.decided else ""
            lines.append(f"  CONFLICT {what}{lead} (row {c.row}): {c.note}{kept}")
            lines.append(f"      in the plan now: {_value(c, c.old, labels)}")
            lines.append(f"      in this return:  {_value(c, c.new, labels)}")
            if c.rival is not None:
                lines.append(f"      in {c.rival_file}: {_value(c, c.rival.new, labels)}")
        else:
            lines.append(
                f"  {what}{lead} (row {c.row}): {_value(c, c.old, labels)} -> "
                f"{_value(c, c.new, labels)}" + (f"  [{c.note}]" if c.note else "")
            )
    for row in diff.added:
        lines.append(
            f"  new work, sheet {row.sheet!r} row {row.row} (place it in the plan): "
            f"{row.describe()}"
        )
    for row in diff.deleted:
        lines.append(
            f"  row deleted by the partner, no change: {row.kind} {row.item_id} {_show(row.title)}"
        )
    for problem in diff.problems:
        lines.append(f"  note: {problem.describe()}")
    left = not_merged(diff)
    if not diff.changes and left:
        lines.append(
            f"  nothing to merge, but {_count(len(left), 'cell')} of the partner's "
            "are listed above as not merged"
        )
    elif not diff.changes:
        lines.append("  no changes to the plan" if diff.added else "  no changes")
    return lines


def _decide(diffs: list[ReturnDiff], args: argparse.Namespace) -> None:
    """The officer's standing decisions from the command line, for every conflict. Two
    versions of a field in one batch: --accept-conflicts takes the newer file's (saved
    later, or made later), --keep-plan neither."""
    owner = {id(change): diff for diff in diffs for change in diff.changes}
    for diff in diffs:
        for change in diff.conflicts:
            rival = owner.get(id(change.rival)) if change.rival is not None else None
            if change.rival is not None and args.accept_conflicts:
                if rival is None:
                    continue  # two sheets of one file: only the officer can choose
                if _version(diff) > _version(rival):
                    change.accepted = True
                    change.note += f"; newer than {rival.file_name}"
                elif _version(diff) < _version(rival):
                    change.decided = True
                    change.note += f"; {rival.file_name} is newer"
            elif args.accept_conflicts:
                change.accepted = True
            elif args.keep_plan:
                change.decided = True


def _version(diff: ReturnDiff) -> tuple[dt.datetime, dt.datetime]:
    return diff.made_at, diff.saved_at or dt.datetime.min


def run_apply(args: argparse.Namespace) -> int:
    from cspdesk.core.rag.scheme import load_scheme
    from cspdesk.returns.account import left_for_officer
    from cspdesk.returns.apply import merge_returns
    from cspdesk.returns.read import read_returns
    from cspdesk.returns.received import Merged, nothing_to_merge, nothing_written

    failed = 0
    with open_workspace(args, read_only=args.dry_run) as workspace:
        plan_id = resolve_plan_id(workspace, args.year) if args.year else None

        def read(session):  # type: ignore[no-untyped-def]
            labels = {s.code: s.label for s in load_scheme(session)}
            return (
                *read_returns(session, args.files, plan_id=plan_id, quarter=args.quarter),
                labels,
            )

        diffs, refused, labels = workspace.read(read)
        for error in refused:
            said = str(error)
            print(f"refused: {said}" + ("" if NOTHING in said else f"; {NOTHING}"))
        failed += len(refused)
        kept = []
        for diff in diffs:
            if diff.leftover and args.quarter is None:
                print(
                    f"refused: {diff.file_name}: this return is for Q{diff.quarter} "
                    f"{diff.plan_year}, but the plan is now in Q{diff.plan_quarter}; give "
                    f"--quarter Q{diff.quarter} to merge it into Q{diff.quarter}"
                )
                failed += 1
            else:
                kept.append(diff)
        _decide(kept, args)
        outcomes = {id(diff): nothing_to_merge(diff) for diff in kept}  # as a dry run sees it
        if kept and not args.dry_run:
            # One transaction for the batch, as in the window: all of it is merged, or none.
            done: list[Merged] = []

            def merge(session):  # type: ignore[no-untyped-def]
                done[:] = [merge_returns(session, kept)]
                return done[0].change  # what colleagues' windows are told changed

            try:
                workspace.write(merge)
            except CspdeskError as error:
                print(f"refused: {error}; nothing was merged from these returns")
                return 1
            outcomes = {id(diff): done[0].said(diff) for diff in kept}
        rivals = {id(change): diff for diff in kept for change in diff.changes}
        for diff in kept:
            print("\n".join(describe_diff(diff, labels)))
            print(f"  {_summary(diff, args.dry_run, rivals, outcomes[id(diff)])}")
        # A blank return: the partner's return is still awaited, the officer must chase it.
        left = any(left_for_officer(diff) or nothing_written(diff) for diff in kept)
    if args.dry_run:
        print("dry run: nothing was written")
    return 1 if failed else LEFT_FOR_YOU if left else 0


def _waiting(diff: ReturnDiff, rivals: dict[int, ReturnDiff]) -> str:
    """The decisions still waiting, each named with what settles it; every hint is true of
    the decisions it names (two sheets of one file giving one field are one decision)."""
    own = {id(change) for change in diff.changes}
    counted: set[int] = set()
    kinds = {"plan": 0, "newer": 0, "sheets": 0, "files": 0}
    for change in diff.waiting:
        rival = rivals.get(id(change.rival)) if change.rival is not None else None
        if change.rival is None:
            kinds["plan"] += 1
        elif id(change.rival) in own:
            if id(change.rival) not in counted:
                counted.add(id(change))
                kinds["sheets"] += 1
        elif rival is not None and _version(rival) != _version(diff):
            kinds["newer"] += 1
        else:
            kinds["files"] += 1
    decisions = sum(kinds.values())
    if not decisions:
        return ""
    ways = {
        "plan": "with the plan: --accept-conflicts takes the return's, --keep-plan keeps the "
        "plan's",
        "newer": "between two versions: --accept-conflicts takes the newer file's, "
        "--keep-plan keeps the plan's",
        "sheets": "between two sheets of this file: choose in the window's merge review, or "
        "--keep-plan keeps the plan's",
        "files": "between two returns: choose in the window's merge review, or --keep-plan "
        "keeps the plan's",
    }
    said = [
        (f"{count} " if count != decisions else "") + ways[kind]
        for kind, count in kinds.items()
        if count
    ]
    return f"; {_count(decisions, 'decision')} waiting for you ({'; '.join(said)})"


def _summary(
    diff: ReturnDiff, dry_run: bool, rivals: dict[int, ReturnDiff], nothing: str = ""
) -> str:
    """The last word on a return: never "merged" alone while any of its words were not.
    ``nothing``: why nothing is merged from it (returns.received), said instead."""
    from cspdesk.returns.account import not_merged
    from cspdesk.returns.received import withdrawal_held

    taken = len(diff.accepted())
    summary = nothing or f"{'would merge' if dry_run else 'merged'} {_count(taken, 'change')}"
    if diff.added and not nothing:
        summary += f"; {_count(len(diff.added), 'row')} of new work to place (listed above)"
    waiting = _waiting(diff, rivals)
    if withdrawal_held(diff) and waiting:
        waiting = (
            "; if the partner really meant to withdraw it all, merge it with --accept-conflicts"
        )
    summary += waiting
    left = len(not_merged(diff))
    if left:
        verb = "would not be" if dry_run else "was not" if left == 1 else "were not"
        summary += (
            f"; {_count(left, 'cell')} of the partner's {verb} merged (each is listed above "
            "with why)"
        )
    return f"{NOT_ALL}: {summary}" if left or waiting else summary


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def run_status(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from cspdesk.core.plan.model import Plan
    from cspdesk.returns.chase import chase_list

    with open_workspace(args, read_only=True) as workspace:
        plan_id = resolve_plan_id(workspace, args.year)

        def load(session):  # type: ignore[no-untyped-def]
            plan = session.execute(select(Plan).where(Plan.id == plan_id)).scalar_one()
            quarter = args.quarter or plan.current_quarter
            return plan.year, quarter, chase_list(session, plan_id, quarter)

        year, quarter, rows = workspace.read(load)
    print(f"Partner returns, Q{quarter} {year}")
    for row in rows:
        made = f"made {row.made_at:%d/%m/%Y}" if row.made_at else "not made"
        due = f", due {row.due_date:%d/%m/%Y}" if row.due_date else ""
        merged = f", merged {row.merged_at:%d/%m/%Y} ({row.merged_file})" if row.merged_at else ""
        print(
            f"{row.state.upper():9} {row.lead} ({_count(row.actions, 'action')}): "
            f"{made}{due}{merged}"
        )
    return 0
