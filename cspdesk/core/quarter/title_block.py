"""The lines above a quarter's appendix: "Appendix A", the committee, the meeting date and the
version line. Kept in the plan per quarter, so reprinting Q1 after Q3 gives Q1's meeting, and
frozen once the quarter is closed: what was sent is what reprints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields, replace

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from cspdesk.core.plan import periods
from cspdesk.core.plan.model import Plan, ReportTitle
from cspdesk.core.quarter.guards import is_quarter_closed
from cspdesk.errors import CspdeskError


@dataclass(frozen=True)
class TitleBlock:
    appendix_label: str = ""  # "Appendix A"
    committee: str = ""  # "Community Safety Partnership Board"
    meeting_date: str = ""  # ISO, "" when not given
    version_line: str = ""  # "Version 3 – January 2017"; "" prints the plan's version label

    def meeting_line(self) -> str:
        """ "Community Safety Partnership Board, 24 November 2016" (either part may be absent)."""
        when = ""
        if self.meeting_date:
            day = dt.date.fromisoformat(self.meeting_date)
            when = f"{day.day} {day:%B %Y}"
        return ", ".join(part for part in (self.committee.strip(), when) if part)


NAMES = tuple(f.name for f in fields(TitleBlock))


def _row(session: Session, plan_id: int, quarter: int) -> TitleBlock | None:
    found = session.execute(
        select(*(getattr(ReportTitle, n) for n in NAMES)).where(
            ReportTitle.plan_id == plan_id, ReportTitle.quarter == quarter
        )
    ).one_or_none()
    return None if found is None else TitleBlock(*found)


def quarter_title(session: Session, plan_id: int, quarter: int) -> TitleBlock:
    """The quarter's title block as last printed; for a quarter not printed yet, the nearest
    earlier quarter's appendix label and committee (a new meeting, so no date or version)."""
    own = _row(session, plan_id, quarter)
    if own is not None:
        return own
    earlier = session.execute(
        select(ReportTitle.appendix_label, ReportTitle.committee)
        .where(ReportTitle.plan_id == plan_id, ReportTitle.quarter < quarter)
        .order_by(ReportTitle.quarter.desc())
        .limit(1)
    ).one_or_none()
    return TitleBlock() if earlier is None else TitleBlock(*earlier)


def is_frozen(session: Session, plan_id: int, quarter: int) -> bool:
    """A closed quarter's title block, once printed, is what was sent: it no longer changes."""
    return (
        is_quarter_closed(session, plan_id, quarter) and _row(session, plan_id, quarter) is not None
    )


def check_title(session: Session, plan_id: int, quarter: int, block: TitleBlock) -> bool:
    """Whether ``block`` is new for the quarter (to be kept); CspdeskError when the quarter is
    closed and its appendix was printed with other lines."""
    stored = _row(session, plan_id, quarter)
    if stored == block:
        return False
    if stored is not None and is_frozen(session, plan_id, quarter):
        year = session.execute(select(Plan.year).where(Plan.id == plan_id)).scalar_one()
        raise CspdeskError(
            f"{periods.quarter_title(year, quarter)} is closed: its appendix keeps the title "
            f"lines it was printed with ({_words(stored)}); reopen the quarter to change them"
        )
    return True


def keep_title(session: Session, plan_id: int, quarter: int, block: TitleBlock) -> TitleBlock:
    """Remember ``block`` for the quarter and return it; CspdeskError, changing nothing, when the
    quarter is closed and its appendix was printed with other lines."""
    if not check_title(session, plan_id, quarter, block):
        return block
    stored = _row(session, plan_id, quarter)
    values = asdict(block)
    if stored is None:
        session.execute(insert(ReportTitle).values(plan_id=plan_id, quarter=quarter, **values))
    else:
        session.execute(
            update(ReportTitle)
            .where(ReportTitle.plan_id == plan_id, ReportTitle.quarter == quarter)
            .values(**values)
        )
    return block


def with_changes(previous: TitleBlock, **given: str | None) -> TitleBlock:
    """``previous`` with the lines given (None: keep the previous line); each trimmed."""
    return replace(
        previous, **{name: value.strip() for name, value in given.items() if value is not None}
    )


def _words(block: TitleBlock) -> str:
    parts = [block.appendix_label, block.meeting_line(), block.version_line]
    return "; ".join(p for p in parts if p) or "no title lines"
