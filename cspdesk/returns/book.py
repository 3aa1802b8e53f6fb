"""A partner return saved as .ods ("Use ODF Format!" in LibreOffice) or as Excel 97-2003 .xls,
read with the same facts an .xlsx gives read.py (io/xlsx_fast.FastBook and formulas.py,
number_formats.py, comments.py, saved.py), so every cell a partner writes is stored or named
to the officer whichever of the three they send back.

Values come from python-calamine (nothing evaluated); the rest from the file's own parts:
io/ods_return.py for an .ods (formulas, the text each number cell shows, annotations, the
saved time and custom properties in meta.xml), io/xls_return.py for an .xls (which cells hold
formulas, number formats rendered by number_formats.shown, notes, the saved time and custom
properties). What an .xls leaves out: a formula's text (a formula is named by its cell and
saved result), and a note whose text is not where Excel and LibreOffice put it (named by its
cell, with the advice to save the file as .xlsx to see it).

Saved times: an .xls keeps UTC. An .ods keeps LibreOffice's local time with no zone; it is read
in this computer's zone (returns/saved.py), as the .xlsx LibreOffice writes, so two versions
saved by one partner are ordered by when they were saved whichever format each was saved in.
A tab or line break typed in a text cell is kept: calamine drops them from an .ods, so such a
cell's text is taken from content.xml (io/ods_return.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import column_index_from_string

from cspdesk.io.gate import ImportRefused, refusal
from cspdesk.io.xlsx_book import column_letter
from cspdesk.io.xlsx_fast import reader_failures
from cspdesk.returns.cells import cell_text, is_blank
from cspdesk.returns.comments import CellComment
from cspdesk.returns.formulas import FormulaCell
from cspdesk.returns.number_formats import BUILTIN, GENERAL, Render, Unrendered, shown
from cspdesk.returns.saved import by_libreoffice, parse_w3c_time

# LibreOffice's own words for a formula's error result (Err:502) besides Excel's (#DIV/0!).
_ERROR_SHOWN = ("#", "Err:")


@dataclass
class OtherBook:
    """What read.py asks of a return's workbook, for an .ods or an .xls."""

    path: Path
    kind: str  # "ods" or "xls"
    sheetnames: list[str]
    custom_props: dict[str, str]
    saved_at: dt.datetime | None
    comments: list[CellComment]
    defined_names: dict[str, str] = field(default_factory=dict)
    # sheet -> (row from 1, column from 0, formula text, the result shown; "" when not known)
    _formulas: dict[str, list[tuple[int, int, str, str]]] = field(default_factory=dict)
    _shown: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # .ods
    _formats: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # .xls
    _texts: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # .ods
    _calamine: Any = None
    _grids: dict[str, list[list[object]]] = field(default_factory=dict)

    def rows(self, name: str) -> list[list[object]]:
        """Every row of sheet ``name`` from A1, empty cells as None (as FastBook.rows)."""
        if name not in self.sheetnames:
            raise ImportRefused(self.path, "no such sheet", sheet=name)
        if name not in self._grids:
            with reader_failures(self.path, sheet=name):
                grid = self._calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
            self._grids[name] = [[None if v == "" else v for v in row] for row in grid]
            for (row, column), text in self._texts.get(name, {}).items():
                line = self._grids[name][row - 1] if row <= len(grid) else []
                if column < len(line):
                    line[column] = text
        return self._grids[name]

    def formula_cells(self, name: str, columns: set[str]) -> list[FormulaCell]:
        """The cells of sheet ``name`` in ``columns`` (letters) that hold a formula."""
        found = []
        for row, column, formula, saved in self._formulas.get(name, []):
            letter = column_letter(column)
            if letter not in columns:
                continue
            if self.kind == "xls":  # the result it was saved with, as calamine reads it
                grid = self.rows(name)
                line = grid[row - 1] if row <= len(grid) else []
                value = line[column] if column < len(line) else None
                saved = "" if is_blank(value) else cell_text(value)
            error = saved.startswith(_ERROR_SHOWN)
            found.append(FormulaCell(row, letter, formula, saved or None, error))
        return found

    def render(self, name: str, letter: str) -> Render:
        """How a number cell in column ``letter`` of sheet ``name`` shows: an .ods keeps the
        text it showed, an .xls its number format, rendered as for an .xlsx."""
        column = column_index_from_string(letter) - 1
        shown_texts = self._shown.get(name, {})
        formats = self._formats.get(name, {})

        def render(row: int, value: float) -> str:
            if self.kind == "ods":
                text = shown_texts.get((row, column), "").strip()
                if not text or text.startswith("###"):  # too narrow to show it
                    raise Unrendered("the cell shows no text")
                return text
            code = formats.get((row, column), GENERAL)
            try:
                return shown(value, code)
            except Unrendered as error:
                raise Unrendered(code) from error

        return render

    def close(self) -> None:
        self._grids.clear()
        if self._calamine is not None:
            self._calamine.close()
            self._calamine = None


