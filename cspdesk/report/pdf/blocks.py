"""Cheap, linear table layout for the appendix.

reportlab's Paragraph-in-Table layout measured about 8.5 ms a row here (most of it in
Paragraph.breakLines and stringWidth), and a long table re-measures its rest at every page
split. So cells are wrapped once, here, into plain lines with a per-word width cache; every row
height is known before layout; and a ``RowsBlock`` splits itself between rows at the page
boundary, handing reportlab small Tables with explicit row heights (nothing left to measure).
Plain-string cells are drawn with drawString: user text is never parsed as markup.

A block may have spanning cells (the objective beside its actions, an action's outcomes beside
its milestones); when a page break falls inside a span, the span's lines are shared out between
the two parts and the second part repeats the span's heading as "(continued)".
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import accumulate
from operator import add
from typing import Any

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from cspdesk.report.fonts import FALLBACK, QuickTTFont, body_fonts, font_for, is_winansi

FONT, BOLD = body_fonts()
SIZE = 9  # body text of a published paper: 9 pt at least
LEADING = 11
PAD = 3  # top and bottom padding of a cell
HPAD = 4
_WIDTHS: dict[str, dict[str, float]] = {}  # font -> word -> width at SIZE
_SPACE = re.compile(r"[ \t]+")
ONE_FONT = FONT == FALLBACK  # the body font has every character: no line needs another
HEADER_FILL = colors.HexColor("#1F3864")
GRID = colors.HexColor("#7F7F7F")


def _widths_in(font: str) -> dict[str, float]:
    found = _WIDTHS.get(font)
    if found is None:
        found = _WIDTHS[font] = {}
    return found


def text_width(word: str, font: str = FONT) -> float:
    widths = _widths_in(font)
    width = widths.get(word)
    if width is None:
        width = widths[word] = stringWidth(word, font_for(word, font), SIZE)
    return width


def wrap_lines(text: str, width: float, font: str = FONT) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (hard breaks kept, long words cut)."""
    return list(_wrapped(text, width, font))


@functools.lru_cache(maxsize=4096)  # a text repeated in many cells (a lead, a date) wraps once
def _wrapped(text: str, width: float, font: str) -> tuple[str, ...]:
    lines: list[str] = []
    known = _widths_in(font)
    space = text_width(" ", font)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for paragraph in text.split("\n") if "\n" in text else (text,):
        paragraph = paragraph.strip()
        if "  " in paragraph or "\t" in paragraph:
            words = _SPACE.split(paragraph)
        else:  # the usual text, single spaces: str.split is a few times quicker than a regex
            words = paragraph.split(" ")
        if not words[0]:
            lines.append("")
            continue
        try:
            sizes = list(map(known.__getitem__, words))
        except KeyError:  # a word not measured yet
            sizes = [known.get(w) or text_width(w, font) for w in words]
        if max(sizes) <= width:  # no word to cut: each line's end found by bisection
            lines += _greedy_lines(words, sizes, width, space)
            continue
        line: list[str] = []
        used = 0.0
        for word, w in zip(words, sizes, strict=True):
            if w > width:  # a word wider than the cell: cut it by characters
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                piece = ""
                for char in word:
                    if text_width(piece + char, font) > width and piece:
                        lines.append(piece)
                        piece = ""
                    piece += char
                line, used = [piece], text_width(piece, font)
                continue
            if line and used + space + w > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += w + (space if line else 0.0)
            line.append(word)
        lines.append(" ".join(line))
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


def _greedy_lines(words: list[str], sizes: list[float], width: float, space: float) -> list[str]:
    """As many words on each line as fit, as a typist fills lines; ``ends[k]`` is the width of
    the first k words with a space after each, so a line of words i..j-1 fits when
    ``ends[j] - ends[i] - space <= width``."""
    ends = [0.0, *map(add, accumulate(sizes), map(space.__mul__, range(1, len(sizes) + 1)))]
    lines: list[str] = []
    start, count = 0, len(words)
    while start < count:
        stop = max(bisect_right(ends, ends[start] + width + space, start + 1) - 1, start + 1)
        lines.append(" ".join(words[start:stop]))
        start = stop
    return lines


