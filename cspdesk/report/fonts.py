"""Fonts for the PDF: an embedded TrueType family, Helvetica only when none can be read.

A published PDF must embed its fonts (PDF/UA, and a reader without Helvetica substitutes
another), so the appendix is set in Liberation Sans, shipped in resources/fonts/ under the
SIL Open Font License: metric-compatible with Helvetica and Arial (the same line breaks), and
it has "Ł", "ś", "ğ" as well as WinAnsi's "£", "–", "’", "•", "€". Should that file be
missing or unreadable, Arial (Windows), Liberation Sans or DejaVu Sans from the system are
used, and failing those Helvetica, with lines holding characters it lacks as boxes.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
from pathlib import Path
from typing import Any

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FALLBACK = "CspSans"
FALLBACK_BOLD = "CspSans-Bold"
_NOT_WINANSI = re.compile(r"[^\x00-\x7f]+")
NEWLINE_CODE = 127  # a cell's lines are encoded as one, joined by this code
_NEWLINE = bytes([NEWLINE_CODE])


def _candidates() -> list[tuple[Path, Path]]:
    from cspdesk.paths import resources_dir

    fonts = resources_dir() / "fonts"
    windows = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [
        (fonts / "Sans-Regular.ttf", fonts / "Sans-Bold.ttf"),
        (windows / "arial.ttf", windows / "arialbd.ttf"),
        (
            Path("/System/Library/Fonts/Supplemental/Arial.ttf"),
            Path("/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
        ),
        (
            Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
            Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
        ),
        (
            Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ),
    ]


class QuickTTFont(TTFont):
    """A TrueType font whose text is encoded for the page at C speed once its characters have
    their codes: reportlab's ``splitString`` looks every character up in a Python loop, which
    was most of the 10,000-action appendix's time. A line with a character not yet given a
    code (or outside the first subset of 256) goes the long way, which gives it one."""

    def splitString(self, text: str | bytes, doc: object, encoding: str = "utf-8") -> Any:
        if isinstance(text, str):
            quick = self.encode_lines([text], doc)
            if quick is not None:
                return [(0, quick[0])] if text else []
        results = super().splitString(text, doc, encoding)
        if isinstance(text, str):
            self._learn(self.state[doc], text)
        return results

    def encode_lines(self, lines: list[str], doc: object) -> list[bytes] | None:
        """Each line's bytes in the first subset, or None when a character has no code there
        yet (``splitString`` then gives it one)."""
        state = self.state.get(doc)
        quick = None if state is None else state.__dict__.get("_quick")
        if quick is None or not set("".join(lines)) <= quick[1]:
            return None
        # one translation for the whole cell, cut back into lines (a character stays one byte)
        encoded = "".join(lines).translate(quick[0]).encode("latin-1")
        out, start = [], 0
        for line in lines:
            out.append(encoded[start : start + len(line)])
            start += len(line)
        return out

    def shown_lines(self, lines: list[str], doc: object) -> str | None:
        """The page operators that show ``lines`` one under another ("(…) Tj T* (…) Tj T*"),
        the whole cell encoded in one C call; None when a character has no code yet."""
        state = self.state.get(doc)
        extra = {} if state is None else state.__dict__
        codec = extra.get("_codec")
        if codec is None:
            if "_quick" not in extra:
                return None
            codec = extra["_codec"] = _line_codec(extra["_quick"][0])
        try:
            encoded = codecs.charmap_encode("\n".join(lines), "strict", codec)[0]
        except UnicodeEncodeError:
            return None
        shown = ") Tj T* (".join(map(escapePDF, encoded.split(_NEWLINE)))
        return f"({shown}) Tj T*"

    @staticmethod
    def _learn(state: Any, text: str) -> None:
        table, known = state.__dict__.setdefault("_quick", ({}, set()))
        for char in set(text) - known:
            code = state.assignments.get(32 if char == "\xa0" else ord(char))
            if code is not None and code < 256:
                table[ord(char)] = code
                known.add(char)
                state.__dict__.pop("_codec", None)  # made again with the new character


def _line_codec(codes: dict[int, int]) -> Any:
    """An encoding map for ``codecs.charmap_encode``: each character to its code, and the
    newline to 127, which no character but DEL is given (reportlab's codes go from 31 to 128),
    so the encoded cell splits back into its lines. A newline, a no-break space (sharing a
    code with the space), DEL and characters beyond U+FFFF are left out: a line holding one
    goes the long way. U+0000 keeps code 0 (reportlab's own): the map is then a table in C,
    some eight times quicker than the dict it is otherwise."""
    decoding = ["\ufffe"] * 256  # U+FFFE: no character for this code
    decoding[0] = "\0"
    for char, code in codes.items():
        usable = 0 < code < 256 and code != NEWLINE_CODE and char <= 0xFFFF
        if usable and char not in (0x0A, 0x7F, 0xA0):
            decoding[code] = chr(char)
    decoding[NEWLINE_CODE] = "\n"
    return codecs.charmap_build("".join(decoding))


@functools.cache
def fallback_available() -> bool:
    """Register the first fallback font pair found; False when there is none."""
    for regular, bold in _candidates():
        if regular.is_file() and bold.is_file():
            try:
                pdfmetrics.registerFont(QuickTTFont(FALLBACK, str(regular)))
                pdfmetrics.registerFont(QuickTTFont(FALLBACK_BOLD, str(bold)))
            except Exception:  # a damaged or unreadable font file: try the next
                continue
            return True
    return False


@functools.cache
def body_fonts() -> tuple[str, str]:
    """The regular and bold font names the appendix is set in."""
    if fallback_available():
        return FALLBACK, FALLBACK_BOLD
    return "Helvetica", "Helvetica-Bold"


def is_winansi(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def font_for(text: str, font: str) -> str:
    """``font`` (Helvetica or Helvetica-Bold), or the fallback when ``text`` needs it."""
    if is_winansi(text) or not fallback_available():
        return font
    return FALLBACK_BOLD if font.endswith("Bold") else FALLBACK


def markup_fallback(escaped: str, bold: bool = False) -> str:
    """Paragraph markup (already escaped) with non-WinAnsi runs set in the fallback font."""
    if is_winansi(escaped) or not fallback_available():
        return escaped
    face = FALLBACK_BOLD if bold else FALLBACK

    def swap(match: re.Match[str]) -> str:
        run = match.group(0)
        return run if is_winansi(run) else f'<font face="{face}">{run}</font>'

    return _NOT_WINANSI.sub(swap, escaped)
