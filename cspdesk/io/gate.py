"""The one gate every imported workbook passes before any parsing.

It sniffs the real file type (whatever the extension says), checks the zip's declared sizes and
compression ratios, makes sure defusedxml is active, and opens the workbook with openpyxl
without evaluating anything. Every refusal is an ImportRefused naming the file and what to do.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_MEMBER_RATIO = 200
MAX_MEMBERS = 10_000
MAX_ROWS = 200_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class ImportRefused(CspdeskError):
    """A file (or a cell in it) that cannot be imported; says where and what to do."""

    def __init__(self, path: Path | str, reason: str, *, sheet: str | None = None,
                 row: int | None = None, column: str | None = None) -> None:
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


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "xlsx", "ole2", "zip", "text", "pdf", "empty", "unknown"


def sniff(path: Path) -> Sniffed:
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        return Sniffed("empty")
    if head.startswith(OLE2_MAGIC):
        return Sniffed("ole2")
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK"):
        return Sniffed("zip")
    if head.startswith(b"%PDF"):
        return Sniffed("pdf")
    try:
        head.decode("utf-8")
        return Sniffed("text")
    except UnicodeDecodeError:
        return Sniffed("unknown")


def check_file(path: Path) -> None:
    """Refuse anything that is not a plausible, bounded .xlsx zip. Reads no XML."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused(path, "no such file")
    if not path.is_file():
        raise ImportRefused(path, "is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportRefused(path, f"the file is {size // 1_048_576} MB; the limit is "
                            f"{MAX_FILE_BYTES // 1_048_576} MB")
    kind = sniff(path).kind
    if kind == "empty":
        raise ImportRefused(path, "the file is empty")
    if kind == "ole2":
        raise ImportRefused(path, "this is a password-protected workbook or an old Excel 97-2003 "
                            "(.xls) file; remove the password, or open it in Excel and save it "
                            "as .xlsx, then import again")
    if kind == "text":
        raise ImportRefused(path, "this is a text file (CSV?), not an Excel workbook; open it "
                            "in Excel and save it as .xlsx")
    if kind == "pdf":
        raise ImportRefused(path, "this is a PDF, not an Excel workbook")
    if kind != "zip":
        raise ImportRefused(path, "this is not an Excel workbook (.xlsx)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportRefused(path, f"the workbook is damaged ({error}); ask for a fresh copy") \
            from error
    if "xl/workbook.xml" not in names and "[Content_Types].xml" in names and \
            "word/document.xml" in names:
        raise ImportRefused(path, "this is a Word document, not an Excel workbook")
    if "xl/workbook.xml" not in names:
        raise ImportRefused(path, "this is a zip file but not an Excel workbook (.xlsx)")
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(path, f"the workbook has {len(members)} parts; too many to be safe")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO:
            raise ImportRefused(path, f"part {member.filename} expands {ratio:.0f}-fold; "
                                "refused as a possible zip bomb")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportRefused(path, f"the workbook expands to {total // 1_048_576} MB; the limit is "
                            f"{MAX_UNCOMPRESSED_BYTES // 1_048_576} MB")


def open_workbook(path: Path | str, *, read_only: bool = False) -> Workbook:
    """Gate ``path`` and open it with openpyxl (cached values, never formulas evaluated).

    In read-only mode every sheet's dimensions are reset, since a lying <dimension> tag
    would otherwise hide rows.
    """
    path = Path(path)
    check_file(path)
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise ImportRefused(path, "defusedxml is not installed; refusing to read untrusted XML")
    try:
        workbook = openpyxl.load_workbook(path, read_only=read_only, data_only=True,
                                          keep_links=False)
    except ImportRefused:
        raise
    except Exception as error:  # openpyxl raises many types on damaged files
        raise ImportRefused(path, f"the workbook could not be read ({type(error).__name__}: "
                            f"{error}); open it in Excel, save it again and retry") from error
    if read_only:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
    return workbook
