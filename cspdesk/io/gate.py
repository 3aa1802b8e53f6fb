"""The one gate every imported workbook passes before any parsing.

It sniffs the real file type (whatever the extension says), checks the zip's declared sizes and
compression ratios, refuses XML that declares a DTD with entities, makes sure defusedxml is
active, and opens the workbook with openpyxl without evaluating anything. ``read_rows`` then
reads every sheet's values with caps on rows, columns and cells. Every refusal is an
ImportRefused naming the file (and sheet and row when known) and what to do.
"""

from __future__ import annotations

import contextlib
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cspdesk.errors import CspdeskError
from cspdesk.io.sniff import OLE2_MAGIC, describe_kind, sniff

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_MEMBER_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024  # small parts cannot do harm whatever their ratio
MAX_MEMBERS = 10_000
# Normal (not read-only) mode keeps every cell object in memory, about 50 times the XML size.
MAX_FULL_LOAD_SHEET_BYTES = 20 * 1024 * 1024
MAX_MERGED_RANGES = 5_000
# What the largest plan, return or figures sheet needs, with room to spare (a 10,000-action
# export: 240,000 cells, 41,000 strings); within these every file reads in under 500 MB and
# 10 s here (400,000 cells of 150,000 strings: 5.2 s, 292 MB; a 50,000-action plan imported:
# 8.8 s, 221 MB; 2,000,000 cells took 17 s and 920 MB).
MAX_ROWS = 50_000
MAX_COLUMNS = 16_384  # Excel's own limit; the cell budget is what bounds memory
MAX_SHEETS = 100
MAX_CELLS = 400_000  # in one sheet's used range, and in all the sheets read together
MAX_SHARED_STRINGS = 150_000
MAX_MERGED_CELLS = 200_000  # cells covered by merged ranges, in all
MAX_FULL_LOAD_CELLS = 100_000  # openpyxl's full load keeps an object per cell (figures sheets)
KEPT_PART_BYTES = 20 * 1024 * 1024  # check_file's parts kept for the reader, at most, in all
XML_HEAD_BYTES = 4096
_DTD_ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_STRICT_NAMESPACE = b"purl.oclc.org/ooxml/spreadsheetml"
_STRING_START = re.compile(rb"[<:]si[\s>]")  # a shared string, with or without a prefix
_MERGE_START = re.compile(rb"[<:]mergeCell[\s/>]")
_STRING_TABLE = re.compile(rb"<(?:\w+:)?sst[\s>]")
# openpyxl warns (with its install path) about parts it drops, such as data validation
# extensions: nothing the user can act on, and printed above our own message.
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")


class ImportRefused(CspdeskError):
    """A file (or a cell in it) that cannot be imported; says where and what to do."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.reason = reason
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        where = [self.path.name]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"


def check_file(path: Path | str, keep: dict[str, bytes] | None = None) -> None:
    """Refuse anything that is not a plausible, bounded .xlsx zip. Parses no XML.

    ``keep``: given, the XML parts the checks read whole are put there by zip name (up to
    KEPT_PART_BYTES in all), so that a reader need not inflate them again."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused(path, "no such file")
    if not path.is_file():
        raise ImportRefused(path, "is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            path,
            f"the file is {size // 1_048_576} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB",
        )
    try:
        kind = sniff(path)
    except OSError as error:
        raise ImportRefused(path, f"the file cannot be read ({error.strerror or error})") from error
    if kind != "zip":
        raise ImportRefused(path, describe_kind(kind))
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            _check_members(path, members, names)
            _check_xml_heads(path, archive, members)
            _check_not_strict(path, archive)
            _check_shared_strings(path, archive, members)
            _check_merge_counts(path, archive, members, keep)
    except ImportRefused:
        raise
    except Exception as error:  # zipfile raises odd types on crafted headers
        raise ImportRefused(
            path, "the workbook is damaged (its zip container is broken); ask for a fresh copy"
        ) from error


