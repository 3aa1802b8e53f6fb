"""Comments partners put on a return's cells (Excel notes, LibreOffice annotations, Excel's
threaded comments and their replies): found in the workbook's parts, since cell values alone
would let them vanish without a word. cspdesk keeps none, so each is listed to the officer as
not merged, with its sheet, cell, author (when the file names one) and text.

The parts have passed the gate (sizes, ratios, no DTD); they are parsed with defusedxml, and a
comments part larger than any return holds refuses the file rather than being read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from cspdesk.io.gate import ImportRefused, refusal
from cspdesk.io.xlsx_fast import FastBook
from cspdesk.returns.diff import Problem, WrittenCell

MAX_COMMENTS_BYTES = 8 * 1024 * 1024  # a return's comments part; 1,000 long comments: 1 MB
_NOTES = "/relationships/comments"
_THREADED = "/relationships/threadedComment"
_PERSON = "/relationships/person"
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


@dataclass(frozen=True)
class CellComment:
    sheet: str
    row: int
    column: str  # letter
    author: str  # "" when the file names none
    text: str
    reply: int = 0  # the nth reply to an Excel threaded comment; 0: the comment itself
    unread: bool = False  # found, but its text could not be read (an .xls note)

    def note(self) -> tuple[WrittenCell, Problem]:
        """The comment as a cell of the ledger (its own column name, so the cell it is on
        keeps its own fate) and the note that names it."""
        where = f"{self.column} (reply {self.reply})" if self.reply else f"{self.column} (comment)"
        kind = "reply to the comment" if self.reply else "comment"
        by = f" by {self.author}" if self.author else ""
        if self.unread:
            return (
                WrittenCell(self.sheet, self.row, where, "(a comment cspdesk could not read)"),
                Problem(
                    f"the comment{by} on cell {self.column}{self.row} could not be read from "
                    "this .xls and was not merged; save the file as .xlsx (in LibreOffice: File "
                    "> Save As, type Excel 2007-365) to see it, or open the file to read it",
                    self.sheet,
                    self.row,
                    where,
                ),
            )
        return (
            WrittenCell(self.sheet, self.row, where, self.text),
            Problem(
                f"the {kind}{by} on cell {self.column}{self.row}, {self.text[:200]!r}, was not "
                "merged (cspdesk keeps what is typed in the cells, not comments); copy it into "
                "the plan yourself if it is needed",
                self.sheet,
                self.row,
                where,
            ),
        )


def cell_comments(book: FastBook) -> list[CellComment]:
    """Every comment on every sheet of ``book``, in sheet order, then by cell; ImportRefused
    when a part holding them is damaged or too large (nothing is merged from the file)."""
    try:
        return _comments(book)
    except ImportRefused:
        raise
    except Exception as error:  # zipfile and the XML parser raise many types on damage
        raise refusal(book.path, error) from error


def _comments(book: FastBook) -> list[CellComment]:
    with zipfile.ZipFile(book.path) as archive:
        names = {name.lower(): name for name in archive.namelist()}
    if not any("comment" in name for name in names):
        return []  # nearly every return: nothing more to read
    persons = _persons(book, names)
    found: list[CellComment] = []
    for sheet in book.sheets:
        member = sheet.member
        if member is None:
            continue
        rels = names.get(
            posixpath.join(
                posixpath.dirname(member), "_rels", posixpath.basename(member) + ".rels"
            ).lower()
        )
        if rels is None:
            continue
        targets = _targets(book, rels, posixpath.dirname(member), names)
        threaded = [
            comment
            for target in targets.get(_THREADED, [])
            for comment in _threaded(book, sheet.name, target, persons)
        ]
        replaced = {(c.row, c.column) for c in threaded}
        notes = [
            comment
            for target in targets.get(_NOTES, [])
            for comment in _notes(book, sheet.name, target)
            if (comment.row, comment.column) not in replaced  # Excel's copy of a threaded one
        ]
        found += sorted(notes + threaded, key=lambda c: (c.row, len(c.column), c.column))
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(book: FastBook, member: str) -> Element:
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(book.path) as archive:
        size = archive.getinfo(member).file_size
    if size > MAX_COMMENTS_BYTES:
        raise ImportRefused(
            book.path,
            f"its part {member} (cell comments) is {size // 1_048_576} MB, more than a return "
            "ever holds; refused as a possibly crafted file (ask for a fresh copy)",
        )
    return fromstring(book.part_bytes(member))


def _targets(book: FastBook, rels: str, folder: str, names: dict[str, str]) -> dict[str, list[str]]:
    """The parts a relationships part points to, by the end of their type."""
    found: dict[str, list[str]] = {}
    for element in _xml(book, rels).iter():
        if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
            continue
        kinds = (_NOTES, _THREADED, _PERSON)
        kind = next((k for k in kinds if element.get("Type", "").endswith(k)), None)
        target = element.get("Target", "").replace("\\", "/")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        member = names.get(posixpath.normpath(path).lower())
        if kind is not None and member is not None:
            found.setdefault(kind, []).append(member)
    return found


def _persons(book: FastBook, names: dict[str, str]) -> dict[str, str]:
    """Excel's threaded-comment authors: person id -> display name."""
    rels = names.get("xl/_rels/workbook.xml.rels")
    if rels is None:
        return {}
    persons: dict[str, str] = {}
    for member in _targets(book, rels, "xl", names).get(_PERSON, []):
        for element in _xml(book, member).iter():
            if _local(element.tag) == "person" and element.get("id"):
                persons[element.get("id", "")] = element.get("displayName", "").strip()
    return persons


def _cell(ref: str | None) -> tuple[int, str] | None:
    match = _REF.fullmatch((ref or "").strip().upper())
    return (int(match.group(2)), match.group(1)) if match else None


def _notes(book: FastBook, sheet: str, member: str) -> list[CellComment]:
    root = _xml(book, member)
    authors = ["".join(e.itertext()).strip() for e in root.iter() if _local(e.tag) == "author"]
    found = []
    for element in root.iter():
        cell = _cell(element.get("ref")) if _local(element.tag) == "comment" else None
        if cell is None:
            continue
        text = next((e for e in element if _local(e.tag) == "text"), None)
        words = _text(text) if text is not None else ""
        try:
            author = authors[int(element.get("authorId", ""))]
        except (ValueError, IndexError):
            author = ""
        if words:
            found.append(CellComment(sheet, cell[0], cell[1], author, words))
    return found


def _text(element: Element) -> str:
    """A comment's words: its runs' text, without the phonetic guides (rPh) Excel adds."""
    skipped = {
        id(t)
        for ph in element.iter()
        if _local(ph.tag) == "rPh"
        for t in ph.iter()
        if _local(t.tag) == "t"
    }
    parts = [
        t.text for t in element.iter() if _local(t.tag) == "t" and t.text and id(t) not in skipped
    ]
    return "".join(parts).strip()


def _threaded(
    book: FastBook, sheet: str, member: str, persons: dict[str, str]
) -> list[CellComment]:
    found = []
    replies: dict[tuple[int, str], int] = {}
    for element in _xml(book, member).iter():
        cell = _cell(element.get("ref")) if _local(element.tag) == "threadedComment" else None
        if cell is None:
            continue
        text = next((e for e in element if _local(e.tag) == "text"), None)
        words = "".join(text.itertext()).strip() if text is not None else ""
        author = persons.get(element.get("personId", ""), "")
        reply = 0
        if element.get("parentId"):
            reply = replies[cell] = replies.get(cell, 0) + 1
        if words:
            found.append(CellComment(sheet, cell[0], cell[1], author, words, reply))
    return found
