"""Make the quarter's partner returns: one workbook per lead agency, optionally a draft email.

Files are written first (each through a temporary file), then the ReturnRecords in one
transaction; if anything fails, the files written so far are removed, so a return file always
has its record. Workbooks are written with XlsxWriter (returns/sheets.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from cspdesk.core.plan import periods
from cspdesk.core.plan.model import RagStatus, ReturnRecord, new_uid, utcnow
from cspdesk.core.rag.scheme import load_scheme
from cspdesk.errors import CspdeskError
from cspdesk.io.atomic import write_with
from cspdesk.returns.collector import collect_young, without_collector
from cspdesk.returns.email import write_draft_email
from cspdesk.returns.layout import file_name
from cspdesk.returns.scope import (
    ActionRow,
    Lead,
    PlanInfo,
    agencies,
    group_by_lead,
    lead_of,
    load_actions,
    plan_info,
)
from cspdesk.returns.sheets import Stamp, write_workbook
from cspdesk.store.db import Workspace

Progress = Callable[[int, int], None]
DUE_AFTER_QUARTER = dt.timedelta(days=14)


@dataclass(frozen=True)
class MadeReturn:
    lead: Lead
    path: Path
    email_path: Path | None
    actions: int
    milestones: int
    token: str


def default_due_date(year: str, quarter: int) -> dt.date:
    return periods.quarter_bounds(year, quarter)[1] + DUE_AFTER_QUARTER


def _load(
    session: Any, plan_id: int, quarter: int
) -> tuple[PlanInfo, dict[int, Lead], dict[int | None, list[ActionRow]], list[RagStatus]]:
    info = plan_info(session, plan_id)
    groups = group_by_lead(load_actions(session, plan_id, quarter).values())
    return info, agencies(session), groups, load_scheme(session)


@without_collector
def make_returns(
    workspace: Workspace,
    plan_id: int,
    quarter: int,
    out_dir: Path | str,
    *,
    due: dt.date | None = None,
    emails: bool = False,
    only: Iterable[int | None] | None = None,
    progress: Progress | None = None,
) -> list[MadeReturn]:
    """Write a return for every lead agency of the plan (or those in ``only``)."""
    if not 1 <= quarter <= 4:
        raise CspdeskError(f"quarter {quarter} is not 1 to 4")
    out = Path(out_dir)
    if not out.is_dir():
        raise CspdeskError(f"{out}: no such folder")
    made_at = utcnow()
    info, known, groups, scheme = workspace.read(_load, plan_id, quarter)
    due = due or default_due_date(info.year, quarter)
    wanted = None if only is None else set(only)
    leads = sorted(
        (lead_of(a, known) for a in groups if wanted is None or a in wanted),
        key=lambda lead: (lead.agency_id is None, lead.name.casefold()),
    )
    if not leads:
        raise CspdeskError(f"the {info.year} plan has no actions to send out")
    made: list[MadeReturn] = []
    written: list[Path] = []
    try:
        for number, lead in enumerate(leads):
            if progress is not None:
                progress(number, len(leads))
            actions = groups[lead.agency_id]
            stamp = Stamp(info, quarter, lead, new_uid(), made_at, due)
            path = free_name(out / file_name(info.year, quarter, lead.name))
            write_with(path, partial(write_workbook, stamp=stamp, actions=actions, scheme=scheme))
            written.append(path)
            collect_young()  # cheap: the workbook written is freed already, cycles broken
            email_path = None
            if emails and lead.email:
                email_path = path.with_suffix(".eml")
                write_draft_email(email_path, path, stamp)
                written.append(email_path)
            made.append(
                MadeReturn(
                    lead,
                    path,
                    email_path,
                    len(actions),
                    sum(len(a.milestones) for a in actions),
                    stamp.token,
                )
            )
        workspace.write(_record, plan_id, quarter, made, made_at, due)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(len(leads), len(leads))
    return made


def free_name(path: Path) -> Path:
    """``path``, or "… (2).xlsx", "… (3).xlsx" when it is taken: a return already in the
    folder may hold a partner's typing, and is never overwritten."""
    candidate, number = path, 1
    while candidate.exists() or candidate.with_suffix(".eml").exists():
        number += 1
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
    return candidate


def _record(
    session: Any,
    plan_id: int,
    quarter: int,
    made: list[MadeReturn],
    made_at: dt.datetime,
    due: dt.date,
) -> None:
    for item in made:
        session.add(
            ReturnRecord(
                token=item.token,
                plan_id=plan_id,
                quarter=quarter,
                agency_id=item.lead.agency_id,
                lead_name=item.lead.name,
                file_name=item.path.name,
                made_at=made_at,
                due_date=due,
            )
        )
