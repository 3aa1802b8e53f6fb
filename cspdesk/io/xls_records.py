"""What an Excel 97-2003 workbook (.xls) holds, read from its record headers before calamine
lays anything out.

calamine parses every sheet of an .xls when it opens it, reserving what each sheet's DIMENSIONS
record claims and laying out a grid to its farthest cell, so a file of a few bytes can ask for
gigabytes. ``scan`` walks the compound file's Workbook stream (MS-CFB) and its records (MS-XLS)
with nothing but ``struct``: each sheet's claimed dimensions, the extent of the cells that hold
a value, the shared-string count and the merged ranges; asked for them, the cells' fill colours
(from each cell's XF record and the palette), which calamine does not read. A reader of our own,
not olefile or xlrd: it reads a few record headers and no values, and adds nothing to the bundle.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_END_OF_CHAIN = 0xFFFFFFFE
_NO_SECTOR = 0xFFFFFFFF
# Records that give a cell a value calamine keeps: Number, Label, BoolErr, RK, LabelSst,
# MulRk (a run of columns) and Formula; Blank and MulBlank (formatting only) it skips.
_VALUE_RECORDS = {0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x0006}
_MUL_RK, _BLANK, _MUL_BLANK = 0x00BD, 0x0201, 0x00BE
_DIMENSIONS, _MERGE_CELLS, _EOF, _BOUND_SHEET, _SST, _XF, _PALETTE, _FILE_PASS = (
    0x0200, 0x00E5, 0x000A, 0x0085, 0x00FC, 0x00E0, 0x0092, 0x002F,
)  # fmt: skip
# Excel 97's default palette for colour indices 8 to 63 (a PALETTE record may replace it).
_PALETTE_97 = (
    "000000", "FFFFFF", "FF0000", "00FF00", "0000FF", "FFFF00", "FF00FF", "00FFFF",
    "800000", "008000", "000080", "808000", "800080", "008080", "C0C0C0", "808080",
    "9999FF", "993366", "FFFFCC", "CCFFFF", "660066", "FF8080", "0066CC", "CCCCFF",
    "000080", "FF00FF", "FFFF00", "00FFFF", "800080", "800000", "008080", "0000FF",
    "00CCFF", "CCFFFF", "CCFFCC", "FFFF99", "99CCFF", "FF99CC", "CC99FF", "FFCC99",
    "3366FF", "33CCCC", "99CC00", "FFCC00", "FF9900", "FF6600", "666699", "969696",
    "003366", "339966", "003300", "333300", "993300", "993366", "333399", "333333",
)  # fmt: skip


class XlsDamaged(ValueError):
    """The compound file or its records do not hold together."""


class XlsEncrypted(ValueError):
    """The workbook is saved with a password: a FILEPASS record (RC4, CryptoAPI or XOR) begins
    its globals, and every record after it is enciphered."""


@dataclass
class XlsSheet:
    name: str
    claimed: tuple[int, int] = (0, 0)  # rows, columns its DIMENSIONS record claims
    rows: int = 0  # to the farthest cell with a value, from row 1
    columns: int = 0
    merged: int = 0  # merged ranges
    fills: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "RRGGBB"


@dataclass
class XlsBook:
    sheets: list[XlsSheet]
    strings: int  # the shared-string table's count of unique strings


def workbook_stream(data: bytes) -> bytes:
    """The Workbook stream of an OLE2 compound file's bytes."""
    stream = compound_stream(data, "Workbook")
    if stream is None:
        raise XlsDamaged("no Workbook stream")
    return stream


