"""When a return's workbook was last saved, from its document properties (docProps/core.xml).

Excel, LibreOffice and openpyxl all write the time of saving there (dcterms:modified, UTC);
two versions of one return are told apart by it, never by the order the files arrive in.
LibreOffice marks its local time as UTC, so the time is shown without naming a zone.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from cspdesk.io.xlsx_fast import FastBook

CORE_PART = "docProps/core.xml"
_MODIFIED = "{http://purl.org/dc/terms/}modified"


def saved_time(workbook: FastBook) -> dt.datetime | None:
    """The workbook's saved time as naive UTC; None when the file does not say."""
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(workbook.path) as archive:
            names = {name.lower(): name for name in archive.NameToInfo}
            member = names.get(CORE_PART.lower())
            if member is None or archive.getinfo(member).file_size > 1 << 20:
                return None
            root = fromstring(archive.read(member))
    except Exception:  # damaged properties only lose the saved time, never the return
        return None
    element = root.find(_MODIFIED)
    return parse_w3c_time((element.text or "") if element is not None else "")


def parse_w3c_time(text: str) -> dt.datetime | None:
    """ "2016-08-03T10:12:00Z" (or with an offset, or fractions of a second) as naive UTC."""
    text = text.strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when
