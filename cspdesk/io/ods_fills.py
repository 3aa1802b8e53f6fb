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

from defusedxml import ElementTree

_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_TOKEN = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table|table-column|table-row|table-cell|covered-table-cell)"
    rb"(?=[\s/>])([^>]*)>"
)
_ATTRIBUTE = re.compile(
    rb"(?:[\w.-]+:)?(name|style-name|default-cell-style-name|number-rows-repeated|"
    rb"number-columns-repeated)\s*=\s*[\"']([^\"']*)[\"']"
)
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
    fills: dict[tuple[int, int], str] = {}
    height = width = row = column = repeat = 0
    columns: list[str | None] = []  # each column's default cell style, up to the grid's width
    row_style: str | None = None
    for closing, name, raw in _TOKEN.findall(content):
        if closing:
            if name == b"table-row":
                row += repeat
            continue
        attributes = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTRIBUTE.findall(raw)}
        if name == b"table":
            fills = found.setdefault(attributes.get("name", ""), {})
            height, width = extents.get(attributes.get("name", ""), (0, 0))
            row, columns = 0, []
        elif name == b"table-column":
            count = int(attributes.get("number-columns-repeated", "1") or 1)
            more = min(count, max(width - len(columns), 0))
            columns.extend([attributes.get("default-cell-style-name")] * more)
        elif name == b"table-row":
            repeat = int(attributes.get("number-rows-repeated", "1") or 1)
            row_style, column = attributes.get("default-cell-style-name"), 0
            if raw.endswith(b"/"):
                row += repeat  # an empty row written as an empty element
        else:  # a cell
            count = int(attributes.get("number-columns-repeated", "1") or 1)
            style = attributes.get("style-name") or row_style
            if row < height and column < width:
                for c in range(column, min(column + count, width)):
                    default = columns[c] if c < len(columns) else None
                    colour = colours.get(style or default or "")
                    if colour is not None:
                        for r in range(row, min(row + repeat, height)):
                            fills[(r, c)] = colour
            column += count
    return found
