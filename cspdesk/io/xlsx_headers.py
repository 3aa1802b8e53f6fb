"""Recognising column titles ("Outcomes / Measures", "Lead Agency/ Officer", "RAG"...) as fields."""

from __future__ import annotations

import re

# Every field a column can be mapped to, with the label the import dialog shows.
FIELD_LABELS: dict[str, str] = {
    "priority": "Priority",
    "objective": "Strategic objective",
    "action": "Action",
    "outcomes": "Outcomes / measures",
    "lead": "Lead agency / officer",
    "timescale": "Timescale",
    "timescale_update": "Timescale + update",
    "rag": "RAG",
    "outcomes_rag": "Outcomes RAG (this quarter's)",
    "milestones": "Milestones (one per line)",
    "update": "Update (current quarter)",
    **{f"q{q}_update": f"Q{q} update" for q in range(1, 5)},
    **{f"q{q}_rag": f"Q{q} RAG" for q in range(1, 5)},
    "previous_rag": "RAG (last quarter)",
    "lead_agency": "Lead organisation",
    "start_date": "Start date",
    "due_date": "Due date",
    "id": "Reference",
    "notes": "Notes (kept with the action)",
}
DIRECTORY_FIELDS = ("agency", "short_name", "agency_email", "officer", "initials", "officer_email")
TREE_FIELDS = {"objective", "action", "milestones"}

_STOP = {"and", "the", "of", "to", "by", "s"}


def normalise(text: object) -> str:
    """Lower case, punctuation to spaces, stop words dropped: "Outcomes & Outputs" -> "outcomes
    outputs"."""
    words = re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split()
    return " ".join(w for w in words if w not in _STOP)


# Financial-year quarter of each month (April starts Q1), for headers titled by months.
_MONTH_QUARTER = {"apr": 1, "may": 1, "jun": 1, "jul": 2, "aug": 2, "sep": 2, "oct": 3,
                  "nov": 3, "dec": 3, "jan": 4, "feb": 4, "mar": 4}  # fmt: skip
_MONTH_WORD = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:[a-z]*)\b", re.IGNORECASE
)
_QN = re.compile(r"\b(?:q|quarter )([1-4])\b")
_PERIOD_WORDS = {"q1", "q2", "q3", "q4", "quarter", "to", "jan", "january", "feb", "february",
                 "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug",
                 "august", "sep", "sept", "september", "oct", "october", "nov", "november",
                 "dec", "december"}  # fmt: skip
_ORGANISATION = {"organisation", "organization", "agency", "partner agency", "lead organisation",
                 "lead organization", "partner", "organisation name", "org",
                 "partner org"}  # fmt: skip
_PREVIOUS = re.compile(r"\b(?:last|previous|prior|prev|old)\b")


def quarter_in(text: object) -> int | None:
    """The financial-year quarter a column or sheet title names: "Q2", "Quarter 2", a month
    range ("Jul-Sep", "July to September 2016": the quarter its last month ends), or a
    quarter-end month ("Sept 16 update")."""
    h = normalise(text)
    found = _QN.search(h)
    if found:
        return int(found.group(1))
    months = [m.group(1) for m in _MONTH_WORD.finditer(h) if not _is_word_may(h, m)]
    if not months:
        return None
    if len(months) == 1 and months[0] not in ("jun", "sep", "dec", "mar"):
        return None  # one month that ends no quarter: not a quarter's title
    return _MONTH_QUARTER[months[-1]]


def _is_word_may(h: str, match: re.Match[str]) -> bool:
    """ "may" the verb ("may change") is not the month; as a month it stands alone in a title."""
    return match.group(1) == "may" and len(h.split()) > 3


