"""A number typed in a text cell of a return, as the partner saw it: "50%", "2,000",
"£1,234.50", not the value behind it (0.5, 2000, 1234.5).

Only the cells of a text column that hold a number are looked at, so a return of words costs
nothing here: their style index (s=) is found in the sheet's XML and its number format in the
styles part (numFmts and cellXfs, parsed with defusedxml; the parts have passed the gate). The
common formats are rendered: general, fixed decimals, thousands separators, percent, currency
and other literal text, negative sections, dates and times. Any other format (fractions,
scientific, conditions, elapsed time) keeps the plain number and a note says so.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from cspdesk.io.gate import refusal
from cspdesk.io.xlsx_fast import FastBook
from cspdesk.returns.cells import EXCEL_EPOCH, cell_text
from cspdesk.returns.compare import SheetRead
from cspdesk.returns.diff import Problem
from cspdesk.returns.layout import COLUMNS

GENERAL = "General"
# ECMA-376 18.8.30; 14 and 22 as Excel shows them in the UK.
BUILTIN = {
    0: GENERAL,
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "dd/mm/yyyy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "dd/mm/yyyy h:mm",
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
_DATE_LETTERS = "dmyhs"
_ATTRIBUTE_S = re.compile(rb"""\ss\s*=\s*["']([0-9]+)["']""")


class Unrendered(ValueError):
    """A format cspdesk does not render."""


def number_formats(path: Path) -> dict[int, str]:
    """Cell style index -> its number format code, from the workbook's styles part."""
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(path) as archive:
        names = {name.lower(): name for name in archive.namelist()}
        member = names.get("xl/styles.xml")
        if member is None:
            return {}
        root = fromstring(archive.read(member))
    custom: dict[int, str] = {}
    holder = None
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "numFmt" and (element.get("numFmtId") or "").isdigit():
            custom[int(element.get("numFmtId", ""))] = element.get("formatCode") or ""
        elif tag == "cellXfs" and holder is None:
            holder = element
    found: dict[int, str] = {}
    xfs = [e for e in (holder if holder is not None else ()) if e.tag.rsplit("}", 1)[-1] == "xf"]
    for index, xf in enumerate(xfs):
        number = xf.get("numFmtId", "0")
        code = int(number) if number.isdigit() else -1
        found[index] = custom.get(code, BUILTIN.get(code, f"(format {number})"))
    return found


def cell_style(data: bytes, ref: str) -> int | None:
    """The style index (s=) of cell ``ref`` ("G2") in a sheet part; None when not found."""
    for quote in (b'"', b"'"):
        needle = b"r=" + quote + ref.encode() + quote
        at = data.find(needle)
        while at > 0 and not data[at - 1 : at].isspace():
            at = data.find(needle, at + 1)
        if at > 0:
            start, end = data.rfind(b"<", 0, at), data.find(b">", at)
            match = _ATTRIBUTE_S.search(data, start, end if end > 0 else len(data))
            return int(match.group(1)) if match else 0
    return None


def shown(value: float, code: str) -> str:
    """``value`` as a cell in format ``code`` shows it; Unrendered for formats not handled."""
    sections = _split(code)
    section = sections[0]
    negative = False
    if value < 0 and len(sections) > 1:
        section, value = sections[1], -value
    elif value < 0:
        negative, value = True, -value
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    tokens = _tokens(section)
    kinds = {kind for kind, _ in tokens}
    if "date" in kinds:
        text = _date(value, tokens)
    elif "general" in kinds or not section.strip():
        text = "".join(cell_text(value) if kind == "general" else t for kind, t in tokens)
        text = text or cell_text(value)
    elif "digit" in kinds:
        text = _number(value, tokens)
    else:
        text = "".join(t for _, t in tokens)  # a section of text alone ("-" for nought)
    text = ("-" + text if negative else text).strip()
    if not text:
        raise Unrendered(code)  # the cell shows nothing (a "#" format for nought)
    return text


def _split(code: str) -> list[str]:
    sections, current, quoted, escaped = [], "", False, False
    for char in code:
        if escaped:
            current, escaped = current + char, False
            continue
        if char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            sections.append(current)
            current = ""
            continue
        current += char
    return [*sections, current]


def _tokens(section: str) -> list[tuple[str, str]]:
    """The section as (kind, text): literal, digit (0 # ? . , %), date, general."""
    tokens: list[tuple[str, str]] = []
    i, lower = 0, section.lower()
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("literal", section[i + 1 : end]))
            i = end + 1
        elif char == "\\":
            tokens.append(("literal", section[i + 1 : i + 2]))
            i += 2
        elif char == "_":
            tokens.append(("literal", " "))
            i += 2
        elif char == "*":
            i += 2
        elif char == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            inside = section[i + 1 : end]
            if inside.startswith("$"):
                tokens.append(("literal", inside[1:].split("-", 1)[0]))
            elif not inside.strip("hmsHMS") or not (
                inside.isalpha() or inside.lower().startswith("color")
            ):
                raise Unrendered(section)  # [h] elapsed time, [<100] a condition
            i = end + 1  # a colour: no text
        elif lower.startswith("general", i):
            tokens.append(("general", ""))
            i += len("general")
        elif lower.startswith("am/pm", i) or lower.startswith("a/p", i):
            size = 5 if lower.startswith("am/pm", i) else 3
            tokens.append(("date", section[i : i + size]))
            i += size
        elif lower[i] in _DATE_LETTERS:
            end = i
            while end < len(section) and lower[end] == lower[i]:
                end += 1
            tokens.append(("date", lower[i:end]))
            i = end
        elif char in "0#?.,%":
            tokens.append(("digit", char))
            i += 1
        elif char == "@":
            tokens.append(("general", ""))
            i += 1
        elif char.isalpha():
            raise Unrendered(section)  # scientific (E+00), letters Excel reads as codes
        else:
            tokens.append(("literal", char))
            i += 1
    kinds = {kind for kind, _ in tokens}
    if "digit" in kinds and "date" not in kinds and ("literal", "/") in tokens:
        raise Unrendered(section)  # a fraction
    return tokens