def compound_stream(data: bytes, wanted: str) -> bytes | None:
    """The stream named ``wanted`` of an OLE2 compound file's bytes; None when it has none."""
    if len(data) < 512:
        raise XlsDamaged("too short for a compound file")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise XlsDamaged("unknown sector size")
    size = 1 << shift
    sectors = (len(data) + size - 1) // size
    (fat_count, first_dir, cutoff, first_mini, _, first_difat, difat_count) = struct.unpack_from(
        "<I I 4x I I I I I", data, 0x2C
    )

    def sector(n: int) -> bytes:
        start = (n + 1) * size
        if n >= sectors or start >= len(data):
            raise XlsDamaged("a sector past the end of the file")
        return data[start : start + size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    n = first_difat
    for _ in range(min(difat_count, sectors)):
        if n in (_END_OF_CHAIN, _NO_SECTOR):
            break
        block = struct.unpack(f"<{size // 4}I", sector(n))
        fat_sectors.extend(block[:-1])
        n = block[-1]
    fat: list[int] = []
    for n in fat_sectors[: min(fat_count, sectors)]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        found: list[int] = []
        while start not in (_END_OF_CHAIN, _NO_SECTOR):
            if start >= len(table) or len(found) > limit:
                raise XlsDamaged("a broken sector chain")
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(n) for n in chain(first_dir, fat, sectors))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise XlsDamaged("no directory")
    for entry in entries:
        length = min(struct.unpack_from("<H", entry, 0x40)[0], 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if entry[0x42] == 2 and name == wanted:
            start, stream_size = struct.unpack_from("<II", entry, 0x74)
            break
    else:
        return None
    if stream_size >= cutoff:
        return b"".join(sector(n) for n in chain(start, fat, sectors))[:stream_size]
    # A small stream lives in the mini stream, 64-byte sectors inside the root's own chain (as
    # long as the root's entry says, as calamine reads it).
    root_start, root_size = struct.unpack_from("<II", entries[0], 0x74)
    mini_stream = b"".join(sector(n) for n in chain(root_start, fat, sectors))[:root_size]
    mini_fat: list[int] = []
    for n in chain(first_mini, fat, sectors):
        mini_fat.extend(struct.unpack(f"<{size // 4}I", sector(n)))
    numbers = chain(start, mini_fat, len(mini_stream) // 64)[: (stream_size + 63) // 64]
    if any(n * 64 + 64 > len(mini_stream) for n in numbers):
        # calamine reads on into the file for such a sector, and panics at its end
        raise XlsDamaged("a sector past the end of the mini stream")
    return b"".join(mini_stream[n * 64 : n * 64 + 64] for n in numbers)[:stream_size]


def _records(stream: bytes, start: int) -> Iterator[tuple[int, int, int]]:
    """(type, offset of its data, length) of each record from ``start`` to the next EOF (where
    calamine stops too)."""
    pos, end = start, len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        yield kind, pos + 4, length
        pos += 4 + length
        if kind == _EOF:
            break


def scan(path: Path, *, fills: bool = False) -> XlsBook:
    """The workbook's sheets and shared-string count; with ``fills``, each sheet's solid cell
    fills within its cells' extent. XlsDamaged when the file does not hold together,
    XlsEncrypted when it has a password."""
    stream = workbook_stream(path.read_bytes())
    positions: list[tuple[int, str]] = []
    strings = 0
    xf_fills: list[int | None] = []  # each XF's fill colour index, None without a fill
    palette = list(_PALETTE_97)
    for kind, at, length in _records(stream, 0):
        if kind == _FILE_PASS:
            raise XlsEncrypted("the workbook is saved with a password")
        if kind == _BOUND_SHEET and length < 6:  # calamine would panic reading its fields
            raise XlsDamaged("a sheet's record is cut short")
        if kind == _BOUND_SHEET and length >= 8:
            (offset,) = struct.unpack_from("<I", stream, at)
            if offset > len(stream):  # calamine would panic slicing the stream there
                raise XlsDamaged("a sheet starts past the end of the Workbook stream")
            count, wide = stream[at + 6], stream[at + 7] & 1
            raw = stream[at + 8 : at + 8 + count * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace").replace("\0", "")
            positions.append((offset, name))
        elif kind == _SST and length >= 8:
            (strings,) = struct.unpack_from("<i", stream, at + 4)
            if strings < 0:
                raise XlsDamaged("a negative count of shared strings")
        elif kind == _XF and length >= 20:
            pattern = struct.unpack_from("<I", stream, at + 14)[0] >> 26 & 0x3F
            xf_fills.append(
                struct.unpack_from("<H", stream, at + 18)[0] & 0x7F if pattern else None
            )
        elif kind == _PALETTE and length >= 2:
            (count,) = struct.unpack_from("<H", stream, at)
            for i in range(min(count, 56, (length - 2) // 4)):
                palette[i] = stream[at + 2 + 4 * i : at + 5 + 4 * i].hex().upper()
    colours = [None if i is None else _colour(i, palette) for i in xf_fills]
    sheets = []
    for offset, name in positions:
        sheet = XlsSheet(name)
        for kind, at, length in _records(stream, offset):
            if kind in _VALUE_RECORDS or kind == _MUL_RK:
                if length < 6:
                    continue
                row, col = struct.unpack_from("<HH", stream, at)
                if kind == _MUL_RK:
                    col = struct.unpack_from("<H", stream, at + length - 2)[0]
                sheet.rows = max(sheet.rows, row + 1)
                sheet.columns = max(sheet.columns, col + 1)
            elif kind == _DIMENSIONS and length in (10, 14):
                if length == 14:
                    first, last, first_col, last_col = struct.unpack_from("<IIHH", stream, at)
                else:
                    first, last, first_col, last_col = struct.unpack_from("<HHHH", stream, at)
                sheet.claimed = _reserved(first, last, first_col, last_col)
            elif kind == _MERGE_CELLS and length >= 2:
                sheet.merged += struct.unpack_from("<H", stream, at)[0]
        if fills:
            sheet.fills = _fills(stream, offset, colours, sheet.rows, sheet.columns)
        sheets.append(sheet)
    return XlsBook(sheets, strings)


def _reserved(first: int, last: int, first_col: int, last_col: int) -> tuple[int, int]:
    """The rows and columns calamine reserves room for from a DIMENSIONS record, read as it
    reads one (``last`` rows and columns are one past the sheet's end). A first row past the
    last is damage: calamine's unsigned subtraction makes that some four billion rows, an
    allocation that ends the process."""
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last < 1 or last_col < 1:
        return 1, 1
    if first > last:
        raise XlsDamaged("a sheet's dimensions end before they start")
    return last - first, last_col - first_col


def _colour(index: int, palette: list[str]) -> str | None:
    if 8 <= index < 64:
        return palette[index - 8]
    return _PALETTE_97[index] if index < 8 else None  # 64 and up: the system's own colours


def _fills(
    stream: bytes,
    offset: int,
    colours: list[str | None],
    rows: int,
    columns: int,
) -> dict[tuple[int, int], str]:
    """The fill colour of each cell with one, inside the sheet's value extent."""
    found: dict[tuple[int, int], str] = {}

    def put(row: int, col: int, xf: int) -> None:
        if row < rows and col < columns and xf < len(colours):
            colour = colours[xf]
            if colour is not None:
                found[(row, col)] = colour

    for kind, at, length in _records(stream, offset):
        if (kind in _VALUE_RECORDS or kind == _BLANK) and length >= 6:
            put(*struct.unpack_from("<HHH", stream, at))
        elif kind in (_MUL_BLANK, _MUL_RK) and length >= 6:
            row, first = struct.unpack_from("<HH", stream, at)
            step = 2 if kind == _MUL_BLANK else 6
            for i, pos in enumerate(range(at + 4, at + length - 2, step)):
                put(row, first + i, struct.unpack_from("<H", stream, pos)[0])
    return found
