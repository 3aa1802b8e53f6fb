"""XlsxWriter's workbook with every string written as text.

XlsxWriter writes a string that starts with "<r>" and ends with "</r>" unescaped, as the XML of
rich text (its own rich strings travel that way). Text an officer or a partner typed like that
came out as an empty cell, or, holding "&" or "<", as a file Excel has to repair. Our workbooks
hold no rich text, so every string is written escaped.

XlsxWriter is imported when a workbook is first written, not when the program starts.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlsxwriter.sharedstrings import SharedStrings
    from xlsxwriter.workbook import Workbook


@functools.cache
def text_strings_class() -> type[SharedStrings]:
    """XlsxWriter's shared strings (sharedStrings.xml), each written as text."""
    from xlsxwriter.sharedstrings import SharedStrings
    from xlsxwriter.utility import _preserve_whitespace

    class TextStrings(SharedStrings):
        def _write_si(self, string: str) -> None:
            string = self._escape_control_characters(string)
            preserve = [("xml:space", "preserve")] if _preserve_whitespace(string) else []
            self._xml_si_element(string, preserve)

    return TextStrings


def workbook_class_writing(strings_class: type[SharedStrings]) -> type[Workbook]:
    """XlsxWriter's workbook writing its shared strings with ``strings_class``."""
    from xlsxwriter.packager import Packager
    from xlsxwriter.workbook import Workbook

    class TextPackager(Packager):
        def _write_shared_strings_file(self) -> None:
            if not self.workbook.str_table.count:
                return
            strings = strings_class()
            strings.string_table = self.workbook.str_table
            strings._set_xml_writer(self._filename("xl/sharedStrings.xml"))
            strings._assemble_xml_file()

    class TextWorkbook(Workbook):
        def _get_packager(self) -> Packager:
            return TextPackager()

    return TextWorkbook


@functools.cache
def text_workbook_class() -> type[Workbook]:
    """XlsxWriter's workbook with every string written as text (``constant_memory`` off: its
    inline strings take another way, which this does not cover)."""
    return workbook_class_writing(text_strings_class())