@functools.lru_cache(maxsize=64)  # a few tables' headers, asked for by every block and part
def header_lines(header: tuple[str, ...], widths: tuple[float, ...]) -> list[list[str]]:
    return [wrap_lines(h, w - 2 * HPAD, BOLD) for h, w in zip(header, widths, strict=True)]


@functools.lru_cache(maxsize=64)  # a few colours, set on every RAG cell
def colour(hex_colour: str) -> colors.Color:
    return colors.HexColor(hex_colour)


def lines_height(count: int) -> float:
    return count * LEADING + 2 * PAD


Runs = tuple[tuple[int, str], ...]  # a cell's lines by font: (first line, font), in order
ONE_RUN: Runs = ((0, FONT),)


@dataclass
class Cell:
    """A cell's wrapped lines, with optional fill colour, text colour and extra drawing.

    ``fonts`` is the one home of the cell's fonts: each line is drawn in the font it was
    wrapped in (``text_cell``), so the row is as tall as its drawn text needs."""

    lines: list[str]
    fill: str | None = None
    text_colour: str | None = None
    fonts: Runs = ONE_RUN
    min_lines: int = 1
    mark: Any = None  # a Flowable drawn instead of the text (e.g. a RAG label with an arrow)

    def part(self, start: int, stop: int, head: Cell | None = None) -> Cell | None:
        """Lines ``start``..``stop`` of this cell (a piece of a row cut at a page), after the
        lines of ``head`` ("Action 3: … (continued)"); None when that leaves no line."""
        lines = self.lines[start:stop]
        fonts = _runs_between(self.fonts, start, stop)
        if head is not None and head.lines:
            shift = len(head.lines)
            lines = head.lines + lines
            fonts = head.fonts + tuple((first + shift, font) for first, font in fonts)
        if not lines:
            return None
        return Cell(lines, self.fill, self.text_colour, fonts, self.min_lines, self.mark)


_EMPTY = Cell([])


def _runs_between(fonts: Runs, start: int, stop: int) -> Runs:
    """The runs of lines ``start``..``stop``, counted from ``start``."""
    if len(fonts) == 1:
        return fonts if start == 0 else ((0, fonts[0][1]),)
    before = [(0, font) for first, font in fonts if first <= start][-1:]
    return (*before, *((first - start, font) for first, font in fonts if start < first < stop))


def text_cell(width: float, *paragraphs: tuple[str, str], **style: Any) -> Cell:
    """A cell of ``paragraphs`` (text, font) wrapped to a column ``width`` wide, each in the
    font it is drawn in; ``style``: the other fields of the Cell."""
    lines: list[str] = []
    runs: list[tuple[int, str]] = []
    for text, font in paragraphs:
        wrapped = wrap_lines(text, width - 2 * HPAD, font) if text else []
        if wrapped and (not runs or runs[-1][1] != font):
            runs.append((len(lines), font))
        lines += wrapped
    return Cell(lines, fonts=tuple(runs) or ONE_RUN, **style)


@dataclass
class Span:
    """A ``cell`` spanning rows first..last (inclusive, block-relative) in column ``col``."""

    col: int
    first: int
    last: int
    cell: Cell
    continued: Cell | None = None  # lines heading a continuation
    keep_whole: bool = False  # a heading: moved to the next page rather than cut


@functools.lru_cache(maxsize=64)  # a few colours, set on every other cell
def _fill_operator(hex_colour: str) -> str:
    """The operator setting text to ``hex_colour``, as reportlab's setFillColor writes it."""
    ink = colors.HexColor(hex_colour)
    return f"{fp_str(ink.red, ink.green, ink.blue)} rg"


