"""When a return's workbook was last saved, from its document properties, as naive UTC.

Two versions of one return are told apart by it, never by the order the files arrive in, so
every format must give true UTC. Excel and openpyxl write UTC in an .xlsx (docProps/core.xml
dcterms:modified), and an .xls keeps UTC (io/xls_return.py). LibreOffice writes the LOCAL time
of the computer it ran on: in an .xlsx marked "Z" as if UTC, in an .ods (meta.xml dc:date) with
no zone. Such a time is read in the zone of the computer cspdesk runs on: a partnership's
partners work in the officer's zone (the UK's, say), and the zone's rules for that date give
the offset, so a summer (BST) save is an hour ahead of UTC and a winter one is not. Saved times
are shown to the officer in local time too (``local_text``), without naming the zone.
"""

from __future__ import annotations

import datetime as dt
import zipfile

from cspdesk.io.xlsx_fast import FastBook

CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
_MODIFIED = "{http://purl.org/dc/terms/}modified"
_APPLICATION = (
    "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}Application"
)
_MAX_PART = 1 << 20


def saved_time(workbook: FastBook) -> dt.datetime | None:
    """The workbook's saved time as naive UTC; None when the file does not say."""
    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(workbook.path) as archive:
            names = {name.lower(): name for name in archive.NameToInfo}
            member = names.get(CORE_PART.lower())
            if member is None or archive.getinfo(member).file_size > _MAX_PART:
                return None
            root = fromstring(archive.read(member))
            app = names.get(APP_PART.lower())
            application = None
            if app is not None and archive.getinfo(app).file_size <= _MAX_PART:
                application = fromstring(archive.read(app)).find(_APPLICATION)
    except Exception:  # damaged properties only lose the saved time, never the return
        return None
    element = root.find(_MODIFIED)
    text = (element.text or "") if element is not None else ""
    writer = (application.text or "") if application is not None else ""
    return parse_w3c_time(text, local=by_libreoffice(writer))


def by_libreoffice(application: str) -> bool:
    """Whether a file's writer (app.xml Application, meta.xml generator) is LibreOffice,
    which writes its saved time in local time."""
    return application.strip().startswith("LibreOffice")


def parse_w3c_time(text: str, *, local: bool = False) -> dt.datetime | None:
    """ "2016-08-03T10:12:00Z" (or with an offset, or fractions of a second) as naive UTC.

    ``local``: the time is the writer's local time whatever zone it is marked with
    (LibreOffice's), so it is read in this computer's zone."""
    text = text.strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if local:
        try:  # a naive datetime's astimezone reads it in the local zone, for its own date
            return when.replace(tzinfo=None).astimezone(dt.UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def local_text(when: dt.datetime) -> str:
    """A naive UTC time as the officer's clock showed it: "03/08/2016 11:12"."""
    try:
        shown = when.replace(tzinfo=dt.UTC).astimezone()
    except (OverflowError, OSError, ValueError):
        shown = when
    return f"{shown:%d/%m/%Y %H:%M}"