def _check_members(path: Path, members: list[zipfile.ZipInfo], names: set[str]) -> None:
    if "xl/workbook.xml" not in names:
        raise ImportRefused(path, describe_kind(_zip_kind(names)))
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(path, f"the workbook has {len(members)} parts; too many to be safe")
    _check_unique_names(path, members)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportRefused(path, "parts of this workbook are encrypted; remove the password")
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM and ratio > MAX_MEMBER_RATIO:
            raise ImportRefused(
                path,
                f"part {member.filename} expands {ratio:.0f}-fold; refused as a possible zip bomb",
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportRefused(
            path,
            f"the workbook expands to {total // 1_048_576} MB; the limit is "
            f"{MAX_UNCOMPRESSED_BYTES // 1_048_576} MB",
        )


def _check_unique_names(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse two parts whose names differ at most in letter case.

    Readers pick different ones (calamine the first match ignoring case, zipfile the last of an
    exact name), so checks made on one part would not cover what another reader opens.
    """
    seen: dict[str, str] = {}
    for member in members:
        key = member.filename.lower()
        if key in seen:
            twins = (
                f"the part {member.filename} appears twice"
                if seen[key] == member.filename
                else f"the parts {seen[key]} and {member.filename} differ only in letter case"
            )
            raise ImportRefused(
                path,
                f"{twins}, which Excel never writes; refused as a possibly crafted file "
                "(ask for a fresh copy)",
            )
        seen[key] = member.filename


def has_twin_parts(members: list[zipfile.ZipInfo]) -> bool:
    """True when two parts' names differ at most in letter case: a file every importer refuses
    (``_check_unique_names``), so none may first make a copy that keeps only one of them."""
    names = [member.filename.lower() for member in members]
    return len(set(names)) != len(names)


def _zip_kind(names: set[str]) -> str:
    if "word/document.xml" in names:
        return "docx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    return "other-zip"


def _check_xml_heads(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Refuse XML parts declaring a DTD or entities (billion laughs, external entities).

    Excel never writes a DTD; defusedxml would stop the entities anyway, this names the cause.
    """
    for member in members:
        if not member.filename.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(member) as handle:
            head = handle.read(XML_HEAD_BYTES)
        if _DTD_ENTITY.search(head):
            raise ImportRefused(
                path,
                f"part {member.filename} declares a DTD or entities, which Excel never writes; "
                "refused as a possible XML bomb",
            )


def _check_not_strict(path: Path, archive: zipfile.ZipFile) -> None:
    """Strict Open XML keeps the cells under other namespaces: both readers would see no sheet
    at all, and the user would be told the workbook is empty."""
    with archive.open("xl/workbook.xml") as handle:
        if _STRICT_NAMESPACE in handle.read(XML_HEAD_BYTES):
            raise ImportRefused(path, describe_kind("strict"))


def _is_string_table(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """A shared-string table by its root element, wherever a relationship put it (openpyxl
    follows the relationship, calamine the usual name)."""
    if member.filename.lower().endswith("sharedstrings.xml"):
        return True
    with archive.open(member) as handle:
        return _STRING_TABLE.search(handle.read(XML_HEAD_BYTES)) is not None


def _check_merge_counts(
    path: Path,
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    keep: dict[str, bytes] | None = None,
) -> None:
    """Refuse thousands of merged ranges before a reader lists them (openpyxl's full load
    slows sharply with many merges: 50,000 took 17 s). ``keep``: as check_file's."""
    for member in members:
        if not member.filename.lower().endswith(".xml"):
            continue
        merges = _count_in_member(archive, member, _MERGE_START, 11, b"mergeCell", keep)
        if merges > MAX_MERGED_RANGES:
            raise ImportRefused(
                path,
                f"{member.filename} has {merges:,} merged cell ranges; the limit is "
                f"{MAX_MERGED_RANGES:,} (unmerge the cells, save, and import again)",
            )


def _check_shared_strings(
    path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
) -> None:
    """Refuse a shared-string table longer than any plan needs: both readers load it whole
    before the first cell (17 million short strings took 3.5 GB)."""
    for member in members:
        if not _is_string_table(archive, member):
            continue
        count = _count_in_member(archive, member, _STRING_START, 4, b"si")
        if count > MAX_SHARED_STRINGS:
            raise ImportRefused(
                path,
                f"the workbook holds {count:,} different texts; the limit is "
                f"{MAX_SHARED_STRINGS:,} (is this the right file?)",
            )


def check_merges(path: Path, sheet: str, ranges: list[tuple[int, int, int, int]]) -> set[int]:
    """Refuse merged ranges (row0, col0, row1, col1, inclusive) that cover too many cells in all
    or overlap (Excel never writes overlapping merges); returns the covered cells as
    ``row * MAX_COLUMNS + col``, so a caller lays them out without a second pass."""
    area = sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in ranges)
    if area > MAX_MERGED_CELLS:
        raise ImportRefused(
            path,
            f"merged cells cover {area:,} cells; the limit is {MAX_MERGED_CELLS:,} (unmerge the "
            "cells, save, and import again)",
            sheet=sheet,
        )
    covered: set[int] = set()
    for r0, c0, r1, c1 in ranges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                key = r * MAX_COLUMNS + c
                if key in covered:
                    raise ImportRefused(
                        path,
                        "merged cell ranges overlap (at row "
                        f"{r + 1}, column {c + 1}), which Excel never writes; open the file in "
                        "Excel or LibreOffice, unmerge and merge those cells again, save, and "
                        "retry",
                        sheet=sheet,
                    )
                covered.add(key)
    return covered


_MERGE_REF = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?ref\s*=\s*["\']([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?'
)


def merge_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges in sheet XML ``data``, 0-based and inclusive."""
    found = []
    for c0, r0, c1, r1 in _MERGE_REF.findall(data):
        first_col, first_row = _column_number(c0) - 1, int(r0) - 1
        last_col = _column_number(c1) - 1 if c1 else first_col
        last_row = int(r1) - 1 if r1 else first_row
        found.append((first_row, first_col, max(first_row, last_row), max(first_col, last_col)))
    return found


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def open_workbook(path: Path | str, *, read_only: bool = False) -> Workbook:
    """Gate ``path`` and open it with openpyxl (cached values, never formulas evaluated).

    In read-only mode every sheet's dimensions are reset, since a lying <dimension> tag
    would otherwise hide rows.
    """
    path = Path(path)
    check_file(path)
    if not read_only:
        _check_full_load(path)
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise ImportRefused(path, "defusedxml is not installed; refusing to read untrusted XML")
    try:
        workbook = openpyxl.load_workbook(
            path, read_only=read_only, data_only=True, keep_links=False
        )
        if read_only:
            for sheet in workbook.worksheets:
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()
        else:
            _check_extent(path, workbook)
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises many types on damaged files
        raise refusal(path, error) from error
    return workbook


def _check_extent(path: Path, workbook: Workbook) -> None:
    """Refuse sheets whose used range is too big: iterating it cell by cell would not end."""
    for sheet in workbook.worksheets:
        if sheet.max_row > MAX_ROWS:
            raise ImportRefused(
                path,
                f"cells reach down to row {sheet.max_row:,}; the limit is {MAX_ROWS:,} rows "
                "(delete the empty rows below the table, save, and import again)",
                sheet=sheet.title,
            )
        area = sheet.max_row * sheet.max_column
        if area > MAX_CELLS:
            raise ImportRefused(
                path,
                f"cells span {sheet.max_row:,} rows by {sheet.max_column:,} columns, too large "
                "to read (delete the empty rows and columns around the table, save, and import "
                "again)",
                sheet=sheet.title,
            )


def _check_full_load(path: Path) -> None:
    """Bounds for a full load of every sheet openpyxl will open: the XML size, the cells
    spanned and the merged ranges (openpyxl's full load makes an object for every merged
    cell: 50,000 merges took 17 s, 4,000 overlapping ones 320 s)."""
    from cspdesk.io.xlsx_fast import check_numbers, date_styles, open_fast

    with open_fast(path) as book:
        parts = [(part.name, member) for part in book.sheets for member in part.members]
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(archive.getinfo(member).file_size for _, member in parts)
            if size > MAX_FULL_LOAD_SHEET_BYTES:
                raise ImportRefused(
                    path,
                    f"the sheets hold {size // 1_048_576} MB of cell data, too much to read with "
                    "formatting; delete unused rows and columns, save, and import again",
                )
            cells = 0
            for sheet, member in parts:
                data = archive.read(member)
                check_merges(path, sheet, merge_ranges(data))
                cells += _extent_cells(path, sheet, data)
                check_numbers(path, sheet, data, lambda: date_styles(path))
                if cells > MAX_FULL_LOAD_CELLS:
                    raise ImportRefused(
                        path,
                        f"the sheets span more than {MAX_FULL_LOAD_CELLS:,} cells, too many to "
                        "read with formatting; delete unused rows and columns, save, and import "
                        "again",
                        sheet=sheet,
                    )
    except ImportRefused:
        raise
    except Exception as error:  # check_file read it a moment ago; changed since?
        raise refusal(path, error) from error


def _extent_cells(path: Path, sheet: str, data: bytes) -> int:
    from cspdesk.io.xlsx_fast import sheet_extent

    extent = sheet_extent(data)
    if extent is None:
        return MAX_CELLS + 1
    rows, columns = extent
    if rows > MAX_ROWS:
        raise ImportRefused(
            path,
            f"cells reach down to row {rows:,}; the limit is {MAX_ROWS:,} rows "
            "(delete the empty rows below the table, save, and import again)",
            sheet=sheet,
        )
    if rows * columns > MAX_FULL_LOAD_CELLS:
        raise ImportRefused(
            path,
            f"cells span {rows:,} rows by {columns:,} columns, too many to read with formatting "
            f"(the limit is {MAX_FULL_LOAD_CELLS:,} cells); delete the empty rows and columns "
            "around the table, save, and import again",
            sheet=sheet,
        )
    return rows * columns


def _count_in_member(
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    pattern: re.Pattern[bytes],
    length: int,
    literal: bytes,
    keep: dict[str, bytes] | None = None,
) -> int:
    """Matches of ``pattern`` (each exactly ``length`` bytes long, each holding ``literal``)
    in a part, streamed. ``keep``: a part read in one chunk is put there (as check_file's)."""
    count = 0
    tail = b""
    chunks = 0
    with archive.open(member) as handle:
        while chunk := handle.read(1 << 20):
            chunks += 1
            data = tail + chunk
            if literal in data:  # most parts hold none: a substring search tells at once
                count += len(pattern.findall(data))
            # Keep a tail shorter than a match: a match across chunks is counted once.
            tail = data[-(length - 1) :]
    if (
        keep is not None
        and chunks == 1
        and sum(map(len, keep.values())) + len(data) <= KEPT_PART_BYTES
    ):
        keep[member.filename] = data  # the whole part, its CRC checked at its end
    return count


def refusal(path: Path, error: BaseException, sheet: str | None = None) -> ImportRefused:
    """Our error for whatever a parser raised."""
    if _caused_by_entities(error):
        reason = "the workbook declares XML entities; refused as a possible XML bomb"
    elif isinstance(error, MemoryError):
        reason = "the workbook is too large to read"
    elif isinstance(error, (zipfile.BadZipFile, EOFError, zlib.error)):
        reason = "the workbook is damaged (its zip container is broken); ask for a fresh copy"
    else:  # the parser's own words (an IndexError, a Rust error) would tell the user nothing
        reason = (
            "the workbook is damaged or was written in a way cspdesk cannot read; open it in "
            "Excel or LibreOffice, save it again as .xlsx and retry"
        )
    return ImportRefused(path, reason, sheet=sheet)


def _caused_by_entities(error: BaseException) -> bool:
    """defusedxml's refusals, also when openpyxl wrapped them in its own ValueError."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if type(seen).__module__.startswith("defusedxml"):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass
class SheetRows:
    """One sheet's values: rows of plain values (str, int, float, bool, datetime, None)."""

    name: str
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    state: str = "visible"


def read_rows(
    path: Path | str,
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_sheets: int = MAX_SHEETS,
    max_cells: int = MAX_CELLS,
    sheets: Iterable[str] | None = None,
) -> list[SheetRows]:
    """Every worksheet's values through the gate, streaming (read-only mode).

    Each row loses its trailing empty cells; trailing empty rows are dropped. More than
    ``max_rows`` rows or ``max_columns`` columns in a sheet, more than ``max_cells`` cells in
    all, or more than ``max_sheets`` sheets is refused, never silently cut. Only ImportRefused
    escapes.
    """
    path = Path(path)
    workbook = open_workbook(path, read_only=True)
    wanted = None if sheets is None else set(sheets)
    result: list[SheetRows] = []
    cells = 0
    try:
        worksheets = workbook.worksheets
        if len(worksheets) > max_sheets:
            raise ImportRefused(
                path, f"the workbook has {len(worksheets)} sheets; the limit is {max_sheets}"
            )
        for sheet in worksheets:
            if wanted is not None and sheet.title not in wanted:
                continue
            data = SheetRows(str(sheet.title), state=str(getattr(sheet, "sheet_state", "visible")))
            try:
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    if number > max_rows:
                        raise ImportRefused(
                            path,
                            f"more than {max_rows:,} rows; the limit is {max_rows:,}",
                            sheet=data.name,
                            row=number,
                        )
                    values = _trim(row)
                    if len(values) > max_columns:
                        raise ImportRefused(
                            path,
                            f"a value in column {len(values):,}; the limit is {max_columns} "
                            "columns",
                            sheet=data.name,
                            row=number,
                            column=_column_letter(len(values)),
                        )
                    cells += len(values)
                    if cells > max_cells:
                        raise ImportRefused(
                            path,
                            f"more than {max_cells:,} cells in all; too large to import",
                            sheet=data.name,
                            row=number,
                        )
                    data.rows.append(values)
            except ImportRefused:
                raise
            except Exception as error:
                raise refusal(path, error, sheet=data.name) from error
            while data.rows and not data.rows[-1]:
                data.rows.pop()
            result.append(data)
    except ImportRefused:
        raise
    except Exception as error:
        raise refusal(path, error) from error
    finally:
        with contextlib.suppress(Exception):
            workbook.close()
    return result


def _trim(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row without its trailing empty cells (openpyxl pads rows to ``max_col``)."""
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def _column_letter(index: int) -> str:
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# ---- plans kept in other formats: .xls, .ods (read by calamine) and Word .docx -------------

PLAN_KINDS = ("xlsx", "xls", "ods", "docx")
_OTHER_ROOTS = {"ods": "content.xml", "docx": "word/document.xml"}
# The largest main part read: a 10,000-action plan's .ods content is 47 MB; a Word document is
# parsed whole into a tree (python-docx), about ten times its size in memory.
_ROOT_LIMITS = {"ods": 80 * 1024 * 1024, "docx": MAX_FULL_LOAD_SHEET_BYTES}
_NOUNS = {".docx": "Word document", ".ods": "spreadsheet", ".xls": "workbook"}


def check_plan_file(path: Path | str) -> str:
    """Gate a plan file in any format officers keep one in: "xlsx" (for ``xlsx_book.load_book``,
    which gates it), "xls", "ods" or "docx" (the same limits on size and, for the zip formats,
    on parts, ratios, encryption and DTDs). Anything else is refused saying what it is."""
    path = Path(path)
    if not path.is_file():
        check_file(path)  # says "no such file" or "is not a file"
    try:
        kind = sniff(path)
    except OSError as error:
        raise ImportRefused(path, f"the file cannot be read ({error.strerror or error})") from error
    suffix = path.suffix.lower()
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except Exception as error:  # zipfile raises odd types on crafted headers
            noun = _NOUNS.get(suffix, "workbook")
            raise ImportRefused(
                path, f"the {noun} is damaged (its zip container is broken); ask for a fresh copy"
            ) from error
        if "xl/workbook.xml" not in names and _zip_kind(names) in _OTHER_ROOTS:
            kind = _zip_kind(names)
    elif kind == "ole2" and suffix == ".xls":
        kind = "xls"  # a damaged one, or its stream named past the part sniffed: calamine tells
    if kind == "zip":
        return "xlsx"  # load_book gates it (after a plain copy of an unusually spelt one)
    if kind not in ("xls", "ods", "docx"):
        check_file(path)  # refused, saying what it is
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            path,
            f"the file is {size // 1_048_576} MB; the limit is {MAX_FILE_BYTES // 1_048_576} MB",
        )
    if kind in _OTHER_ROOTS:
        check_container(path, _OTHER_ROOTS[kind], _ROOT_LIMITS[kind])
    if kind == "ods":
        check_ods_extent(path)
    if kind == "xls":
        check_xls_extent(path)
    return kind


# An OpenDocument file begins with its "mimetype" part (ODF 1.2, 3.3; stored uncompressed by
# LibreOffice, not by every program); an .xlsx never does.
_ODS_MIMETYPE = b"mimetype"
RETURN_KINDS = ("xlsx", "ods", "xls")


def check_return_file(path: Path | str) -> str:
    """Gate a partner return saved as .xlsx, .ods or .xls: "xlsx" (``xlsx_fast.open_fast``
    gates it), or "ods" or "xls" gated here as ``check_plan_file`` gates a plan (size, parts,
    ratios, encryption, DTDs, each sheet's extent). Anything else is refused saying what it
    is. An .xlsx costs one short read: the zip is not opened twice."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(30 + len(_ODS_MIMETYPE))
    except OSError:
        return "xlsx"  # check_file says what is wrong with it
    if head.startswith(OLE2_MAGIC) or head[30:] == _ODS_MIMETYPE:
        kind = check_plan_file(path)
        if kind not in RETURN_KINDS:
            raise ImportRefused(path, describe_kind(kind))
        return kind
    return "xlsx"


def check_container(path: Path, root: str, root_limit: int = MAX_UNCOMPRESSED_BYTES) -> None:
    """The container checks an .xlsx gets (parts, sizes, ratios, encryption, DTDs), for an
    OpenDocument or Word file, or any zip whose ``root`` part must be there."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportRefused(path, f"the file has {len(members)} parts; too many to be safe")
            _check_unique_names(path, members)
            total = 0
            for member in members:
                if member.flag_bits & 0x1:
                    raise ImportRefused(path, "parts of this file are encrypted; remove the "
                                        "password")  # fmt: skip
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > RATIO_CHECKED_FROM and ratio > MAX_MEMBER_RATIO:
                    raise ImportRefused(path, f"part {member.filename} expands {ratio:.0f}-fold; "
                                        "refused as a possible zip bomb")  # fmt: skip
            if total > MAX_UNCOMPRESSED_BYTES:
                limit = MAX_UNCOMPRESSED_BYTES // 1_048_576
                raise ImportRefused(path, f"the file expands to {total // 1_048_576} MB; the "
                                    f"limit is {limit} MB")  # fmt: skip
            size = archive.getinfo(root).file_size
            if size > root_limit:
                raise ImportRefused(path, f"its main part ({root}) is {size // 1_048_576} MB, "
                                    f"too large to read; the limit is {root_limit // 1_048_576} "
                                    "MB")  # fmt: skip
            if _is_encrypted_odf(archive, members):
                raise ImportRefused(path, describe_kind("encrypted-ods"))
            _check_xml_heads(path, archive, members)
    except ImportRefused:
        raise
    except Exception as error:  # zipfile raises odd types on crafted headers
        raise ImportRefused(
            path, "the file is damaged (its zip container is broken); ask for a fresh copy"
        ) from error


_ODF_MANIFEST = "META-INF/manifest.xml"
_ODF_ENCRYPTION = re.compile(rb"<(?:[\w.-]+:)?encryption-data[\s/>]")
_MANIFEST_CHUNK = 1024 * 1024


def _is_encrypted_odf(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> bool:
    """True when an OpenDocument file is saved with a password. Its zip sets no encryption
    flag: the manifest gives each enciphered part an <encryption-data> (ODF 1.2, part 3,
    3.8), and those parts read as noise, so every later check or reader would call it damaged.
    The manifest is read in chunks, so a large one costs no more memory than a small one."""
    manifest = next((m for m in members if m.filename == _ODF_MANIFEST), None)
    if manifest is None:
        return False
    tail = b""
    with archive.open(manifest) as handle:
        while chunk := handle.read(_MANIFEST_CHUNK):
            if _ODF_ENCRYPTION.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


_ODS_TOKEN = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])([^>]*)>"
)
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d+)")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d+)")


def check_ods_extent(path: Path) -> None:
    """Bound what calamine will lay out for an .ods before it does: each sheet's extent to its
    last non-empty cell, counting repeated rows and cells (a row of values repeated a million
    times is a few bytes of XML). A cell counts as non-empty unless it is an empty element, so
    the bound errs on the safe side."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("content.xml")
    except Exception as error:
        raise ImportRefused(path, "the spreadsheet is damaged; ask for a fresh copy") from error
    cells = 0
    rows = last_row = width = column = row_width = repeat = 0
    for closing, name, attributes in _ODS_TOKEN.findall(data):
        if name == b"table-cell" or name == b"covered-table-cell":
            if not closing:
                found = _COLUMNS_REPEATED.search(attributes) if b"repeated" in attributes else None
                column += int(found.group(1)) if found else 1
                if not attributes.endswith(b"/"):  # an empty element is an empty cell
                    row_width = column
        elif name == b"table-row":
            if not closing:
                found = _ROWS_REPEATED.search(attributes)
                repeat = int(found.group(1)) if found else 1
                column = row_width = 0
                if attributes.endswith(b"/"):
                    rows += repeat  # an empty row, written as an empty element
                continue
            if row_width:
                last_row = rows + repeat
                width = max(width, row_width)
                if last_row > MAX_ROWS or cells + last_row * width > MAX_CELLS:
                    raise ImportRefused(
                        path,
                        f"the sheets span more than {MAX_CELLS:,} cells or {MAX_ROWS:,} rows "
                        "(repeated rows or cells); delete the empty rows and columns the plan "
                        "does not need, save, and retry",
                    )
            rows += repeat
        else:  # a sheet begins or ends
            if closing:
                cells += last_row * width
            rows = last_row = width = 0


# The most a sheet of Excel 97-2003 can hold; a DIMENSIONS record claiming more is made up.
_XLS_MOST = (65_536, 256)


def check_xls_extent(path: Path) -> None:
    """Bound what calamine will lay out for an .xls before it opens it (it reads every sheet
    at once): the sheets, each sheet's cells to its farthest one holding a value, the claimed
    dimensions it reserves room for, the shared strings and the merged ranges."""
    from cspdesk.io.xls_records import XlsEncrypted, scan

    try:
        book = scan(path)
    except XlsEncrypted as error:
        raise ImportRefused(path, describe_kind("encrypted")) from error
    except Exception as error:  # XlsDamaged, or a record cut short (struct.error)
        raise refusal(path, error) from error
    if len(book.sheets) > MAX_SHEETS:
        raise ImportRefused(path, f"the file has {len(book.sheets)} sheets; the limit is "
                            f"{MAX_SHEETS}")  # fmt: skip
    if book.strings > MAX_SHARED_STRINGS:
        raise ImportRefused(path, f"the workbook declares {book.strings:,} different texts; "
                            f"the limit is {MAX_SHARED_STRINGS:,}")  # fmt: skip
    cells = merged = 0
    for sheet in book.sheets:
        rows, columns = sheet.claimed
        if rows > _XLS_MOST[0] or columns > _XLS_MOST[1]:
            raise ImportRefused(path, f"the sheet claims {rows:,} rows and {columns:,} columns, "
                                "more than Excel 97-2003 allows; the workbook is damaged, ask "
                                "for a fresh copy", sheet=sheet.name)  # fmt: skip
        if sheet.rows > MAX_ROWS:
            raise ImportRefused(path, f"{sheet.rows:,} rows; the limit is {MAX_ROWS:,}",
                                sheet=sheet.name)  # fmt: skip
        cells += sheet.rows * sheet.columns
        if cells > MAX_CELLS:
            raise ImportRefused(path, f"the sheets span {cells:,} cells in all; the limit is "
                                f"{MAX_CELLS:,} (delete the empty rows and columns the plan "
                                "does not need, save, and retry)", sheet=sheet.name)  # fmt: skip
        merged += sheet.merged
        if merged > MAX_MERGED_RANGES:
            raise ImportRefused(path, f"{merged:,} merged ranges; the limit is "
                                f"{MAX_MERGED_RANGES:,}", sheet=sheet.name)  # fmt: skip
