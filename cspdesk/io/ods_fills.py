"""The fill colours of an OpenDocument spreadsheet's cells (a RAG given only as colour), which
calamine does not read.

The file has passed the gate (``gate.check_plan_file``: sizes, ratios, no DTD). Cell styles are
parsed with defusedxml: styles.xml, and the automatic styles at the head of content.xml cut out
on their own (content.xml of a 10,000-action plan is 47 MB: no tree of it is built). The sheets'
rows and cells are then walked as tokens, as the gate bounds them, counting repeated rows and
cells, and only the cells inside each sheet's grid are kept, so a style repeated over a
million rows costs nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from defusedxml import ElementTree

_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_TABLE_NS = re.compile(
    rb"xmlns:([\w.-]+)\s*=\s*[\"']urn:oasis:names:tc:opendocument:xmlns:table:1\.0"
)
_STYLE_NAME = re.compile(rb"[\s:]style-name\s*=\s*[\"']([^\"']*)")  # not default-cell-style-name
_DEFAULT_STYLE = re.compile(rb"default-cell-style-name\s*=\s*[\"']([^\"']*)")
_NAME = re.compile(rb"[\s:]name\s*=\s*[\"']([^\"']*)")
_ROWS_REPEATED = re.compile(rb"number-rows-repeated\s*=\s*[\"'](\d+)")
_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated\s*=\s*[\"'](\d+)")
_ENTITIES = {"&quot;": '"', "&apos;": "'"}
_AUTOMATIC = re.compile(rb"<(?:[\w.-]+:)?automatic-styles[\s>].*?</(?:[\w.-]+:)?automatic-styles>",
                        re.DOTALL)  # fmt: skip
_COLOUR = re.compile(r"^#([0-9a-fA-F]{6})$")

Extents = Mapping[str, tuple[int, int]]  # sheet -> (rows, columns) of its grid


def ods_fills(path: Path, extents: Extents) -> dict[str, dict[tuple[int, int], str]]:
    """Each sheet's cell fills ("RRGGBB") by 0-based (row, col), inside ``extents``."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        content = archive.read("content.xml")
        shared = archive.read("styles.xml") if "styles.xml" in names else b""
    styles: dict[str, tuple[str | None, str | None]] = {}  # name -> (colour, parent)
    for part in (shared, _automatic_styles(content)):
        if part:
            _read_styles(ElementTree.fromstring(part), styles)
    colours = {name: _resolve(name, styles) for name in styles}
    return _walk(content, {k: v for k, v in colours.items() if v}, extents)


def _automatic_styles(content: bytes) -> bytes:
    """content.xml's automatic styles as a document of their own (the root's namespaces)."""
    found = _AUTOMATIC.search(content, 0, content.find(b"<office:body"))
    start = content.find(b"<office:document-content")
    if found is None or start < 0:
        return b""
    root = content[start : content.find(b">", start) + 1]
    if root.endswith(b"/>"):
        return b""
    return root + found.group(0) + b"</office:document-content>"


def _read_styles(tree: object, styles: dict[str, tuple[str | None, str | None]]) -> None:
    for style in tree.iter(f"{_STYLE}style"):  # type: ignore[attr-defined]
        if style.get(f"{_STYLE}family") != "table-cell":
            continue
        colour = None
        properties = style.find(f"{_STYLE}table-cell-properties")
        if properties is not None:
            found = _COLOUR.match(properties.get(f"{_FO}background-color", ""))
            colour = found.group(1).upper() if found else None
        styles[style.get(f"{_STYLE}name", "")] = (colour, style.get(f"{_STYLE}parent-style-name"))


def _resolve(name: str, styles: dict[str, tuple[str | None, str | None]]) -> str | None:
    """A style's own background, else its parent's (a chain of at most 10)."""
    for _ in range(10):
        colour, parent = styles.get(name, (None, None))
        if colour is not None or parent is None:
            return colour
        name = parent
    return None


def _walk(
    content: bytes, colours: dict[str, str], extents: Extents
) -> dict[str, dict[tuple[int, int], str]]:
    found: dict[str, dict[tuple[int, int], str]] = {}
    if not colours:
        return found
    by_name = {escape(name).encode(): colour for name, colour in colours.items()}
    fills: dict[tuple[int, int], str] = {}
    height = width = row = column = repeat = 0
    columns: list[bytes | None] = []  # each column's default cell style, up to the grid's width
    row_style: bytes | None = None
    for name, raw, row_end in _tokens(content).findall(content):
        if row_end:
            row += repeat
        elif name == b"table-cell" or name == b"covered-table-cell":
            count = _repeated(_COLUMNS_REPEATED, raw)
            style = _value(_STYLE_NAME, raw) or row_style
            if row < height and column < width:
                for c in range(column, min(column + count, width)):
                    default = columns[c] if c < len(columns) else None
                    colour = by_name.get(style or default or b"")
                    if colour is not None:
                        for r in range(row, min(row + repeat, height)):
                            fills[(r, c)] = colour
            column += count
        elif name == b"table-row":
            repeat = _repeated(_ROWS_REPEATED, raw)
            row_style, column = _value(_DEFAULT_STYLE, raw), 0
            if raw.endswith(b"/"):
                row += repeat  # an empty row written as an empty element
        elif name == b"table-column":
            more = min(_repeated(_COLUMNS_REPEATED, raw), max(width - len(columns), 0))
            columns.extend([_value(_DEFAULT_STYLE, raw)] * more)
        else:  # a sheet begins
            sheet = unescape(_value(_NAME, raw).decode("utf-8", "replace"), _ENTITIES)
            fills = found.setdefault(sheet, {})
            height, width = extents.get(sheet, (0, 0))
            row, columns = 0, []
    return found


def _tokens(content: bytes) -> re.Pattern[bytes]:
    """The sheets', columns', rows' and cells' start tags and the rows' end tags, under the
    prefix the document gives the table namespace ("table:" as every writer spells it)."""
    declared = _TABLE_NS.search(content, 0, 65_536)
    prefix = re.escape(declared.group(1) if declared else b"table")
    return re.compile(
        rb"<" + prefix + rb":(table|table-column|table-row|table-cell|covered-table-cell)"
        rb"(?=[\s/>])([^>]*)>|</" + prefix + rb":table-row(>)"
    )


def _value(pattern: re.Pattern[bytes], raw: bytes) -> bytes:
    found = pattern.search(raw) if b"name" in raw else None
    return found.group(1) if found else b""


def _repeated(pattern: re.Pattern[bytes], raw: bytes) -> int:
    found = pattern.search(raw) if b"repeated" in raw else None
    return int(found.group(1)) if found else 1