def _number(value: float, tokens: list[tuple[str, str]]) -> str:
    pattern = "".join(t for kind, t in tokens if kind == "digit")
    whole, _, fraction = pattern.replace("%", "").partition(".")
    if whole.endswith(","):
        raise Unrendered(pattern)  # scaled by thousands
    value = value * 100 ** pattern.count("%")
    places = sum(c in "0#?" for c in fraction)
    try:
        exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    except InvalidOperation as error:
        raise Unrendered(pattern) from error
    text = f"{exact:,.{places}f}" if "," in whole else f"{exact:.{places}f}"
    if places:
        required = len(fraction.rstrip("#?").replace(",", ""))
        head, _, tail = text.partition(".")
        tail = tail[: max(required, len(tail.rstrip("0")))]
        text = f"{head}.{tail}"
    if "0" not in whole and text.startswith("0"):
        text = text[1:]  # "#.00" shows .50
    out, placed = [], False
    for kind, t in tokens:
        if kind == "digit":
            if t == "%":
                out.append("%")
            elif not placed:
                out.append(text)
                placed = True
        else:
            out.append(t)
    return "".join(out)


def _date(value: float, tokens: list[tuple[str, str]]) -> str:
    try:
        moment = dt.datetime.combine(EXCEL_EPOCH, dt.time()) + dt.timedelta(days=value)
    except OverflowError as error:
        raise Unrendered("date") from error
    twelve = any(kind == "date" and t.lower() in ("am/pm", "a/p") for kind, t in tokens)
    out = []
    dates = [i for i, (kind, _) in enumerate(tokens) if kind == "date"]
    for i, (kind, t) in enumerate(tokens):
        if kind != "date":
            out.append(t)
            continue
        before = next((tokens[j][1] for j in reversed(dates) if j < i), "")
        after = next((tokens[j][1] for j in dates if j > i), "")
        out.append(_date_part(moment, t, twelve, before[:1] == "h" or after[:1] == "s"))
    return "".join(out)


