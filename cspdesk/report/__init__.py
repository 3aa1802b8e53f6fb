"""The committee appendix: its model, the one source (the quarter's view), the PDF, HTML and
Word writers and their charts, and ``write_report``, which the CLI and the print dialog both use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.errors import CspdeskError

if TYPE_CHECKING:
    from cspdesk.report.model import ReportModel

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".docx": "docx"}


def output_format(path: Path) -> str:
    """ "pdf", "html" or "docx" from the file name; CspdeskError for anything else."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise CspdeskError(f"{path}: give a file name ending in .pdf, .html or .docx")
    return fmt


def write_report(
    model: ReportModel,
    path: Path,
    *,
    layout: str = "objectives",
    progress: Callable[[int, int], None] | None = None,
    accessible: bool = False,
    large_print: bool = False,
) -> None:
    """Write the appendix as PDF, accessible HTML or Word, by the file name's extension.

    ``accessible`` makes the PDF a tagged one, printed from the accessible HTML by the system's
    Chromium-based browser (NoBrowserError when there is none); otherwise reportlab's print
    version. ``large_print``: 12 pt text in either PDF, and when the HTML is printed.
    """
    fmt = output_format(path)
    if fmt == "pdf" and accessible:
        from cspdesk.report.accessible_pdf import write_accessible_pdf

        write_accessible_pdf(model, path, layout=layout, progress=progress, large_print=large_print)
    elif fmt == "pdf":
        from cspdesk.report.pdf import write_pdf

        write_pdf(model, path, layout=layout, progress=progress, large_print=large_print)
    elif fmt == "docx":
        from cspdesk.report.docx import write_docx

        write_docx(model, path, layout=layout, progress=progress, large_print=large_print)
    else:
        from cspdesk.report.html import write_html

        write_html(model, path, layout=layout, progress=progress, large_print=large_print)
