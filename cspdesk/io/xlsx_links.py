"""Workbooks whose internal links are spelt unusually, made plain before the plan readers read them.

Excel reads a workbook whatever case its links use ("worksheets/Sheet2.xml" for the part
"worksheets/sheet2.xml"), with "./" in them, with the workbook stored outside "xl/", or written
as Strict Open XML (other namespaces). The readers (openpyxl, python-calamine) and the gate
expect the usual spelling, and skip or refuse the rest. Such a file is copied, with every link
resolved as Excel resolves it and Strict namespaces turned to the usual ones, into a temporary
file that then goes through the gate like any other. A usual workbook is read as it is.

Only the parts a plan needs are carried over (workbook, sheets, shared strings, styles, theme,
document properties). The XML read here is small and read with defusedxml.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from cspdesk.io.gate import (
    MAX_FILE_BYTES,
    MAX_MEMBER_RATIO,
    MAX_MEMBERS,
    MAX_UNCOMPRESSED_BYTES,
    RATIO_CHECKED_FROM,
    has_twin_parts,
)
from cspdesk.io.sniff import sniff
from cspdesk.store.part_files import STALE_AFTER_SECONDS

COPY_PREFIX = "cspdesk-plain-"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_STRICT = {
    b"http://purl.oclc.org/ooxml/spreadsheetml/main": (
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/main": (
        b"http://schemas.openxmlformats.org/drawingml/2006/main"
    ),
}
# Relationship type (its last word) -> where the plain copy keeps the part, and its content type.
_KEPT = {
    "worksheet": ("worksheets/sheet{n}.xml", "spreadsheetml.worksheet+xml"),
    "sharedStrings": ("sharedStrings.xml", "spreadsheetml.sharedStrings+xml"),
    "styles": ("styles.xml", "spreadsheetml.styles+xml"),
    "theme": ("theme/theme1.xml", "theme+xml"),
}
_OFFICE = "application/vnd.openxmlformats-officedocument."
_TRANSITIONAL_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _resolve(base_dir: str, target: str) -> str:
    target = target.replace("\\", "/")
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(base_dir, target)
    return posixpath.normpath(joined).lstrip("./") if joined else joined


def _find(members: dict[str, str], name: str) -> str | None:
    return members.get(name.casefold())


def _rels(
    archive: zipfile.ZipFile, members: dict[str, str], part: str
) -> list[tuple[str, str, str]]:
    """(id, type, target) of the relationships of ``part`` ("" for the package)."""
    folder, name = posixpath.split(part)
    member = _find(members, posixpath.join(folder, "_rels", f"{name}.rels"))
    if member is None:
        return []
    root = ElementTree.fromstring(_plain(archive.read(member)))
    return [
        (rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", ""))
        for rel in root.iter(f"{{{RELS_NS}}}Relationship")
    ]


def _head(archive: zipfile.ZipFile, member: str) -> bytes:
    with archive.open(member) as handle:
        return handle.read(4096)


def _plain(data: bytes) -> bytes:
    for strict, usual in _STRICT.items():
        data = data.replace(strict, usual)
    return data.replace(
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/", _TRANSITIONAL_REL.encode()
    )


def _bounded(archive: zipfile.ZipFile) -> bool:
    """Small and plain enough to copy; anything else the gate refuses, saying why."""
    members = archive.infolist()
    return (
        len(members) <= MAX_MEMBERS
        and sum(m.file_size for m in members) <= MAX_UNCOMPRESSED_BYTES
        and not any(m.flag_bits & 0x1 for m in members)
        and not has_twin_parts(members)
        and not any(
            m.file_size > RATIO_CHECKED_FROM
            and m.file_size / max(m.compress_size, 1) > MAX_MEMBER_RATIO
            for m in members
        )
    )


class Readable:
    """The file the readers should open: ``path`` itself, or a plain copy of it."""

    def __init__(self, path: Path) -> None:
        self.source = path
        self.path = path
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


def clean_stale_copies(folder: Path | None = None) -> list[Path]:
    """Remove the plain copies a killed run left in the temporary folder (copies of council
    and partner data); a copy lives only while a workbook is read, so an old one is stale."""
    removed: list[Path] = []
    cutoff = time.time() - STALE_AFTER_SECONDS
    with contextlib.suppress(OSError):
        for copy in Path(folder or tempfile.gettempdir()).glob(f"{COPY_PREFIX}*"):
            with contextlib.suppress(OSError):
                status = copy.lstat()
                ours = not hasattr(os, "getuid") or status.st_uid == os.getuid()
                if copy.is_dir() and not copy.is_symlink() and ours and status.st_mtime < cutoff:
                    shutil.rmtree(copy)
                    removed.append(copy)
    return removed


def readable(path: Path) -> Readable:
    """``path``, or a plain copy when its links or namespaces are spelt unusually."""
    result = Readable(path)
    if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES or sniff(path) != "zip":
        return result  # the gate says why
    try:
        with zipfile.ZipFile(path) as archive:
            plan = _plan_copy(archive) if _bounded(archive) else None
            if plan is None:
                return result
            clean_stale_copies()
            result._folder = tempfile.TemporaryDirectory(prefix=COPY_PREFIX)
            result.path = Path(result._folder.name) / path.name
            _write_copy(archive, plan, result.path)
    except Exception:  # damaged or hostile XML: the gate reads the file as it is, and says why
        result.close()
        result.path = path
    return result


@dataclass
class _CopyPlan:
    parts: dict[str, str]  # name in the plain copy -> member of the original
    links: list[tuple[str, str, str]]  # (id, kind, name in the copy) of the workbook's links


def _plan_copy(archive: zipfile.ZipFile) -> _CopyPlan | None:
    """What a plain copy holds, or None when the workbook is plain already."""
    members = {name.casefold(): name for name in archive.namelist()}
    office = [t for _, kind, t in _rels(archive, members, "") if kind.endswith("/officeDocument")]
    workbook_name = _resolve("", office[0]) if office else ""
    workbook = _find(members, workbook_name) if office else None
    if workbook is None:
        return None
    folder = posixpath.dirname(workbook_name)
    odd = workbook != "xl/workbook.xml" or b"purl.oclc.org/ooxml" in _head(archive, workbook)
    plan = _CopyPlan({"xl/workbook.xml": workbook}, [])
    sheets = 0
    for rel_id, kind, target in _rels(archive, members, workbook_name):
        word = kind.rsplit("/", 1)[-1]
        member = _find(members, _resolve(folder, target))
        if word not in _KEPT or member is None:
            continue
        odd = odd or posixpath.join(folder, target) != member
        sheets += word == "worksheet"
        name = _KEPT[word][0].format(n=sheets)
        plan.parts[f"xl/{name}"] = member
        plan.links.append((rel_id, word, name))
    for prop in _PROPERTIES:
        member = _find(members, prop)
        if member is not None:
            plan.parts[prop] = member
    return plan if odd else None


_PROPERTIES = {
    "docProps/core.xml": (
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
        "application/vnd.openxmlformats-package.core-properties+xml",
    ),
    "docProps/app.xml": (
        f"{_TRANSITIONAL_REL}extended-properties",
        _OFFICE + "extended-properties+xml",
    ),
    "docProps/custom.xml": (
        f"{_TRANSITIONAL_REL}custom-properties",
        _OFFICE + "custom-properties+xml",
    ),
}


def _write_copy(archive: zipfile.ZipFile, plan: _CopyPlan, target: Path) -> None:
    overrides = [("/xl/workbook.xml", _OFFICE + "spreadsheetml.sheet.main+xml")]
    rels = []
    for rel_id, kind, name in plan.links:
        rels.append(
            f'<Relationship Id="{rel_id}" Type="{_TRANSITIONAL_REL}{kind}" Target="{name}"/>'
        )
        overrides.append((f"/xl/{name}", _OFFICE + _KEPT[kind][1]))
    package = [
        f'<Relationship Id="rId1" Type="{_TRANSITIONAL_REL}officeDocument" '
        'Target="xl/workbook.xml"/>'
    ]
    for n, (name, (kind, content)) in enumerate(_PROPERTIES.items(), start=2):
        if name in plan.parts:
            package.append(f'<Relationship Id="rId{n}" Type="{kind}" Target="{name}"/>')
            overrides.append((f"/{name}", content))
    types = "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>' + types + "</Types>",
        )
        out.writestr("_rels/.rels", _relationships(package))
        out.writestr("xl/_rels/workbook.xml.rels", _relationships(rels))
        for name, member in plan.parts.items():
            out.writestr(name, _plain(archive.read(member)))


def _relationships(items: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{RELS_NS}">' + "".join(items) + "</Relationships>"
    )
