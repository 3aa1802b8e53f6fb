"""What an Excel 97-2003 workbook (.xls) holds beyond its cell values, for reading a partner
return saved as .xls: which cells hold formulas, each number cell's number format, the cell
notes (comments) and when it was last saved.

Read from the records (MS-XLS) with ``struct``, as io/xls_records.py reads them; the file has
passed ``gate.check_return_file`` (``check_xls_extent``). A formula is found by its FORMULA
record; its text is not decoded from Excel's parsed tokens, only its place (the value it was
saved with comes from calamine). A note's text is read from the TXO record that follows the
note's drawing object; a note whose text cannot be found is counted, so the caller can say so.
The saved time is the SummaryInformation stream's last-saved time (PIDSI_LASTSAVE_DTM).
"""

from __future__ import annotations

import datetime as dt
import math
import struct
from dataclasses import dataclass, field
from pathlib import Path

from cspdesk.io.gate import ImportRefused
from cspdesk.io.xls_records import XlsDamaged, _records, compound_stream
from cspdesk.io.xlsx_book import column_letter

_BOUND_SHEET, _FORMAT, _XF = 0x0085, 0x041E, 0x00E0
_NUMBER, _RK, _MUL_RK, _FORMULA = 0x0203, 0x027E, 0x00BD, 0x0006
_NOTE, _OBJ, _TXO, _CONTINUE = 0x001C, 0x005D, 0x01B6, 0x003C
_NOTE_OBJECT = 0x19  # an OBJ record's ftCmo type for a cell note
_LAST_SAVED = 13  # PIDSI_LASTSAVE_DTM
_VT_FILETIME = 0x40
_FILETIME_EPOCH = dt.datetime(1601, 1, 1)
_CUSTOM_STREAM = "\x05DocumentSummaryInformation"
_VT_LPSTR, _VT_LPWSTR, _CODEPAGE, _UTF16 = 0x1E, 0x1F, 1, 1200


@dataclass(frozen=True)
class XlsNote:
    row: int  # from 0
    column: int  # from 0
    author: str
    text: str


@dataclass
class XlsSheetFacts:
    formulas: list[tuple[int, int]] = field(default_factory=list)  # (row, column) from 0
    number_formats: dict[tuple[int, int], int] = field(default_factory=dict)  # -> format id
    notes: list[XlsNote] = field(default_factory=list)
    unread_notes: list[tuple[int, int]] = field(default_factory=list)  # text not found


@dataclass
class XlsFacts:
    sheets: dict[str, XlsSheetFacts]
    format_codes: dict[int, str]  # the workbook's own number formats, by id
    saved: dt.datetime | None  # naive UTC
    properties: dict[str, str] = field(default_factory=dict)  # custom, text ones only


def xls_facts(path: Path) -> XlsFacts:
    """Formulas, number formats and notes of every sheet, and the saved time; XlsDamaged (or
    struct.error) when the records do not hold together."""
    data = path.read_bytes()
    stream = compound_stream(data, "Workbook")
    if stream is None:
        raise XlsDamaged("no Workbook stream")
    positions: list[tuple[int, str]] = []
    codes: dict[int, str] = {}
    xf_formats: list[int] = []
    for kind, at, length in _records(stream, 0):
        if kind == _BOUND_SHEET and length >= 8:
            count, wide = stream[at + 6], stream[at + 7] & 1
            raw = stream[at + 8 : at + 8 + count * (2 if wide else 1)]
            name = raw.decode("utf-16-le" if wide else "latin-1", "replace").replace("\0", "")
            positions.append((struct.unpack_from("<I", stream, at)[0], name))
        elif kind == _FORMAT and length >= 5:
            codes[struct.unpack_from("<H", stream, at)[0]] = _string(stream, at + 2, at + length)
        elif kind == _XF and length >= 4:
            xf_formats.append(struct.unpack_from("<H", stream, at + 2)[0])
    sheets = {name: _sheet(path, name, stream, offset, xf_formats) for offset, name in positions}
    saved = _saved(compound_stream(data, "\x05SummaryInformation"))
    return XlsFacts(sheets, codes, saved, _custom(compound_stream(data, _CUSTOM_STREAM)))


def _sheet(
    path: Path, name: str, stream: bytes, offset: int, xf_formats: list[int]
) -> XlsSheetFacts:
    facts = XlsSheetFacts()
    texts: dict[int, str] = {}  # note object id -> its text
    note_object: int | None = None
    records = list(_records(stream, offset))

    def number(row: int, column: int, xf: int) -> None:
        if xf < len(xf_formats):
            facts.number_formats[(row, column)] = xf_formats[xf]

    for index, (kind, at, length) in enumerate(records):
        if kind in (_NUMBER, _RK) and length >= 6:
            number(*struct.unpack_from("<HHH", stream, at))
            if kind == _NUMBER and length >= 14:
                _check_finite(path, name, stream, at)
        elif kind == _MUL_RK and length >= 6:
            row, first = struct.unpack_from("<HH", stream, at)
            for i, pos in enumerate(range(at + 4, at + length - 2, 6)):
                number(row, first + i, struct.unpack_from("<H", stream, pos)[0])
        elif kind == _FORMULA and length >= 14:
            row, column, xf = struct.unpack_from("<HHH", stream, at)
            facts.formulas.append((row, column))
            if stream[at + 12 : at + 14] != b"\xff\xff":  # a number, not text or an error
                number(row, column, xf)
                _check_finite(path, name, stream, at)
        elif kind == _OBJ and length >= 8:
            ft, _, kind_of, ident = struct.unpack_from("<HHHH", stream, at)
            note_object = ident if ft == 0x15 and kind_of == _NOTE_OBJECT else None
        elif kind == _TXO and note_object is not None and length >= 14:
            count = struct.unpack_from("<H", stream, at + 10)[0]
            texts[note_object] = _continued_text(stream, records[index + 1 :], count)
            note_object = None
        elif kind == _NOTE and length >= 11:
            row, column, _, ident = struct.unpack_from("<HHHH", stream, at)
            author = _string(stream, at + 8, at + length)
            text = texts.get(ident)
            if text is None:
                facts.unread_notes.append((row, column))
            elif text.strip():
                facts.notes.append(XlsNote(row, column, author, text.strip()))
    return facts


