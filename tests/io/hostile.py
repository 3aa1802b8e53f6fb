"""Hostile workbooks, made from a real one or from scratch, for the gate and the readers.

Each maker writes ``target`` and returns it. They work on the zip and its XML directly, the way
an attacker would, so openpyxl's own checks cannot tidy the file on the way.
"""

from __future__ import annotations

import posixpath
import struct
import warnings
import zipfile
from pathlib import Path
from xml.etree import ElementTree

FAR_ROW = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def sheet_part(source: Path, sheet: str) -> str:
    """The zip member holding ``sheet`` (resolved from workbook.xml and its relationships)."""
    with zipfile.ZipFile(source) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rel_id = next(
        e.get(_REL_NS) for e in book.iter() if e.tag.endswith("}sheet") and e.get("name") == sheet
    )
    target = next(e.get("Target", "") for e in rels if e.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")


def _with_far_cell(xml: bytes) -> bytes:
    if b"<sheetData/>" in xml:
        return xml.replace(b"<sheetData/>", b"<sheetData>" + FAR_ROW + b"</sheetData>")
    return xml.replace(b"</sheetData>", FAR_ROW + b"</sheetData>")


def _copy(source: Path, target: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new,
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        for item in old.infolist():
            for name, data in edit(item.filename, old.read(item.filename)):
                new.writestr(name, data)
    return target


def case_link_far_cell(source: Path, target: Path, sheet: str) -> Path:
    """``sheet``'s part renamed with other letter case (the link keeps the old spelling),
    holding a cell at XFD1048576: calamine still finds it, an exact-name lookup does not."""
    member = sheet_part(source, sheet)
    folder, name = member.rsplit("/", 1)
    renamed = f"{folder}/{name.swapcase()}"
    return _copy(
        source,
        target,
        lambda n, d: [(renamed, _with_far_cell(d))] if n == member else [(n, d)],
    )


def twin_member_far_cell(source: Path, target: Path, sheet: str, *, far_first: bool) -> Path:
    """``sheet``'s part twice under the same name, one copy holding a cell at XFD1048576."""
    member = sheet_part(source, sheet)

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name != member:
            return [(name, data)]
        pair = [(name, _with_far_cell(data)), (name, data)]
        return pair if far_first else pair[::-1]

    return _copy(source, target, edit)


_SHEET_HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_SST_HEAD = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_SST_REL = (
    b'<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)
_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def workbook(target: Path, sheet_data: bytes, *, merges: bytes = b"", strings: bytes = b"") -> Path:
    """A minimal one-sheet workbook ("Plan") with the given sheetData, mergeCells and
    shared strings (the <si> elements), written straight into the zip."""
    import openpyxl

    base = openpyxl.Workbook()
    base.active.title = "Plan"
    base.save(target)
    parts = {
        "xl/worksheets/sheet1.xml": _SHEET_HEAD
        + b"<sheetData>"
        + sheet_data
        + b"</sheetData>"
        + merges
        + b"</worksheet>",
        "xl/sharedStrings.xml": _SST_HEAD + strings + b"</sst>",
    }
    source = target.rename(target.with_suffix(".base"))

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        if name == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", _SST_REL + b"</Relationships>")
        elif name == "[Content_Types].xml":
            data = data.replace(b"</Types>", _SST_TYPE + b"</Types>")
        found = [(name, parts.pop(name, data))]
        return found + list(parts.items()) if name == "[Content_Types].xml" else found

    _copy(source, target, edit)
    source.unlink()
    return target


def _table(rows: int, columns: int = 4) -> bytes:
    cells = []
    for r in range(1, rows + 1):
        row = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>r{r}c{c}</t></is></c>'
            for c in range(columns)
        )
        cells.append(f'<row r="{r}">{row}</row>')
    return "".join(cells).encode()


def merge_bomb(target: Path, merges: int, *, rows: int = 200, overlapping: bool = True) -> Path:
    """``merges`` merged ranges over a small table: all the same wide range when
    ``overlapping`` (Excel never allows that), else one per row."""
    refs = [
        f"A1:D{rows}" if overlapping else f"A{n % rows + 1}:D{n % rows + 1}" for n in range(merges)
    ]
    body = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    xml = f'<mergeCells count="{merges}">{body}</mergeCells>'.encode()
    return workbook(target, _table(rows), merges=xml)


def string_bomb(target: Path, strings: int) -> Path:
    """A shared-string table of ``strings`` short strings behind a two-cell sheet."""
    table = b"".join(b"<si><t>%d</t></si>" % n for n in range(strings))
    cells = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    return workbook(target, cells, strings=table)


def long_text(target: Path, length: int) -> Path:
    """One cell holding ``length`` characters (Excel's own limit is 32,767)."""
    text = ("x" * length).encode()
    return workbook(
        target, b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c></row>"
    )


def far_cell(target: Path) -> Path:
    return workbook(target, _table(3) + FAR_ROW)


def unsupported_extension(target: Path) -> Path:
    """A data-validation extension, which openpyxl drops with a UserWarning naming its path."""
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.'
        b'microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="0"/>'
        b"</ext></extLst>"
    )
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Action</t></is></c></row>'
    return workbook(target, cell, merges=ext)


def text_table(target: Path, rows: int, columns: int, strings: int) -> Path:
    """A dense sheet of ``rows`` x ``columns`` shared-string cells drawn from ``strings``
    different texts: the largest file a limit lets through."""
    letters = [chr(65 + c) for c in range(columns)]
    body = b"".join(
        b'<row r="%d">' % r
        + b"".join(
            b'<c r="%s%d" t="s"><v>%d</v></c>' % (col.encode(), r, (r * columns + c) % strings)
            for c, col in enumerate(letters)
        )
        + b"</row>"
        for r in range(1, rows + 1)
    )
    table = b"".join(b"<si><t>text number %d</t></si>" % n for n in range(strings))
    return workbook(target, body, strings=table)


def renamed_string_bomb(target: Path, strings: int) -> Path:
    """A string bomb whose table is linked under another name (openpyxl follows the link)."""
    source = string_bomb(target.with_suffix(".plain"), strings)

    def edit(name: str, data: bytes) -> list[tuple[str, bytes]]:
        renamed = data.replace(b"sharedStrings.xml", b"texts.xml")
        return [("xl/texts.xml" if name == "xl/sharedStrings.xml" else name, renamed)]

    _copy(source, target, edit)
    source.unlink()
    return target


# ---- Excel 97-2003 (.xls): records patched in a real file, as an attacker would ------------

XLS_SOURCE = (
    Path(__file__).resolve().parent.parent / "data" / "plan_formats" / "month_range_plan.xls"
)
_LABEL_SST = b"\xfd\x00\x0a\x00"  # a LabelSst record's header: type 0x00FD, 10 bytes
_DIMENSIONS = b"\x00\x02\x0e\x00"  # DIMENSIONS, BIFF8: 14 bytes


def _patched_xls(target: Path, header: bytes, edit) -> Path:  # type: ignore[no-untyped-def]
    data = bytearray(XLS_SOURCE.read_bytes())
    at = data.index(header) + len(header)
    edit(data, at)
    target.write_bytes(bytes(data))
    return target


def xls_far_cell(target: Path, row: int = 65_535, column: int = 255) -> Path:
    """An .xls whose first text cell is moved to ``row``, ``column`` (0-based): calamine lays
    out every cell up to it."""

    def edit(data: bytearray, at: int) -> None:
        data[at : at + 4] = row.to_bytes(2, "little") + column.to_bytes(2, "little")

    return _patched_xls(target, _LABEL_SST, edit)


def xls_claimed_dimensions(target: Path, rows: int = 0x7FFF_FFFF, columns: int = 0xFFFF) -> Path:
    """An .xls whose DIMENSIONS record claims ``rows`` x ``columns``: calamine reserves room
    for them all before reading a cell."""

    def edit(data: bytearray, at: int) -> None:
        data[at + 4 : at + 8] = rows.to_bytes(4, "little")
        data[at + 10 : at + 12] = columns.to_bytes(2, "little")

    return _patched_xls(target, _DIMENSIONS, edit)


def xls_string_count(target: Path, count: int = 0x7FFF_FFFF) -> Path:
    """An .xls whose shared-string table declares ``count`` texts: calamine makes room for
    them all."""

    def edit(data: bytearray, at: int) -> None:
        data[at + 2 + 4 : at + 2 + 8] = count.to_bytes(4, "little")

    return _patched_xls(target, b"\xfc\x00", edit)


def xls_sheet_past_stream(target: Path, offset: int = 0x7FFF_0000) -> Path:
    """An .xls whose sheet (its BOUNDSHEET record) starts past the end of the Workbook stream:
    calamine panics slicing the stream there."""

    def edit(data: bytearray, at: int) -> None:
        data[at : at + 4] = offset.to_bytes(4, "little")

    return _patched_xls(target, b"\x85\x00\x18\x00", edit)  # BOUNDSHEET of 'Delivery 2016-17'


def xls_mini_chain_past_stream(target: Path, sector: int = 100) -> Path:
    """An .xls whose Workbook stream (kept in the mini stream's 64-byte sectors) goes on at a
    ``sector`` past the mini stream's end: calamine reads on into the file for it, and panics
    at the file's end (a sector past the file's end it refuses in words)."""
    data = bytearray(XLS_SOURCE.read_bytes())
    directory = (struct.unpack_from("<I", data, 0x30)[0] + 1) * 512
    entries = [data[directory + i : directory + i + 128] for i in range(0, 512, 128)]
    workbook = next(e for e in entries if bytes(e[:16]).decode("utf-16-le") == "Workbook")
    first = struct.unpack_from("<I", workbook, 0x74)[0]
    mini_fat = (struct.unpack_from("<I", data, 0x3C)[0] + 1) * 512
    struct.pack_into("<I", data, mini_fat + 4 * first, sector)  # the sector after its first
    target.write_bytes(bytes(data))
    return target


def xls_dimensions_backwards(target: Path, first: int = 0x0100_0000) -> Path:
    """An .xls whose DIMENSIONS record starts at row ``first``, past its last row: calamine's
    unsigned arithmetic reserves some four billion rows for it, and the allocation's failure
    ends the process."""

    def edit(data: bytearray, at: int) -> None:
        data[at : at + 4] = first.to_bytes(4, "little")

    return _patched_xls(target, _DIMENSIONS, edit)


def xls_short_sheet(target: Path) -> Path:
    """An .xls whose 2-byte MMS record is made a BOUNDSHEET (a sheet's record): calamine
    panics reading the sheet's 4-byte position from it."""

    def edit(data: bytearray, at: int) -> None:
        data[at - 4 : at - 2] = b"\x85\x00"

    return _patched_xls(target, b"\xc1\x00\x02\x00", edit)  # MMS, 2 bytes


PASSWORD_RETURNS = Path(__file__).resolve().parent.parent / "data" / "returns"


def password_return(kind: str) -> Path:
    """The Essex Police Q2 return of the demo plan, a cell filled in and saved by LibreOffice
    7.4 with a password ("secret"; over UNO: storeToURL with the "Password" property) as
    .ods (``kind`` "ods") or Excel 97-2003 (.xls, "xls")."""
    return PASSWORD_RETURNS / f"essex_police_q2_password.{kind}"


def ods_manifest(
    target: Path, manifest: bytes, *, extra: tuple[tuple[str, bytes], ...] = ()
) -> Path:
    """A plain .ods whose META-INF/manifest.xml is ``manifest`` (with ``extra`` parts added):
    OpenDocument encryption is declared there alone, never in the zip's flags."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        # stored: a long manifest of padding would otherwise look like a zip bomb
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_STORED)
        for name, data in extra:
            archive.writestr(name, data)
    return target


def manifest_with_encryption(padding: int = 0) -> bytes:
    """A manifest whose content.xml entry has <manifest:encryption-data>, after ``padding``
    bytes of other entries' text (to put it across a chunk the gate reads)."""
    filler = b"<!-- " + b"x" * max(padding - 9, 0) + b" -->" if padding else b""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
        b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">' + filler
        + b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AA==">'
        b'<manifest:algorithm manifest:algorithm-name="Blowfish CFB"/></manifest:encryption-data>'
        b"</manifest:file-entry></manifest:manifest>"
    )  # fmt: skip


def xls_file_pass(target: Path) -> Path:
    """An .xls whose record after the globals' BOF is made a FILEPASS: what Excel and
    LibreOffice write first when a workbook is saved with a password."""
    data = bytearray(XLS_SOURCE.read_bytes())
    bof = data.index(b"\x09\x08\x10\x00")  # BIFF8 BOF, 16 bytes: the Workbook stream's start
    data[bof + 20 : bof + 22] = b"\x2f\x00"
    target.write_bytes(bytes(data))
    return target