class QuickText(PDFTextObject):
    """A text object that sets many lines at once: the same operators as ``textLines`` for an
    embedded font, without its per-line bookkeeping (a third of the 10,000-action PDF's time)."""

    _y: float  # reportlab's own attribute, set in setTextOrigin
    _curSubset: int  # reportlab's own attribute: the embedded font's subset in use

    def __init__(self, canvas: Any, x: float = 0, y: float = 0) -> None:
        super().__init__(canvas, x, y)
        self._ink = ""
        self._selects: dict[tuple[str, float, float], str] = {}  # a font's operators, made once

    def use(self, font: str, ink: str) -> None:
        """Later lines in ``font`` at the body size, in ``ink`` ("#RRGGBB"), each operator
        written only when it changes (a cell's RAG switches both, row after row)."""
        if font != self._fontname or self._fontsize != SIZE or self._leading != LEADING:
            self.setFont(font, SIZE, LEADING)
        if ink != self._ink:
            self._ink = ink
            self._code.append(_fill_operator(ink))

    def lines_at(self, x: float, y: float, lines: list[str]) -> None:
        """``lines`` from (x, y) down: one string of operators for an embedded font whose
        characters all have their codes (the usual case), else line by line."""
        font = getFont(self._fontname)
        shown = (
            font.shown_lines(lines, self._canvas._doc)
            if lines and isinstance(font, QuickTTFont)
            else None
        )
        if shown is None:
            self.setTextOrigin(x, y)
            self.lines(lines)
            return
        position = f"1 0 0 1 {fp_str(x, y)} Tm"
        if self._curSubset != 0:
            key = (self._fontname, self._fontsize, self._leading)
            select = self._selects.get(key)
            if select is None:
                select = self._selects[key] = self._select(font, 0)
            self._curSubset = 0
            position = f"{position} {select}"
        self._code.append(f"{position} {shown}")
        self._x = self._x0 = x
        self._y = self._y0 = y - self._leading * len(lines)

    def lines(self, lines: list[str]) -> None:
        font = getFont(self._fontname)
        if not font._dynamicFont:  # a standard font (Helvetica): reportlab's own way
            self.textLines(lines)
            return
        doc, escape = self._canvas._doc, self._canvas._escape
        encoded = font.encode_lines(lines, doc) if isinstance(font, QuickTTFont) else None
        if encoded is None:
            for line in lines:
                self._line(font, line)
        else:
            if self._curSubset != 0:
                self._code.append(self._select(font, 0))
            self._code.append(" ".join([f"({escape(line)}) Tj T*" for line in encoded]))
        self._x = self._x0
        self._y = self._y0 = self._y - self._leading * len(lines)

    def _select(self, font: Any, subset: int) -> str:
        self._curSubset = subset
        name = font.getSubsetInternalName(subset, self._canvas._doc)
        return f"{name} {fp_str(self._fontsize)} Tf {fp_str(self._leading)} TL"

    def _line(self, font: Any, line: str) -> None:
        parts = []
        for subset, encoded in font.splitString(line, self._canvas._doc):
            if subset != self._curSubset:
                parts.append(self._select(font, subset))
            parts.append(f"({self._canvas._escape(encoded)}) Tj")
        parts.append("T*")
        self._code.append(" ".join(parts))


