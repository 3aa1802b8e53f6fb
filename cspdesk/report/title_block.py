"""The title block as the officer types it: the meeting date read from the usual forms, and
the lines given on the command line or in the print dialog laid over the quarter's own.

Where they are kept, per plan and quarter and frozen with a closed quarter, is
core.quarter.title_block; this module only reads what was typed.
"""

from __future__ import annotations

import datetime as dt

from cspdesk.core.quarter.title_block import TitleBlock, with_changes
from cspdesk.errors import CspdeskError

__all__ = ["TitleBlock", "parse_meeting_date", "updated"]

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


def parse_meeting_date(text: str) -> str:
    """The meeting date as ISO from "2016-11-24", "24/11/2016" or "24 November 2016"."""
    text = " ".join(text.split())
    if not text:
        return ""
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    raise CspdeskError(
        f"meeting date {text!r}: give it as 2016-11-24, 24/11/2016 or 24 November 2016"
    )


def updated(
    previous: TitleBlock,
    *,
    appendix_label: str | None = None,
    committee: str | None = None,
    meeting_date: str | None = None,
    version_line: str | None = None,
) -> TitleBlock:
    """``previous`` with the lines given (None: keep the quarter's own)."""
    date = None if meeting_date is None else parse_meeting_date(meeting_date)
    return with_changes(
        previous,
        appendix_label=appendix_label,
        committee=committee,
        meeting_date=date,
        version_line=version_line,
    )
