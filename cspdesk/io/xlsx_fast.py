"""A gated workbook's values read with python-calamine, without openpyxl's object model.

The file passes ``gate.check_file`` first (type sniff, zip sizes and ratios, no DTD or entity
in any XML part). The few small parts read in Python (the workbook's sheet list and defined
names, its relationships, the custom document properties) are parsed with defusedxml. Cell
values are read by calamine, which parses in Rust and never evaluates anything (a formula cell
gives its cached value): about 25 times faster than openpyxl's read-only mode here.

calamine lays a sheet out as one dense grid from its first to its last cell, so a crafted
sheet with cells at A1 and XFD1048576 would ask for terabytes and abort the process (no Python
exception to catch). ``FastBook.rows`` therefore bounds a sheet's extent from its XML (cell
references and untagged rows and cells) before calamine is asked for it. The parts checked are
found the way calamine finds them (zip names compared ignoring case, a relationship target
prefixed with "xl/" without normalising it) and the way openpyxl does (normalised paths); the
gate has already refused a zip holding two names that differ only in case.
"""

from __future__ import annotations

import math
import posixpath
import re
import string
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from cspdesk.io.gate import MAX_CELLS, MAX_ROWS, ImportRefused, check_file, refusal

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
ROOT_RELS = "_rels/.rels"
CUSTOM_PART = "docProps/custom.xml"
# A cell or row start tag (any namespace prefix) up to its r attribute or its end; quoted
# attribute values are skipped whole, since they may hold ">" or 'r="'.
_TAG = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?(c|row)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?"""
    rb"""(?:\sr\s*=\s*["']([^"']*)["']|/?>)"""
)
# The same without a namespace prefix: for a part where no prefixed cell or row tag can be
# (no ":c" or ":row" anywhere), where it finds the same tags in about half the time.
_PLAIN_TAG = re.compile(
    rb"""<(c|row)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(?:\sr\s*=\s*["']([^"']*)["']|/?>)"""
)
# Where no cell or row start tag has a namespace prefix or begins otherwise than with its r
# attribute, a reference as a spreadsheet writes it (as Excel, LibreOffice and openpyxl write
# them), these find the same references as the patterns above, in about a third of the time
# (a literal start, no tag to walk).
_PREFIXED_START = re.compile(rb":(?:c|row)[\s/>]")
_OTHER_CELL_START = re.compile(rb'<c(?! r=")[\s/>]')
_OTHER_ROW_START = re.compile(rb'<row(?! r=")[\s/>]')
_PLAIN_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"')
_PLAIN_ROW_REF = re.compile(rb'<row r="([0-9]{1,7})"')
_CELL_REFS = re.compile(rb"(?:[A-Z]{1,3}[0-9]{1,7}(?:\n|$))*")
_ROW_REFS = re.compile(rb"(?:[0-9]{1,7}(?:\n|$))*")
# A cell that holds nothing, with its own reference (<c r="I9" s="3"/>, <c r="I9"></c>), and a
# row with its own reference left holding no cell (LibreOffice ends a sheet whose row was
# deleted with an empty <row r="1048576">). Neither is laid out by calamine.
_EMPTY_CELL = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?c\s(?:[^>"']|"[^"]*"|'[^']*')*?\br\s*=\s*["'][A-Z]{1,3}[0-9]{1,7}["']"""
    rb"""(?:[^>"'/]|"[^"]*"|'[^']*')*(?:/>|>\s*</(?:[A-Za-z_][\w.-]*:)?c>)"""
)
_EMPTY_ROW = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?row\s(?:[^>"']|"[^"]*"|'[^']*')*?\br\s*=\s*["'][0-9]{1,7}["']"""
    rb"""(?:[^>"'/]|"[^"]*"|'[^']*')*(?:/>|>\s*</(?:[A-Za-z_][\w.-]*:)?row>)"""
)
_UPPER = string.ascii_uppercase.encode()
_NUMERALS = string.digits.encode()


@dataclass
class SheetPart:
    name: str
    state: str  # "visible", "hidden" or "veryHidden"
    members: tuple[str, ...] = ()  # every zip part a reader may open as this sheet

    @property
    def member(self) -> str | None:
        return self.members[0] if self.members else None


@contextmanager
def reader_failures(path: Path, sheet: str | None = None) -> Iterator[None]:
    """Whatever a reader library raises inside, as the importer's one-line refusal.

    calamine's Rust panics reach Python as pyo3's PanicException, a BaseException, so an
    ``except Exception`` lets them through as a traceback (or ends the window); they are caught
    here. Ctrl+C and exit still pass.
    """
    try:
        yield
    except ImportRefused:
        raise
    except BaseException as error:
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise refusal(path, error, sheet=sheet) from error


@dataclass
class FastBook:
    path: Path
    sheets: list[SheetPart]
    defined_names: dict[str, str] = field(default_factory=dict)
    custom_props: dict[str, str] = field(default_factory=dict)
    _calamine: Any = None
    _parts: dict[str, bytes] = field(default_factory=dict)  # sheet XML read once for all checks

    @property
    def sheetnames(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> SheetPart | None:
        return next((s for s in self.sheets if s.name == name), None)

    def rows(self, name: str) -> list[list[object]]:
        """Every row of sheet ``name`` from A1 (row i is sheet row i + 1), empty cells as None;
        ImportRefused naming the sheet when it is too large or cannot be read."""
        parts = [s for s in self.sheets if s.name == name]
        if not parts:
            raise ImportRefused(self.path, "no such sheet", sheet=name)
        for part in parts:
            check_extent(self.path, part, self.part_bytes)
        with reader_failures(self.path, sheet=name):
            if self._calamine is None:
                from python_calamine import CalamineWorkbook

                self._calamine = CalamineWorkbook.from_path(str(self.path))
            grid = self._calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return [[None if v == "" else v for v in row] for row in grid]

    def part_bytes(self, member: str) -> bytes:
        """The zip part ``member`` uncompressed, read once (it raises what zipfile raises)."""
        if member not in self._parts:
            with zipfile.ZipFile(self.path) as archive:
                self._parts[member] = archive.read(member)
        return self._parts[member]

    def close(self) -> None:
        self._parts.clear()
        if self._calamine is not None:
            self._calamine.close()
            self._calamine = None

    def __enter__(self) -> FastBook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_fast(path: Path | str) -> FastBook:
    """Gate ``path`` and read its sheet list, defined names and custom properties."""
    path = Path(path)
    parts: dict[str, bytes] = {}  # the sheets among them are not inflated again
    check_file(path, keep=parts)
    try:
        with zipfile.ZipFile(path) as archive:
            names = {name.lower(): name for name in archive.NameToInfo}
            workbook = _xml(archive, names[WORKBOOK_PART])
            targets = _relationships(archive, names, WORKBOOK_RELS, "xl")
            root_targets = _relationships(archive, names, ROOT_RELS, "")
            custom_member = next(
                (t[0] for kind, t in root_targets.values() if kind.endswith("/custom-properties")),
                CUSTOM_PART,
            )
            custom_name = names.get(custom_member.lower())
            custom = _xml(archive, custom_name) if custom_name else None
    except ImportRefused:
        raise
    except Exception as error:  # zipfile and the XML parser raise many types on damage
        raise refusal(path, error) from error
    sheets: list[SheetPart] = []
    defined: dict[str, str] = {}
    for element in workbook.iter():
        tag = _local(element.tag)
        if tag == "sheet":
            rel = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            found = targets.get(rel or "", ("", ()))[1]
            members = tuple(dict.fromkeys(names[t.lower()] for t in found if t.lower() in names))
            sheets.append(
                SheetPart(element.get("name", ""), element.get("state", "visible"), members)
            )
        elif tag == "definedName" and element.get("name"):
            defined.setdefault(element.get("name", ""), (element.text or "").strip())
    props: dict[str, str] = {}
    for element in custom.iter() if custom is not None else ():
        if _local(element.tag) == "property" and element.get("name"):
            props[element.get("name", "")] = "".join(element.itertext()).strip()
    return FastBook(path, sheets, defined, props, _parts=parts)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml(archive: zipfile.ZipFile, member: str) -> Element:
    from defusedxml.ElementTree import fromstring

    return fromstring(archive.read(member))


def _relationships(
    archive: zipfile.ZipFile, names: dict[str, str], member: str, base: str
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Relationship id -> (type, the zip paths readers may take its target for).

    External targets are kept: calamine does not skip them.
    """
    actual = names.get(member.lower())
    if actual is None:
        return {}
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for element in _xml(archive, actual).iter():
        if _local(element.tag) != "Relationship":
            continue
        raw = element.get("Target", "")
        target = raw.replace("\\", "/")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        paths = [posixpath.normpath(resolved)]
        if base == "xl":  # calamine: "/xl/x" and "xl/x" as they are, else "xl/" + target
            calamine = raw[1:] if raw.startswith("/xl/") else raw
            paths.append(calamine if calamine.startswith("xl/") else f"xl/{raw}")
        found[element.get("Id", "")] = (element.get("Type", ""), tuple(paths))
    return found


def sheet_extent(data: bytes) -> tuple[int, int] | None:
    """An upper bound on (rows, columns) of the grid calamine lays out for sheet XML ``data``:
    the largest row and column referenced, plus rows and cells that carry no reference (each
    takes the next position). None when a reference is not one a spreadsheet writes."""
    return _extent(*_references(data))


def _extent(
    cell_refs: list[bytes], row_refs: list[bytes], checked: bool = False
) -> tuple[int, int] | None:
    """``sheet_extent`` from the references ``_references`` found (``checked``: each is
    known to be one a spreadsheet writes)."""
    if checked:
        untagged_cells = untagged_rows = 0
        cells, rows = b"\n".join(cell_refs), b"\n".join(row_refs)
    else:
        untagged_cells, untagged_rows = cell_refs.count(b""), row_refs.count(b"")
        cells = b"\n".join(filter(None, cell_refs))
        rows = b"\n".join(filter(None, row_refs))
        if not (_CELL_REFS.fullmatch(cells) and _ROW_REFS.fullmatch(rows)):
            return None
    # Both are lines of letters and digits now: deleting one kind leaves the other's runs.
    numbers = set((cells + b"\n" + rows).translate(None, _UPPER).split())  # a row's, once
    last_row = max(map(int, numbers), default=0)
    last_column = 0
    for letters in set(cells.translate(None, _NUMERALS).split()):
        number = 0
        for char in letters:
            number = number * 26 + char - 64
        last_column = max(last_column, number)
    return last_row + untagged_rows, last_column + untagged_cells


def _references(data: bytes) -> tuple[list[bytes], list[bytes], bool]:
    """The r attribute (b"" when none) of every cell start tag, and of every row start tag,
    in sheet XML ``data``; and whether each is known to be one a spreadsheet writes."""
    if not (
        _PREFIXED_START.search(data)
        or _OTHER_CELL_START.search(data)
        or _OTHER_ROW_START.search(data)
    ):
        cells, rows = _PLAIN_CELL_REF.findall(data), _PLAIN_ROW_REF.findall(data)
        if len(cells) == data.count(b'<c r="') and len(rows) == data.count(b'<row r="'):
            return cells, rows, True
    return *_walked_references(data), False


def _walked_references(data: bytes) -> tuple[list[bytes], list[bytes]]:
    """``_references`` found by walking each start tag's attributes up to its r attribute."""
    found = (_TAG if b":c" in data or b":row" in data else _PLAIN_TAG).findall(data)
    return [ref for tag, ref in found if tag == b"c"], [ref for tag, ref in found if tag != b"c"]


def filled_extent(data: bytes) -> tuple[int, int] | None:
    """``sheet_extent`` of the cells that hold something: empty cells and rows that carry
    their own reference are left out, as calamine leaves them out. Only for a sheet where
    every row and cell carries one (an untagged one takes its place from those before)."""
    extent = sheet_extent(data)
    if extent is None:
        return None
    cell_refs, row_refs, _ = _references(data)
    if b"" in cell_refs or b"" in row_refs:
        return extent
    return sheet_extent(_EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", data)))


def check_extent(path: Path, part: SheetPart, read: Callable[[str], bytes] | None = None) -> int:
    """Refuse the sheet when any part a reader may open for it spans too large a grid, or
    holds a number no reader can take (see ``check_numbers``); returns the cells of the
    largest grid. ``read``: how to get a part's bytes (default: from the file)."""
    if read is None:

        def read(member: str) -> bytes:
            with zipfile.ZipFile(path) as archive:
                return archive.read(member)

    cells = 0
    for member in part.members:
        try:
            data = read(member)
        except Exception as error:
            raise refusal(path, error, sheet=part.name) from error
        cells = max(cells, _check_sheet_xml(path, part.name, data))
        check_numbers(path, part.name, data, lambda: date_styles(path))
    return cells


def _check_sheet_xml(path: Path, sheet: str, data: bytes) -> int:
    extent = sheet_extent(data)
    if extent is None:
        raise ImportRefused(
            path,
            "a cell reference in this sheet is not one Excel writes; open the file in Excel, "
            "save it again and retry",
            sheet=sheet,
        )
    rows, columns = extent
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        # Judged by the cells that hold something: empty rows and cells a program wrote far
        # below the table (LibreOffice after a row is deleted) are not laid out.
        extent = filled_extent(data)
        rows, columns = extent if extent is not None else (rows, columns)
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise ImportRefused(
            path,
            f"cells span up to {rows:,} rows by {columns:,} columns, too large to read "
            "(delete the empty rows and columns around the table, save, and try again)",
            sheet=sheet,
        )
    return rows * columns


# Excel's largest number is 9.99999999999999E+307; a date or time cell holds days since 1900,
# and Excel shows ##### beyond 31 Dec 9999 (2,958,465). calamine panics turning a date cell
# beyond about 1e11 days into a time, openpyxl makes it an error value, and NaN reads as
# 30 Dec 1899: such a number is refused where it enters, naming its cell.
MAX_DATE_SERIAL = 2_958_465
# Only "v>" is searched for (a literal the regex engine finds fast), the tag's start checked
# after: about half the time of matching the whole tag at every "<".
_SUSPECT_NUMBER = re.compile(
    rb"v>(?=\s*[-+]?(?:[iInN]|[0-9.]*[eE][-+]?0*[0-9]{2}|[0-9]{7}))([^<]*)<"
)
_VALUE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?$")
# Also a <v> start tag with spaces or attributes in it (Excel never writes one; calamine reads
# it), looked for only in a part that has one.
_SUSPECT_ANY = re.compile(
    rb"v(?:\s[^>]*)?>(?=\s*[-+]?(?:[iInN]|[0-9.]*[eE][-+]?0*[0-9]{2}|[0-9]{7}))([^<]*)<"
)
# Each starts with a literal the regex engine finds fast ("<v" and ":" are rare in a sheet).
_SPACED_VALUE_TAGS = [re.compile(rb"<v[ \t\n\r]"), re.compile(rb":v[ \t\n\r]")]
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>]")
_ATTRIBUTE = re.compile(rb"""\s([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TEXT_TYPES = {b"s", b"str", b"inlineStr", b"b", b"e"}
# calamine's built-in date and time formats (openpyxl knows 14-22 and 45-47 of them).
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])


def check_numbers(path: Path, sheet: str, data: bytes, dates: Callable[[], frozenset[int]]) -> None:
    """Refuse a number cell in sheet XML ``data`` that is not finite (inf, NaN, beyond
    Excel's largest), or that is a date or time beyond 31 Dec 9999. ``dates``: the style
    indexes (s=) that format a cell as a date, asked only when a large number is found."""
    styles: frozenset[int] | None = None
    spaced = any(tag.search(data) for tag in _SPACED_VALUE_TAGS)
    pattern = _SUSPECT_ANY if spaced else _SUSPECT_NUMBER
    for match in pattern.finditer(data):
        if not _VALUE_TAG.search(data, max(0, match.start() - 40), match.start()):
            continue  # the end of another tag's name, such as <dv> or <xv>
        try:
            number = float(match.group(1).strip())
        except ValueError:
            continue  # not a number at all: the reader refuses or reads it as text
        if math.isfinite(number) and abs(number) <= MAX_DATE_SERIAL:
            continue
        cell = _cell_attributes(data, match.start())
        if cell.get(b"t") in _TEXT_TYPES:
            continue
        reference = cell.get(b"r", b"").decode("ascii", "replace")
        if math.isfinite(number):
            styles = dates() if styles is None else styles
            if _style(cell) not in styles:
                continue
            why = f"the date cell holds {number:g}, no date Excel shows (its last is 31 Dec 9999)"
        else:
            text = match.group(1).strip().decode("ascii", "replace")
            why = f"the number {text!r} is not one Excel writes"
        letters = reference.rstrip(string.digits)
        digits = reference[len(letters) :]
        raise ImportRefused(
            path,
            f"{why}; put the right value in the cell, save, and retry",
            sheet=sheet,
            row=int(digits) if digits.isdigit() else None,
            column=letters or None,
        )


def _cell_attributes(data: bytes, before: int) -> dict[bytes, bytes]:
    """The attributes of the last cell start tag before offset ``before``."""
    start = before
    while True:
        start = max(data.rfind(b"<c", 0, start), data.rfind(b":c", 0, start))
        if start < 0:
            return {}
        opening = data.rfind(b"<", 0, start + 1)
        found = _CELL_START.match(data, opening) if opening >= 0 else None
        if found is not None and found.end() == start + 3:
            break
    end = data.find(b">", start)
    return {
        m.group(1): m.group(2) or m.group(3) or b""
        for m in _ATTRIBUTE.finditer(data, start, end if end >= 0 else len(data))
    }


def _style(cell: dict[bytes, bytes]) -> int:
    try:
        return int(cell.get(b"s", b"0"))
    except ValueError:
        return -1


def date_styles(path: Path) -> frozenset[int]:
    """The cell style indexes (s=) of ``path`` that show a number as a date or time, read from
    the styles part the way calamine reads it (xl/styles.xml, letter case aside)."""
    from defusedxml.ElementTree import fromstring
    from openpyxl.styles.numbers import is_date_format

    try:
        with zipfile.ZipFile(path) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            member = names.get("xl/styles.xml")
            if member is None:
                return frozenset()
            root = fromstring(archive.read(member))
    except Exception as error:
        raise refusal(path, error) from error
    custom = {
        element.get("numFmtId"): element.get("formatCode") or ""
        for element in root.iter()
        if _local(element.tag) == "numFmt"
    }
    found: set[int] = set()
    holder = next((e for e in root.iter() if _local(e.tag) == "cellXfs"), None)
    for index, xf in enumerate(
        e for e in (holder if holder is not None else ()) if _local(e.tag) == "xf"
    ):
        number_format = xf.get("numFmtId", "0")
        if number_format in custom:
            if is_date_format(custom[number_format]):
                found.add(index)
        elif number_format.isdigit() and int(number_format) in _BUILTIN_DATE_FORMATS:
            found.add(index)
    return frozenset(found)