@contextmanager
def open_other_book(path: Path, kind: str) -> Iterator[OtherBook]:
    """An .ods or .xls return (``kind``) the gate has passed; ImportRefused, naming the file,
    when it is damaged or cannot be read."""
    from python_calamine import CalamineWorkbook

    with reader_failures(path):
        workbook = CalamineWorkbook.from_path(str(path))
    try:
        with reader_failures(path):
            names = [m.name for m in workbook.sheets_metadata if "WorkSheet" in str(m.typ)]
        try:
            book = _ods_book(path, names) if kind == "ods" else _xls_book(path, names)
        except ImportRefused:
            raise
        except Exception as error:  # zipfile, the XML parser, struct: damage
            raise refusal(path, error) from error
        book._calamine = workbook
        yield book
    finally:
        workbook.close()


def _ods_book(path: Path, names: list[str]) -> OtherBook:
    from cspdesk.io.ods_return import ods_facts

    facts = ods_facts(path)
    comments = [
        CellComment(name, note.row, column_letter(note.column), note.author, note.text)
        for name, sheet in facts.sheets.items()
        for note in sheet.annotations
    ]
    return OtherBook(
        path,
        "ods",
        names,
        facts.properties,
        parse_w3c_time(_six_places(facts.saved), local=by_libreoffice(facts.generator)),
        comments,
        _formulas={
            name: [(f.row, f.column, f.formula, f.shown) for f in sheet.formulas]
            for name, sheet in facts.sheets.items()
        },
        _shown={name: sheet.shown for name, sheet in facts.sheets.items()},
        _texts={name: sheet.texts for name, sheet in facts.sheets.items() if sheet.texts},
    )


def _xls_book(path: Path, names: list[str]) -> OtherBook:
    from cspdesk.io.xls_return import xls_facts

    facts = xls_facts(path)
    comments = []
    formulas: dict[str, list[tuple[int, int, str, str]]] = {}
    formats: dict[str, dict[tuple[int, int], str]] = {}
    for name, sheet in facts.sheets.items():
        comments += [
            CellComment(name, n.row + 1, column_letter(n.column), n.author.strip(), n.text)
            for n in sheet.notes
        ]
        comments += [
            CellComment(name, row + 1, column_letter(column), "", "", unread=True)
            for row, column in sheet.unread_notes
        ]
        formulas[name] = [(row + 1, column, "", "") for row, column in sheet.formulas]
        formats[name] = {
            (row + 1, column): facts.format_codes.get(number, BUILTIN.get(number, GENERAL))
            for (row, column), number in sheet.number_formats.items()
        }
    return OtherBook(
        path,
        "xls",
        names,
        facts.properties,
        facts.saved,
        comments,
        _formulas=formulas,
        _formats=formats,
    )


def _six_places(text: str) -> str:
    """LibreOffice writes a saved time to the nanosecond (2026-12-08T00:53:21.350850425);
    Python reads at most microseconds."""
    head, dot, fraction = text.partition(".")
    if not dot:
        return text
    digits = len(fraction) - len(fraction.lstrip("0123456789"))
    return f"{head}.{fraction[: min(digits, 6)]}{fraction[digits:]}" if digits else head
