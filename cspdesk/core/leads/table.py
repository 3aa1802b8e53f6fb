"""Every distinct lead text of an imported plan once, with what it becomes, and the officer's
corrections: typed in the import preview, or given as a mapping file (``--leads MAP.csv``).

A correction is written as the leads read back ("Essex Police – Emma Clark (EC); RDC") and a
note; it is kept in the workspace as a lead alias, so the next import reads the text the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from cspdesk.core.leads.directory import Directory, LeadKey, LeadReading
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.core.leads.text import looks_like_person, norm
from cspdesk.errors import CspdeskError

CSV_COLUMNS = ("Lead text", "Actions", "Agencies and officers", "Note")
_OFFICER = re.compile(r"^(?P<name>.*?)\s*\((?P<ini>[A-Z]{1,4})\)\s*$")


@dataclass(frozen=True)
class LeadRow:
    """One line of the table: a text as written, how many actions use it, what it becomes."""

    text: str
    actions: int
    leads: str
    note: str
    chosen: bool  # the officer's own choice (an alias), not the reader's


def read_leads(draft: PlanDraft) -> None:
    """Read every distinct lead text of the draft and give each action its leads and note.

    Two passes: the first meets "Helen Collins HC" wherever it is, so that "HC" in an earlier
    row already means her in the second.
    """
    texts = list(dict.fromkeys(t for a in draft.actions() for t in a.lead_texts))
    directory = draft.directory
    for text in texts:
        directory.read(text)
    draft.lead_table = {text: directory.read(text) for text in texts}
    assign(draft)
    agencies, officers = draft.new_agencies(), draft.new_officers()
    if agencies or officers:
        draft.add_problem(
            f"the {plural(len(texts), 'lead text')} name {plural(len(agencies), 'new agency')}"
            f" and {plural(len(officers), 'new officer')}; the lead table shows what each text "
            "becomes",
            level="note",
        )


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1] + 'ies' if noun.endswith('cy') else noun + 's'}"


def assign(draft: PlanDraft) -> None:
    for action in draft.actions():
        leads: list[LeadKey] = []
        notes: list[str] = []
        for text in action.lead_texts:
            reading = draft.lead_table.get(text, LeadReading(()))
            leads += [lead for lead in reading.leads if lead not in leads]
            if reading.note and reading.note not in notes:
                notes.append(reading.note)
        action.leads = leads
        action.lead_note = "; ".join(notes)


def rows(draft: PlanDraft) -> list[LeadRow]:
    uses: dict[str, int] = {}
    for action in draft.actions():
        for text in dict.fromkeys(action.lead_texts):
            uses[text] = uses.get(text, 0) + 1
    directory = draft.directory
    return [
        LeadRow(
            text,
            uses.get(text, 0),
            directory.describe(reading.leads),
            reading.note,
            text in draft.lead_choices or norm(text) in directory.aliases,
        )
        for text, reading in draft.lead_table.items()
    ]


def parse_choice(directory: Directory, leads: str) -> tuple[LeadKey, ...]:
    """Leads as the officer typed them: "Agency – Officer (IN); Agency; Officer". A name the
    workspace does not know becomes a new agency, or a new officer when it is a person's."""
    found: list[LeadKey] = []
    for part in filter(None, (p.strip() for p in leads.split(";"))):
        agency_text, dash, officer_text = (s.strip() for s in part.partition(" – "))
        if not dash:
            agency_text, dash, officer_text = (s.strip() for s in part.partition(" - "))
        if dash:
            agency = _agency(directory, agency_text)
            officer = _officer(directory, officer_text, agency)
            found.append((agency, officer))
        elif (known := _known_officer(directory, part)) is not None:
            found.append((directory.officers[known].agency_key, known))
        elif directory.find_agency(part) is None and looks_like_person(_OFFICER.sub(
            r"\g<name>", part
        )):  # fmt: skip
            found.append((None, _officer(directory, part, None)))
        else:
            found.append((_agency(directory, part), None))
    return tuple(dict.fromkeys(found))


def _agency(directory: Directory, name: str) -> int:
    known = directory.find_agency(name)
    if known is not None:
        return known.key
    names = directory.catalogue.names_for(directory.places)
    partner = next((p for n, p in names.items() if norm(n) == norm(name)), None)
    return (directory.add_partner(partner) if partner else directory.add_agency(name)).key


def _known_officer(directory: Directory, text: str) -> int | None:
    m = _OFFICER.match(text)
    name = m.group("name") if m else text
    officer = directory.find_officer(name)
    if officer is None and re.fullmatch(r"[A-Z]{2,4}", text.strip()):
        officer = next((o for o in directory.officers.values() if o.initials == text.strip()), None)
    return None if officer is None else officer.key


def _officer(directory: Directory, text: str, agency: int | None) -> int:
    known = _known_officer(directory, text)
    if known is not None:
        return known
    m = _OFFICER.match(text)
    name, initials = (m.group("name"), m.group("ini")) if m else (text, "")
    return directory.add_officer(name, initials, agency).key


def choose(draft: PlanDraft, text: str, leads: str, note: str) -> None:
    """The officer's reading of ``text``: kept for this import and saved as an alias."""
    reading = LeadReading(parse_choice(draft.directory, leads), " ".join(note.split()))
    if reading == draft.lead_table.get(text) and text not in draft.lead_choices:
        return  # as read: nothing to remember
    draft.lead_table[text] = reading
    draft.lead_choices[text] = reading
    assign(draft)


def apply_choices(draft: PlanDraft, choices: dict[str, tuple[str, str]]) -> list[str]:
    """Apply the officer's readings; returns the texts this workbook does not have."""
    missing = []
    for text, (leads, note) in choices.items():
        if text in draft.lead_table:
            choose(draft, text, leads, note)
        else:
            missing.append(text)
    return missing


# ---- the mapping file ---------------------------------------------------------------------


def write_csv(draft: PlanDraft, path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows(draft):
        writer.writerow([row.text, row.actions, row.leads, row.note])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")


def read_csv(path: Path) -> dict[str, tuple[str, str]]:
    """{lead text: (leads, note)} from a mapping file written by ``--leads-out``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise CspdeskError(f"{path}: cannot read the lead mapping ({error})") from error
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip() for h in header[: len(CSV_COLUMNS)]] != list(CSV_COLUMNS):
        raise CspdeskError(
            f"{path}, row 1: the columns must be {', '.join(CSV_COLUMNS)} "
            "(write one with --dry-run --leads-out)"
        )
    choices: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(CSV_COLUMNS):
            raise CspdeskError(f"{path}, row {number}: {len(row)} columns; 4 are needed")
        choices[row[0]] = (row[2], row[3])
    return choices
