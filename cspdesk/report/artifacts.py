"""Mark the page numbers Chromium draws in @page margin boxes as artifacts.

Chromium tags everything in the page's own flow but draws the margin boxes ("Page 2 of 17")
as text outside any marked content, which PDF/UA forbids: a screen reader would not know to
skip it. Each such text object is wrapped in an /Artifact marked-content sequence.
"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, NameObject, StreamObject

from cspdesk import APP_DISPLAY_NAME

Operation = tuple[list[object], bytes]
OPENS = (b"BDC", b"BMC")
_LINE_OPERATORS = re.compile(rb"(?m)^(?:BT|ET|EMC)$|(?:BDC|BMC)$")


def _artifacts(operations: list[Operation]) -> tuple[list[Operation], int]:
    """The operations with each untagged text object wrapped; how many were wrapped."""
    out: list[Operation] = []
    depth = wrapped = 0
    for operands, operator in operations:
        if operator in OPENS:
            depth += 1
        elif operator == b"EMC":
            depth -= 1
        if depth == 0 and operator == b"BT":
            out.append(([NameObject("/Artifact")], b"BMC"))
            wrapped += 1
        out.append((operands, operator))
        if depth == 0 and operator == b"ET":
            out.append(([], b"EMC"))
    return out, wrapped


def _artifacts_in_lines(data: bytes) -> bytes | None:
    """The same on the stream's bytes, when it holds one operator a line and no literal
    strings (as Chromium's Skia writes it): a parse of every operator costs 20 times more."""
    if b"(" in data:
        return None
    out: list[bytes] = []
    depth = position = 0
    for match in _LINE_OPERATORS.finditer(data):
        token = match.group(0)
        if token.endswith((b"BDC", b"BMC")):
            depth += 1
        elif token == b"EMC":
            depth -= 1
        elif depth == 0 and token == b"BT":
            out += [data[position : match.start()], b"/Artifact BMC\n"]
            position = match.start()
        elif depth == 0 and token == b"ET":
            out += [data[position : match.end()], b"\nEMC"]
            position = match.end()
    out.append(data[position:])
    return b"".join(out)


def mark_margin_text(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with untagged text marked as artifacts, and our name as
    its creator (so that cspdesk may replace it next quarter, as its other outputs)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.add_metadata({"/Creator": APP_DISPLAY_NAME})
    writer.page_mode = "/UseOutlines"  # open with the bookmarks shown, as the print PDF
    for page in writer.pages:
        stream = page["/Contents"].get_object()
        if isinstance(stream, StreamObject):
            marked = _artifacts_in_lines(stream.get_data())
            if marked is not None:
                stream.set_data(marked)
                continue
        content = ContentStream(page.get_contents(), writer)
        operations, wrapped = _artifacts(content.operations)
        if wrapped:
            content.operations = operations
            page.replace_contents(content)
            page.compress_content_streams()
    with target.open("wb") as out:
        writer.write(out)