def _check_finite(path: Path, sheet: str, stream: bytes, at: int) -> None:
    """Refuse a number cell (NUMBER, or a FORMULA's saved number) that is NaN or infinite, as
    the gate refuses one in an .xlsx: Excel never writes one."""
    row, column = struct.unpack_from("<HH", stream, at)
    (value,) = struct.unpack_from("<d", stream, at + 6)
    if not math.isfinite(value):
        raise ImportRefused(
            path,
            f"the number {value!r} is not one Excel writes; put the right value in the cell, "
            "save, and retry",
            sheet=sheet,
            row=row + 1,
            column=column_letter(column),
        )


def _string(stream: bytes, at: int, end: int) -> str:
    """An XLUnicodeString (character count, flags, characters) that must end by ``end``."""
    if at + 3 > end:
        return ""
    count, flags = struct.unpack_from("<HB", stream, at)
    at += 3
    if flags & 0x08:
        at += 2  # a count of formatting runs, stored after the characters
    if flags & 0x04:
        at += 4  # the size of phonetic data, also after
    size = count * (2 if flags & 1 else 1)
    raw = stream[at : min(at + size, end)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _continued_text(stream: bytes, following: list[tuple[int, int, int]], count: int) -> str:
    """A TXO record's text: ``count`` characters in the CONTINUE records after it, each
    starting with a byte saying whether its characters take one byte or two."""
    parts: list[str] = []
    left = count
    for kind, at, length in following:
        if kind != _CONTINUE or left <= 0 or length < 1:
            break
        wide = stream[at] & 1
        chars = min(left, (length - 1) // (2 if wide else 1))
        raw = stream[at + 1 : at + 1 + chars * (2 if wide else 1)]
        parts.append(raw.decode("utf-16-le" if wide else "latin-1", "replace"))
        left -= chars
    return "".join(parts).replace("\r\n", "\n").replace("\r", "\n")


def _saved(stream: bytes | None) -> dt.datetime | None:
    """The last-saved time of a SummaryInformation property set, as naive UTC."""
    if stream is None or len(stream) < 48:
        return None
    try:
        (section,) = struct.unpack_from("<I", stream, 44)
        _, count = struct.unpack_from("<II", stream, section)
        for i in range(min(count, 64)):
            ident, offset = struct.unpack_from("<II", stream, section + 8 + 8 * i)
            if ident != _LAST_SAVED:
                continue
            kind, ticks = struct.unpack_from("<IQ", stream, section + offset)
            if kind != _VT_FILETIME or not ticks:
                return None
            return _FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
    except (struct.error, OverflowError):
        return None  # damaged properties only lose the saved time, never the return
    return None


def _custom(stream: bytes | None) -> dict[str, str]:
    """The text properties of a DocumentSummaryInformation stream's user-defined section
    (MS-OLEPS: its dictionary names them); {} when there is none or it is damaged."""
    if stream is None or len(stream) < 68:
        return {}
    try:
        if struct.unpack_from("<I", stream, 24)[0] < 2:
            return {}
        (section,) = struct.unpack_from("<I", stream, 64)
        _, count = struct.unpack_from("<II", stream, section)
        offsets = dict(
            struct.unpack_from("<II", stream, section + 8 + 8 * i) for i in range(min(count, 256))
        )
        wide = False
        if _CODEPAGE in offsets:
            _, page = struct.unpack_from("<Ih", stream, section + offsets[_CODEPAGE])
            wide = page == _UTF16
        names = _dictionary(stream, section + offsets[0], wide) if 0 in offsets else {}
        found = {}
        for ident, name in names.items():
            if ident in offsets:
                value = _text_value(stream, section + offsets[ident])
                if value is not None:
                    found[name] = value
        return found
    except (struct.error, UnicodeDecodeError):
        return {}


def _dictionary(stream: bytes, at: int, wide: bool) -> dict[int, str]:
    (count,) = struct.unpack_from("<I", stream, at)
    at += 4
    names = {}
    for _ in range(min(count, 256)):
        ident, size = struct.unpack_from("<II", stream, at)
        at += 8
        length = size * 2 if wide else size
        raw = stream[at : at + length]
        names[ident] = raw.decode("utf-16-le" if wide else "cp1252", "replace").rstrip("\0")
        at += length + ((-length) % 4 if wide else 0)
    return names


def _text_value(stream: bytes, at: int) -> str | None:
    kind, size = struct.unpack_from("<II", stream, at)
    if kind == _VT_LPSTR:
        return stream[at + 8 : at + 8 + size].decode("cp1252", "replace").rstrip("\0")
    if kind == _VT_LPWSTR:
        return stream[at + 8 : at + 8 + 2 * size].decode("utf-16-le", "replace").rstrip("\0")
    return None
