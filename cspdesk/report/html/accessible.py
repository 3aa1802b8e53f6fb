"""Markup that keeps the appendix accessible on screen and when Chromium prints it to PDF.

A chart is one image to assistive technology: the <svg> carries role="img" and the words, and
its drawn text is aria-hidden, so the tagged PDF has a /Figure with /Alt and no text outside
the structure. Tables sit in a labelled, focusable region that scrolls on its own, so a 320 px
screen never scrolls the whole page sideways.
"""

from __future__ import annotations

import re
from html import escape

_PROLOG = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!DOCTYPE[^>]*>\s*)?")
_PLACEHOLDERS = re.compile(r"\s*<(title|desc)>\.\.\.</\1>")
_TABLE = re.compile(r"(<table[^>]*>)\s*<caption>(.*?)</table>", re.DOTALL)


def labelled_svg(svg: str, words: str) -> str:
    """reportlab's SVG as one labelled image: prolog and "..." placeholders gone, text hidden."""
    svg = _PLACEHOLDERS.sub("", _PROLOG.sub("", svg))
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(words)}" ', 1)
    return svg.replace("<text ", '<text aria-hidden="true" ')


def scrollable_tables(page: str) -> str:
    """Each captioned table inside a region named by its caption that scrolls sideways alone.

    Every table we write has a caption; user text is escaped, so "<table" is only ever ours.
    """
    count = 0

    def wrap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return (
            f'<div class="scroll" role="region" tabindex="0" aria-labelledby="table-{count}">'
            f'{match.group(1)}<caption id="table-{count}">{match.group(2)}</table></div>'
        )

    return _TABLE.sub(wrap, page)