def _date_part(moment: dt.datetime, token: str, twelve: bool, minutes: bool) -> str:
    letter, size = token[:1], len(token)
    if token.lower() in ("am/pm", "a/p"):
        text = "AM" if moment.hour < 12 else "PM"
        return text if token.lower() == "am/pm" else text[0]
    if letter == "y":
        return f"{moment:%y}" if size <= 2 else f"{moment:%Y}"
    if letter == "m" and minutes and size <= 2:
        return f"{moment.minute:0{size}d}"
    if letter == "m":
        names = (str(moment.month), f"{moment.month:02d}", f"{moment:%b}", f"{moment:%B}")
        return names[min(size, 4) - 1] if size < 5 else f"{moment:%B}"[0]
    if letter == "d":
        names = (str(moment.day), f"{moment.day:02d}", f"{moment:%a}", f"{moment:%A}")
        return names[min(size, 4) - 1]
    if letter == "h":
        hour = (moment.hour % 12 or 12) if twelve else moment.hour
        return f"{hour:0{min(size, 2)}d}"
    return f"{moment.second:0{min(size, 2)}d}"


def as_seen(book: FastBook, sheet: SheetRead) -> list[Problem]:
    """Numbers in the sheet's update column, written as the partner saw them (in the rows
    read and the ledger of written cells); a note for each whose format is not rendered."""
    letter = sheet.letters.get("update")
    found = _numbers(sheet)
    part = book.sheet(sheet.name)
    if not found or letter is None or part is None or part.member is None:
        return []  # nearly every return: words only
    try:
        data = book.part_bytes(part.member)
        formats = number_formats(book.path)
    except Exception as error:  # zipfile and the XML parser raise many types on damage
        raise refusal(book.path, error) from error

    def render(number: int, value: float) -> str:
        style = cell_style(data, f"{letter}{number}")
        code = GENERAL if style is None else formats.get(style, GENERAL)
        try:
            return shown(value, code)
        except Unrendered as error:
            raise Unrendered(code) from error

    return written_as_shown(sheet, render)


Render = Callable[[int, float], str]  # (sheet row, the number) -> the text the cell shows


def written_as_shown(sheet: SheetRead, render: Render) -> list[Problem]:
    """``as_seen`` with the text each number cell of the update column shows given by
    ``render`` (the .ods and .xls readers' own); Unrendered(the format) when it cannot say."""
    letter = sheet.letters.get("update")
    found = _numbers(sheet)
    if not found or letter is None:
        return []
    rows = {row.number: row for row in sheet.rows}
    added = dict(sheet.added)
    heading = next(c.heading for c in COLUMNS if c.key == "update")
    notes = []
    for number, index in found.items():
        cell = sheet.written[index]
        if number in rows and rows[number].cells.get("update") is None:
            continue  # a formula's result, set aside (formulas.py)
        try:
            text = render(number, float(cell.value))  # type: ignore[arg-type]
        except Unrendered as error:
            plain = cell_text(cell.value)
            notes.append(
                Problem(
                    f"the number in cell {letter}{number} is shown in a format cspdesk does not "
                    f"render ({error}); it was read as the plain number {plain}: check it",
                    sheet.name,
                )
            )
            continue
        sheet.written[index] = cell._replace(value=text)
        if number in rows:
            rows[number].cells["update"] = text
        elif number in added:
            added[number][heading] = text
    return notes


def _numbers(sheet: SheetRead) -> dict[int, int]:
    """Sheet row -> index in the ledger of each number written in the update column."""
    letter = sheet.letters.get("update")
    return {
        cell.row: index
        for index, cell in enumerate(sheet.written)
        if cell.column == letter and _is_number(cell.value)
    }


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