class RowsBlock(Flowable):
    """Rows with known heights, a repeated header row, and spans; splits between rows."""

    def __init__(
        self,
        header: list[str],
        col_widths: list[float],
        rows: list[list[Cell | None]],
        spans: list[Span],
        *,
        on_rows: Callable[[int], None] | None = None,
        max_row_height: float = 480.0,
        heights: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.header = header
        self.col_widths = col_widths
        self.rows = list(rows)
        self.spans = [replace(span) for span in spans]  # _fit_spans may move their ends
        self.max_row_height = max_row_height
        self.on_rows = on_rows
        self.header_lines = header_lines(tuple(header), tuple(col_widths))
        self.header_height = lines_height(max(len(lines) for lines in self.header_lines))
        # a part of a split block keeps the row heights its parent laid out
        self.heights = (
            list(heights) if heights is not None else [self._row_height(row) for row in rows]
        )
        self._fit_spans()
        self.width = sum(col_widths)

    @staticmethod
    def _row_height(row: list[Cell | None]) -> float:
        most = max((max(len(c.lines), c.min_lines) for c in row if c is not None), default=1)
        return lines_height(most)

    def _fit_spans(self) -> None:
        """Make each span's rows tall enough for its lines: first by growing its last row, then
        (so that no row outgrows a page) by adding empty rows under it."""
        for span in self.spans:
            need = lines_height(max(len(span.cell.lines), 2 if span.cell.mark is not None else 1))
            while True:
                extra = need - sum(self.heights[span.first : span.last + 1])
                if extra <= 0:
                    break
                room = self.max_row_height - self.heights[span.last]
                if room > 0:
                    self.heights[span.last] += min(extra, room)
                    continue
                self._add_row_after(span.last)

    def _add_row_after(self, index: int) -> None:
        self.rows.insert(index + 1, [None] * len(self.col_widths))
        self.heights.insert(index + 1, lines_height(1))
        for other in self.spans:
            if other.first > index:
                other.first += 1
            if other.last >= index:
                other.last += 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.height = self.header_height + sum(self.heights)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self.header_height
        count, used = 0, 0.0
        for height in self.heights:
            if used + height > room:
                break
            used += height
            count += 1
        if count == 0:
            return []
        if count == len(self.rows):
            return [self]
        first: list[Span] = []
        rest: list[Span] = []
        for span in self.spans:
            if span.last < count:
                first.append(span)
            elif span.first >= count:
                rest.append(replace(span, first=span.first - count, last=span.last - count))
            elif span.cell.fill or span.cell.mark is not None:  # a RAG: whole on both pages
                first.append(replace(span, last=count - 1))
                rest.append(replace(span, first=0, last=span.last - count))
            else:  # cut by the page break: share the lines out
                room = sum(self.heights[span.first : count]) - 2 * PAD
                fit = max(int(room // LEADING), 0)
                cell, most = span.cell, len(span.cell.lines)
                if span.keep_whole and fit < most and not self._fresh(avail_height):
                    return []  # start on the next page, where the heading fits whole
                # the heading is repeated only if that still makes progress
                head = span.continued
                head = head if head is not None and len(head.lines) < fit else None
                first.append(replace(span, last=count - 1, cell=cell.part(0, fit) or _EMPTY))
                rest.append(
                    replace(
                        span,
                        first=0,
                        last=span.last - count,
                        cell=cell.part(fit, most, head) or _EMPTY,
                    )
                )
        options: dict[str, Any] = {"on_rows": self.on_rows, "max_row_height": self.max_row_height}
        return [
            RowsBlock(
                self.header,
                self.col_widths,
                self.rows[:count],
                first,
                heights=self.heights[:count],
                **options,
            ),
            RowsBlock(
                self.header,
                self.col_widths,
                self.rows[count:],
                rest,
                heights=self.heights[count:],
                **options,
            ),
        ]

    def _fresh(self, avail_height: float) -> bool:
        """Whether this is (about) a whole page: moving on would gain nothing."""
        return avail_height >= self.max_row_height

    def draw(self) -> None:
        """Draw the grid, fills, text and marks directly: every position is already known."""
        canvas = self.canv
        xs = [0.0]
        for width in self.col_widths:
            xs.append(xs[-1] + width)
        tops = [self.height, self.height - self.header_height]
        for height in self.heights:
            tops.append(tops[-1] - height)
        # (col, first row, last row) -> content; rows are 1-based here, the header is row 0
        cells: list[tuple[int, int, int, Cell]] = []
        covered: set[tuple[int, int]] = set()
        for span in self.spans:
            cells.append((span.col, span.first + 1, span.last + 1, span.cell))
            covered.update((span.col, r + 1) for r in range(span.first, span.last + 1))
        for r, row in enumerate(self.rows, start=1):
            for c, plain in enumerate(row):
                if plain is not None and (c, r) not in covered:
                    cells.append((c, r, r, plain))

        canvas.saveState()
        canvas.setFillColor(HEADER_FILL)
        canvas.rect(0, tops[1], self.width, self.header_height, stroke=0, fill=1)
        for c, first, last, cell in cells:
            if cell.fill:
                canvas.setFillColor(colour(cell.fill))
                canvas.rect(
                    xs[c],
                    tops[last + 1],
                    xs[c + 1] - xs[c],
                    tops[first] - tops[last + 1],
                    stroke=0,
                    fill=1,
                )
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        lines = [(x, 0.0, x, self.height) for x in xs]
        lines.append((0.0, self.height, self.width, self.height))
        inside = {  # (col, row) whose top rule falls inside a span
            (span.col, r + 1) for span in self.spans for r in range(span.first + 1, span.last + 1)
        }
        columns = len(self.col_widths)
        for r in range(1, len(self.rows) + 2):
            y, c = tops[r], 0
            while c < columns:  # each run of ruled columns as one line
                if (c, r) in inside:
                    c += 1
                    continue
                start = c
                while c < columns and (c, r) not in inside:
                    c += 1
                lines.append((xs[start], y, xs[c], y))
        canvas.lines(lines)

        text = QuickText(canvas)
        text.setLeading(LEADING)
        text.use(BOLD, "#FFFFFF")
        for c, header_lines in enumerate(self.header_lines):
            text.lines_at(xs[c] + HPAD, tops[0] - PAD - SIZE + 1, header_lines)
        marks = []
        for c, first, _last, cell in cells:
            if cell.mark is not None:
                height = cell.mark.line_count * LEADING
                marks.append((cell.mark, xs[c] + HPAD, tops[first] - PAD - height))
                continue
            if not cell.lines:
                continue
            ink, x, y = cell.text_colour or "#000000", xs[c] + HPAD, tops[first] - PAD - SIZE + 1
            fonts = cell.fonts
            if len(fonts) == 1:
                _draw_lines(text, fonts[0][1], ink, x, y, cell.lines)
                continue
            stops = [first for first, _ in fonts[1:]] + [len(cell.lines)]
            for (start, font), stop in zip(fonts, stops, strict=True):
                _draw_lines(text, font, ink, x, y - start * LEADING, cell.lines[start:stop])
        canvas.drawText(text)
        for mark, x, y in marks:
            mark.drawOn(canvas, x, y)
        canvas.restoreState()
        if self.on_rows is not None:
            self.on_rows(len(self.rows))


def _draw_lines(text: QuickText, font: str, ink: str, x: float, y: float, lines: list[str]) -> None:
    """``lines`` in ``font`` from (x, y) down, a line with a character the font lacks ("Ł",
    "ś" in Helvetica) in the fallback font."""
    text.use(font, ink)
    if ONE_FONT or is_winansi("".join(lines)):
        text.lines_at(x, y, lines)
        return
    text.setTextOrigin(x, y)
    for line in lines:
        text.setFont(font_for(line, font), SIZE, LEADING)
        text.textLine(line)
    text.setFont(font, SIZE, LEADING)


ARROW, ARROW_GAP = 6, 2  # the direction's arrow, and the room between it and its word


def direction_width(word: str) -> float:
    """How wide a RagMark draws a direction of travel: its arrow, then ``word``."""
    return ARROW + ARROW_GAP + text_width(word, FONT)


class RagMark(Flowable):
    """A RAG label (its lines), and under it the direction of travel as a drawn arrow and its
    word.

    Drawn, not typed: Helvetica has no arrow glyphs, and an embedded font for three arrows
    would cost more than these few lines."""

    def __init__(
        self, label: list[str], font: str, colour: str, direction: str | None, word: str
    ) -> None:
        super().__init__()
        self.label, self.font, self.colour = label, font, colour
        self.direction, self.word = direction, word
        self.line_count = len(label) + 1

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.line_count * LEADING

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFillColor(colors.HexColor(self.colour))
        canvas.setStrokeColor(colors.HexColor(self.colour))
        for index, line in enumerate(self.label):
            canvas.setFont(font_for(line, self.font), SIZE)  # the font it was wrapped in
            canvas.drawString(0, (len(self.label) - index) * LEADING + 2, line)
        if not self.direction:
            return
        canvas.setFont(FONT, SIZE)
        x, y, size = 0, 1.5, ARROW
        path = canvas.beginPath()
        if self.direction == "up":
            path.moveTo(x, y), path.lineTo(x + size, y), path.lineTo(x + size / 2, y + size)
        elif self.direction == "down":
            path.moveTo(x, y + size), path.lineTo(x + size, y + size), path.lineTo(x + size / 2, y)
        else:
            path.moveTo(x, y), path.lineTo(x, y + size), path.lineTo(x + size, y + size / 2)
        path.close()
        canvas.drawPath(path, fill=1, stroke=0)
        canvas.drawString(x + size + ARROW_GAP, y, self.word)
