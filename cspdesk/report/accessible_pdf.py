"""The appendix for the council website: the accessible HTML printed to a tagged PDF."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from cspdesk.io.atomic import write_with
from cspdesk.report.artifacts import mark_margin_text
from cspdesk.report.browser import find_browser, no_browser_error, print_to_pdf
from cspdesk.report.html import render_html
from cspdesk.report.model import ReportModel


def write_accessible_pdf(
    model: ReportModel,
    target: Path,
    *,
    layout: str = "objectives",
    progress: Callable[[int, int], None] | None = None,
    large_print: bool = False,
) -> None:
    """A4 landscape, tagged, with bookmarks from the headings and the page language; its text
    at 12 pt instead of 10 pt with ``large_print``."""
    browser = find_browser()
    if browser is None:  # before any work, and before the target is touched
        raise no_browser_error()
    page = render_html(model, layout, progress, large_print=large_print, paper=True)
    with tempfile.TemporaryDirectory(prefix="cspdesk-appendix-") as folder:
        html = Path(folder) / "appendix.html"
        html.write_text(page, encoding="utf-8")
        printed = Path(folder) / "printed.pdf"
        print_to_pdf(html, printed, browser=browser)
        write_with(Path(target), lambda temp: mark_margin_text(printed, temp))
