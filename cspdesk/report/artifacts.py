"""Mark the page numbers Chromium draws in @page margin boxes as artifacts.

Chromium tags everything in the page's own flow but draws the margin boxes ("Page 2 of 17")
as text outside any marked content, which PDF/UA forbids: a screen reader would not know to
skip it. Each such text object is wrapped in an /Artifact marked-content sequence.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, NameObject

from cspdesk import APP_DISPLAY_NAME

Operation = tuple[list[object], bytes]
OPENS = (b"BDC", b"BMC")


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


def mark_margin_text(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` with untagged text marked as artifacts, and our name as
    its creator (so that cspdesk may replace it next quarter, as its other outputs)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.add_metadata({"/Creator": APP_DISPLAY_NAME})
    for page in writer.pages:
        content = ContentStream(page.get_contents(), writer)
        operations, wrapped = _artifacts(content.operations)
        if wrapped:
            content.operations = operations
            page.replace_contents(content)
            page.compress_content_streams()
    with target.open("wb") as out:
        writer.write(out)
