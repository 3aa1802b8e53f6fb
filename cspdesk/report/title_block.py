"""The committee's lines at the top of the appendix ("Appendix A", the committee, the meeting
date), remembered per workspace for the next quarter's paper.

They are kept in a small JSON file in the user's cspdesk folder, keyed by the workspace file,
so the CLI and the print dialog share them and the workspace format (and its migrations) is
untouched.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from cspdesk import paths
from cspdesk.errors import CspdeskError
from cspdesk.io.atomic import write_text_atomic

FILE_NAME = "report-title-blocks.json"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y")


@dataclass(frozen=True)
class TitleBlock:
    appendix_label: str = ""  # "Appendix A"
    committee: str = ""  # "Community Safety Partnership Board"
    meeting_date: str = ""  # ISO, "" when not given

    def meeting_line(self) -> str:
        """ "Community Safety Partnership Board, 24 November 2016" (either part may be absent)."""
        when = ""
        if self.meeting_date:
            day = dt.date.fromisoformat(self.meeting_date)
            when = f"{day.day} {day:%B %Y}"
        return ", ".join(part for part in (self.committee.strip(), when) if part)


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


def _store() -> Path:
    return paths.home() / FILE_NAME


def _key(workspace: Path | object) -> str:
    """A file by its full path; a shared plan by its address (which never holds a password)."""
    if isinstance(workspace, str | Path):
        return str(Path(workspace).resolve())
    return str(workspace)


def _read_all() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none remembered yet, or a damaged file: start afresh
    return data if isinstance(data, dict) else {}


def remembered(workspace: Path | object) -> TitleBlock:
    """The lines last printed for ``workspace`` (empty when none)."""
    entry = _read_all().get(_key(workspace))
    if not isinstance(entry, dict):
        return TitleBlock()
    return TitleBlock(
        **{name: str(entry.get(name, "")) for name in TitleBlock.__dataclass_fields__}
    )


def remember(workspace: Path | object, block: TitleBlock) -> None:
    data = _read_all()
    data[_key(workspace)] = asdict(block)
    store = _store()
    store.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(store, json.dumps(data, indent=1, ensure_ascii=False))


def updated(
    previous: TitleBlock,
    *,
    appendix_label: str | None = None,
    committee: str | None = None,
    meeting_date: str | None = None,
) -> TitleBlock:
    """``previous`` with the options given (None: keep what was remembered)."""
    date = None if meeting_date is None else parse_meeting_date(meeting_date)
    return TitleBlock(
        appendix_label=_given(appendix_label, previous.appendix_label),
        committee=_given(committee, previous.committee),
        meeting_date=_given(date, previous.meeting_date),
    )


def _given(value: str | None, previous: str) -> str:
    return previous if value is None else value.strip()
