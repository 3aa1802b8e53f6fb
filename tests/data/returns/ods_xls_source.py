"""How the .ods and .xls returns in this folder were made: the All partners Q1 return of the
conftest plan (tests/conftest.py), filled in by LibreOffice 7.4 itself over UNO and saved in
its own format (.ods, "Use ODF Format!") and as Excel 97-2003 (.xls). Run by the system Python
that has the `uno` module (python3-uno), not the project's virtual environment:

    /usr/bin/python3 ods_xls_source.py RETURN.xlsx OUT_DIR PROFILE_DIR

It writes blank, filled, copied and unstamped, each as .ods and .xls. The edits (sheet
"Actions": row 2 is action A1, rows 3 and 4 its milestones M1 and M2, rows 5 on new work):

blank: saved as it came (the base the hypothesis test of accounting fills in).
filled: G2 0.5 shown "50%", H2 "amber", a comment on H2, G3 the formula =2+2, H4 "Blue" and
I4 the date 15/12/2016, new work in row 5 (C5 words, G5 1234.5 shown "£1,234.50", H5 "Green")
and row 6 (C6 words, G6 2000 shown "2,000"); the cover's "Completed by" (B8, B9) and words
beside it (C9).
copied: the sheet copied ("Actions (2)") and the copy filled (G2, H2), the original untouched.
unstamped: the hidden stamp sheet deleted (its token survives in the document properties), G2
"Typed after the stamp sheet was deleted".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import uno  # type: ignore[import-not-found]

# LibreOffice is started as the tests' own UNO helper starts it (tests/returns).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "returns"))
from libreoffice_uno import office, open_hidden, prop  # type: ignore[import-not-found]

FILTERS = {".ods": "calc8", ".xls": "MS Excel 97"}
EXCEL_DAY_15_12_2016 = 42719


def _format(doc, code: str) -> int:  # type: ignore[no-untyped-def]
    locale = uno.createUnoStruct("com.sun.star.lang.Locale")
    locale.Language, locale.Country = "en", "GB"
    key = doc.NumberFormats.queryKey(code, locale, False)
    return key if key != -1 else doc.NumberFormats.addNew(code, locale)


def fill(doc) -> None:  # type: ignore[no-untyped-def]
    sheet = doc.Sheets.getByName("Actions")
    sheet.unprotect("")

    def number(ref: str, value: float, code: str) -> None:
        cell = sheet.getCellRangeByName(ref)
        cell.setValue(value)
        cell.NumberFormat = _format(doc, code)

    number("G2", 0.5, "0%")
    sheet.getCellRangeByName("H2").setString("amber")
    sheet.Annotations.insertNew(
        sheet.getCellRangeByName("H2").CellAddress, "Amber until the second venue is booked"
    )
    sheet.getCellRangeByName("G3").setFormula("=2+2")
    sheet.getCellRangeByName("H4").setString("Blue")
    number("I4", EXCEL_DAY_15_12_2016, "DD/MM/YYYY")
    sheet.getCellRangeByName("C5").setString("White Ribbon day stall")
    number("G5", 1234.5, "[$£-809]#,##0.00")
    sheet.getCellRangeByName("H5").setString("Green")
    sheet.getCellRangeByName("C6").setString("Leaflets printed")
    number("G6", 2000, "#,##0")
    cover = doc.Sheets.getByName("Cover")
    cover.unprotect("")
    cover.getCellRangeByName("B8").setString("Essex Police")
    cover.getCellRangeByName("B9").setString("Emma Clark")
    cover.getCellRangeByName("C9").setString("Back from leave on Monday")


def copied(doc) -> None:  # type: ignore[no-untyped-def]
    doc.Sheets.copyByName("Actions", "Actions (2)", 2)
    sheet = doc.Sheets.getByName("Actions (2)")
    sheet.unprotect("")
    sheet.getCellRangeByName("G2").setString("Written in the copy of the sheet")
    sheet.getCellRangeByName("H2").setString("Red")


def unstamped(doc) -> None:  # type: ignore[no-untyped-def]
    doc.Sheets.removeByName("cspdesk")
    sheet = doc.Sheets.getByName("Actions")
    sheet.getCellRangeByName("G2").setString("Typed after the stamp sheet was deleted")


def main(source: str, out: str, profile: str) -> None:
    edits = (("blank", None), ("filled", fill), ("copied", copied), ("unstamped", unstamped))
    with office(profile, "cspdesk_fixture") as desktop:
        for name, edit in edits:
            doc = open_hidden(desktop, source)
            if edit is not None:
                edit(doc)
            for suffix, kind in FILTERS.items():
                target = os.path.abspath(os.path.join(out, name + suffix))
                doc.storeToURL(
                    uno.systemPathToFileUrl(target),
                    (prop("FilterName", kind), prop("Overwrite", True)),
                )
            doc.close(True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