def field_for(header: object) -> str | None:
    """The field a column title names, or None."""
    h = normalise(header)
    if not h or len(h) > 60:
        return None
    words = set(h.split())
    if h in ("id", "action id", "ref", "reference", "no", "ref no") or h.endswith(" id"):
        return "id"
    if ("rag" in words or "status" in words) and _PREVIOUS.search(h) and len(words) <= 5:
        return "previous_rag"  # "RAG (last quarter)", "Previous RAG", "Last qtr status"
    if h in ("title", "action title", "item title"):
        return "action"  # a SharePoint list's Title column
    if h in _ORGANISATION:
        return "lead_agency"
    quarter = quarter_in(h) if not words & {"start", "due", "end", "timescale"} else None
    if quarter and ("rag" in words or "status" in words):
        return f"q{quarter}_rag"
    if quarter and (words & {"update", "updates", "progress", "comments", "commentary"}):
        return f"q{quarter}_update"
    if quarter and words <= _PERIOD_WORDS | {w for w in words if w.isdigit()}:
        return f"q{quarter}_update"  # "Q2", "Quarter 2", "Jul-Sep", "July to Sept 16"
    if words & {"due", "deadline"} and len(words) <= 4:
        return "due_date"  # "Due by", "Due (month)"
    if "milestone" in h or "milestones" in words:
        return "milestones"
    if "objective" in h or h == "aim":
        return "objective"
    if words & {"priority", "theme"} and len(words) <= 3:
        return "priority"
    if "timescale" in h or "timescales" in h or "deadline" in words or h == "when":
        return "timescale_update" if "update" in h else "timescale"
    if words & {"outcome", "outcomes", "measures", "measure", "outputs", "output", "success"}:
        return "outcomes"
    if h.startswith("lead") or h == "assigned" or words & {"responsible", "owner", "owners",
                                                             "leads", "officer"}:  # fmt: skip
        return "lead"
    if "rag" in words or h in ("status", "rag status", "rating"):
        return "rag"
    if words & {"action", "actions", "activity", "activities", "task", "tasks"}:
        return "action"
    if h in ("start", "start date", "date started", "from"):
        return "start_date"
    if h in ("due", "due date", "target date", "end date", "completion date", "date due",
             "target completion date", "by when"):  # fmt: skip
        return "due_date"
    if words & {"update", "updates", "progress", "comments", "commentary"}:
        return "update"
    if words & {"notes", "note", "remarks"}:
        return "notes"
    return None


def directory_field_for(header: object) -> str | None:
    h = normalise(header)
    return {
        "agency": "agency",
        "organisation": "agency",
        "short name": "short_name",
        "agency email": "agency_email",
        "officer": "officer",
        "initials": "initials",
        "officer email": "officer_email",
    }.get(h)


_TITLE_DIGITS = re.compile(
    r"\b(?:q|quarter\s*)[1-4]\b|\bno\.?\b|\b\d{2}(?:\d{2})?\s*/\s*\d{2}\b"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*['’]?\s*\d{2}(?:\d{2})?\b",
    re.IGNORECASE,
)  # "Q1", "No.", "16/17", "Jun 16": digits a column title may hold


def header_like(texts: list[str]) -> bool:
    """Cheap test first: a header has 2+ short titles without numbers (bar "Q1")."""
    if len(texts) < 2:
        return False
    short = 0
    for text in texts:
        if len(text) > 60 or text.count(" ") > 6:
            return False
        if any(ch.isdigit() for ch in _TITLE_DIGITS.sub("", text)):
            return False
        short += 1
    return short >= 2


def map_header_row(cells: list[object]) -> tuple[str, list[str | None]] | None:
    """("plan" | "directory" | "flat", fields) when ``cells`` look like a header row."""
    texts = [c for c in cells if isinstance(c, str) and c.strip()]
    if len(texts) < 2 or any(len(t) > 80 for t in texts):
        return None
    fields = [field_for(c) if isinstance(c, str) else None for c in cells]
    directory = [directory_field_for(c) if isinstance(c, str) else None for c in cells]
    if ("agency" in directory and ("officer" in directory or "short_name" in directory)
            and not set(fields) & {"action", "objective", "milestones", "rag"}):  # fmt: skip
        return "directory", directory
    mapped = [f for f in fields if f is not None]
    if len(mapped) < 2 or not (set(mapped) & TREE_FIELDS) or set(mapped) <= {"notes", "id"}:
        return None
    if len(mapped) * 10 < len(texts) * 6:  # most titled cells must be recognised
        return None
    return ("flat" if "id" in mapped and "priority" in mapped else "plan"), resolve(fields)


def resolve(fields: list[str | None]) -> list[str | None]:
    """Settle duplicates: a RAG right of "Qn update" is that quarter's, a second RAG right of the
    outcomes is theirs; "Key Milestones" without an Actions column are the actions (seed 004's
    layout); a second use of any other field is ignored."""
    fields = list(fields)
    if "action" not in fields and "milestones" in fields:
        fields[fields.index("milestones")] = "action"
    seen: set[str] = set()
    for i, name in enumerate(fields):
        # Seed 004: "Key Milestones | RAG | Outcomes & Outputs | RAG": the outcomes' own RAG.
        if name == "rag" and "rag" in seen and i > 0 and fields[i - 1] == "outcomes":
            fields[i] = name = "outcomes_rag"
        if name == "rag" and i > 0 and (fields[i - 1] or "").endswith("_update"):
            previous = fields[i - 1] or ""
            if previous.startswith("q"):
                fields[i] = previous.replace("_update", "_rag")
                name = fields[i]
        if name is None:
            continue
        if name in seen and name not in ("id", "notes"):
            fields[i] = "notes"  # a second Lead or Timescale column: kept, as notes
        else:
            seen.add(name)
    return fields
