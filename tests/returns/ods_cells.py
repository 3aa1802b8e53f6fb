"""Test helpers for returns saved by LibreOffice as .ods or .xls: make the test workspace the
one that made a fixture, and type values into an .ods's cells (content.xml rewritten as
LibreOffice writes it: repeated rows and cells split where a value goes)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from copy import deepcopy
from pathlib import Path
from xml.etree import ElementTree as ET

from python_calamine import CalamineWorkbook
from sqlalchemy import update

from cspdesk.core.plan.model import Partnership, ReturnRecord
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace

DATA = Path(__file__).resolve().parent.parent / "data" / "returns"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
_ROW, _CELL = f"{{{TABLE}}}table-row", f"{{{TABLE}}}table-cell"
_ROWS_REPEATED, _COLUMNS_REPEATED = (
    f"{{{TABLE}}}number-rows-repeated",
    f"{{{TABLE}}}number-columns-repeated",
)


def fixture(name: str) -> Path:
    """tests/data/returns/all_partners_q1_NAME (made by tests/data/returns/ods_xls_source.py)."""
    return DATA / f"all_partners_q1_{name}"


def stamp_of(path: Path) -> dict[str, str]:
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("cspdesk").to_python()
    return {str(row[0]): str(row[1]) for row in rows if row and row[0]}


def adopt(location: Location) -> None:
    """Make the workspace at ``location`` the one that made the fixtures (its uid, and the
    record of the All partners Q1 return)."""
    with Workspace.open(location) as workspace:
        adopt_return(workspace, fixture("blank.ods"))


def adopt_return(workspace: Workspace, path: Path) -> None:
    """Make ``workspace`` the one that made the return at ``path`` (same uid, same record)."""
    stamp = stamp_of(path)

    def write(session):  # type: ignore[no-untyped-def]
        session.execute(update(Partnership).values(uid=stamp["workspace"]))
        session.add(
            ReturnRecord(
                token=stamp["token"],
                plan_id=int(stamp["plan_id"]),
                quarter=int(stamp["quarter"]),
                agency_id=int(stamp["agency_id"]),
                lead_name=stamp["lead"],
                made_at=dt.datetime.fromisoformat(stamp["made_at"]) - dt.timedelta(days=1),
            )
        )

    workspace.write(write)


def copy_fixture(name: str, folder: Path, as_name: str | None = None) -> Path:
    target = folder / (as_name or name)
    shutil.copy(fixture(name), target)
    return target


def rewrite_member(path: Path, member: str, change: bytes) -> None:
    temp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w") as target:
        for item in source.infolist():
            data = change if item.filename == member else source.read(item.filename)
            target.writestr(item, data)
    temp.replace(path)


def saved_on(path: Path, when: dt.datetime) -> None:
    """The .ods's saved time (meta.xml dc:date) set to ``when``."""
    with zipfile.ZipFile(path) as archive:
        meta = archive.read("meta.xml")
    stamp = f"{when:%Y-%m-%dT%H:%M:%S}.000000000".encode()
    meta = re.sub(rb"(<dc:date>)[^<]*(</dc:date>)", rb"\g<1>" + stamp + rb"\g<2>", meta)
    rewrite_member(path, "meta.xml", meta)


def _namespaces(data: bytes) -> None:
    for _, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
        ET.register_namespace(prefix, uri)


def _split_at(parent: ET.Element, tag: str, attribute: str, index: int) -> ET.Element:
    """The child ``tag`` at ``index`` (from 0, counting repeats) of ``parent``, on its own:
    a repeated run is split around it; past the end, empty ones are added up to it."""
    position = 0
    children = list(parent)
    for at, child in enumerate(children):
        if child.tag != tag:
            continue
        count = int(child.get(attribute, "1"))
        if position + count > index:
            offset = index - position
            parts = []
            for size in (offset, 1, count - offset - 1):
                if size:
                    part = deepcopy(child)
                    part.attrib.pop(attribute, None)
                    if size > 1:
                        part.set(attribute, str(size))
                    parts.append(part)
            parent.remove(child)
            for k, part in enumerate(parts):
                parent.insert(at + k, part)
            return parts[1 if offset else 0]
        position += count
    if index > position:
        padding = ET.SubElement(parent, tag)
        padding.set(attribute, str(index - position))
    return ET.SubElement(parent, tag)


def set_ods_cells(path: Path, sheet: str, cells: dict[str, object]) -> None:
    """Type ``cells`` ({"G2": value}) into sheet ``sheet`` of the .ods at ``path``: text, a
    whole number, or a date, each as LibreOffice stores it (with the text the cell shows)."""
    with zipfile.ZipFile(path) as archive:
        data = archive.read("content.xml")
    _namespaces(data)
    root = ET.fromstring(data)
    table = next(t for t in root.iter(f"{{{TABLE}}}table") if t.get(f"{{{TABLE}}}name") == sheet)
    for ref, value in cells.items():
        letters = ref.rstrip("0123456789")
        row_number = int(ref[len(letters) :])
        column = 0
        for char in letters:
            column = column * 26 + ord(char) - 64
        row = _row(table, row_number - 1)
        cell = _split_at(row, _CELL, _COLUMNS_REPEATED, column - 1)
        _put(cell, value)
    rewrite_member(path, "content.xml", ET.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _row(table: ET.Element, index: int) -> ET.Element:
    """Row ``index`` (from 0) of a sheet, whose first rows may sit in table-header-rows."""
    header = table.find(f"{{{TABLE}}}table-header-rows")
    head = list(header) if header is not None else []
    if index < len(head):
        return head[index]
    return _split_at(table, _ROW, _ROWS_REPEATED, index - len(head))


def _put(cell: ET.Element, value: object) -> None:
    for name in list(cell.attrib):
        if name.startswith((f"{{{OFFICE}}}", f"{{{CALCEXT}}}")) or name.endswith("formula"):
            del cell.attrib[name]
    for child in list(cell):
        cell.remove(child)
    if isinstance(value, dt.date):
        kind, shown = "date", f"{value:%d/%m/%Y}"
        cell.set(f"{{{OFFICE}}}date-value", value.isoformat())
    elif isinstance(value, int):
        kind, shown = "float", str(value)
        cell.set(f"{{{OFFICE}}}value", str(value))
    else:
        kind, shown = "string", str(value)
    cell.set(f"{{{OFFICE}}}value-type", kind)
    cell.set(f"{{{CALCEXT}}}value-type", kind)
    for line in shown.split("\n"):
        ET.SubElement(cell, f"{{{TEXT}}}p").text = line
