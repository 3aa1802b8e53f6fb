"""What a file really is, from its bytes (the extension is only a claim), and what to tell the
user about each kind that is not an .xlsx workbook."""

from __future__ import annotations

from pathlib import Path

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
HEAD_BYTES = 2048
OLE2_SCAN_BYTES = 8 * 1024 * 1024

# OLE2 directory entries hold stream names in UTF-16LE.
_OLE2_STREAMS = (
    ("encrypted", "EncryptedPackage"),
    ("encrypted", "EncryptionInfo"),
    ("xls", "Workbook"),
    ("xls95", "Book"),  # Excel 5 and 95 (BIFF5) name the stream "Book"; 97 on "Workbook"
    ("doc", "WordDocument"),
    ("ppt", "PowerPoint Document"),
)

# A partner may have LibreOffice and no Excel: each way to save an .xlsx names both.
SAVE_AS_XLSX = (
    "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx) "
    "(in LibreOffice: File > Save As, type Excel 2007-365 (.xlsx))"
)
MESSAGES = {
    "empty": "the file is empty",
    "encrypted": "this workbook is protected with a password (encrypted); open it in Excel, "
    "remove the password (File > Info > Protect Workbook), save it and import again "
    '(in LibreOffice: File > Save As with "Save with password" unticked)',
    # Excel cannot open an .ods: only LibreOffice can take its password off.
    "encrypted-ods": "this spreadsheet is protected with a password (encrypted); open it in "
    'LibreOffice, File > Save As with "Save with password" unticked, and import again',
    "xls": f"this is an old Excel 97-2003 workbook (.xls); {SAVE_AS_XLSX}, then import again",
    "xls95": f"this is an Excel 95 file (or older); {SAVE_AS_XLSX}, then import again",
    "xls-biff": f"this is an Excel 4 (or older) worksheet; {SAVE_AS_XLSX}, then import again",
    "strict": "this workbook is saved as Strict Open XML, which cspdesk cannot read; "
    f"{SAVE_AS_XLSX} (not Strict), then import again",
    "ole2": f"this is an old Office 97-2003 file, not an .xlsx workbook; {SAVE_AS_XLSX}",
    "doc": "this is a Word document (.doc), not an Excel workbook",
    "docx": "this is a Word document, not an Excel workbook",
    "ppt": "this is a PowerPoint file, not an Excel workbook",
    "pptx": "this is a PowerPoint presentation, not an Excel workbook",
    "xlsb": f"this is an Excel binary workbook (.xlsb); {SAVE_AS_XLSX}",
    "ods": f"this is an OpenDocument spreadsheet (.ods); {SAVE_AS_XLSX}, then import again",
    "other-zip": "this is a zip file but not an Excel workbook (.xlsx)",
    "csv": f"this is a text file (CSV?), not an Excel workbook; {SAVE_AS_XLSX}",
    "html": f"this is a web page (HTML) saved under an Excel name; {SAVE_AS_XLSX}",
    "xml": "this is an XML file (perhaps an Excel 2003 XML spreadsheet), not an .xlsx "
    f"workbook; {SAVE_AS_XLSX}",
    "rtf": "this is a Rich Text document, not an Excel workbook",
    "pdf": "this is a PDF, not an Excel workbook",
    "unknown": "this is not an Excel workbook (.xlsx)",
}


def describe_kind(kind: str) -> str:
    return MESSAGES.get(kind, MESSAGES["unknown"])


def sniff(path: Path) -> str:
    """One of: zip, encrypted, xls, xls95, xls-biff, ole2, doc, ppt, pdf, rtf, html, xml, csv,
    empty, unknown."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        if head.startswith(OLE2_MAGIC):
            handle.seek(0)
            return _ole2_kind(handle.read(OLE2_SCAN_BYTES))
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head[:2] == b"\x09\x00" or head[:2] in (b"\x09\x02", b"\x09\x04"):  # BIFF2-4 BOF
        return "xls-biff"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = _as_text(head)
    if text is None:
        return "unknown"
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in lowered:
        return "html"
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        return "xml"
    return "csv"


def _ole2_kind(data: bytes) -> str:
    for kind, name in _OLE2_STREAMS:
        if name.encode("utf-16-le") in data:
            return kind
    return "ole2"


def _as_text(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 4:  # a character cut at the end of the sample
            return head[: error.start].decode("utf-8")
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return None
        printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
        return text if printable >= 0.95 * len(text) else None
