"""Every sheet read however the workbook's internal links spell names, and Strict Open XML."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.core.leads.directory import Directory
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from tests.io.plan_layouts import per_priority_sheets

STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        "http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def rewrite(source: Path, target: Path, change: Callable[[str, bytes], tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new.writestr(*change(name, old.read(name)))
    return target


def sheet_case(name: str, data: bytes) -> tuple[str, bytes]:
    """The second sheet's part is "Sheet2.xml"; the workbook's link says "sheet2.xml"."""
    if name == "xl/worksheets/sheet2.xml":
        return "xl/worksheets/Sheet2.xml", data
    return name, data


def dot_slash(name: str, data: bytes) -> tuple[str, bytes]:
    if name == "xl/_rels/workbook.xml.rels":
        data = data.replace(b'Target="/xl/', b'Target="./').replace(b'Target="', b'Target="./')
        data = data.replace(b'Target="././', b'Target="./')
    return name, data


def outside_xl(name: str, data: bytes) -> tuple[str, bytes]:
    """The workbook stored under "book/" instead of "xl/", as some generators do."""
    data = data.replace(b"/xl/", b"/book/").replace(b'Target="xl/', b'Target="book/')
    return re.sub(r"^xl/", "book/", name), data


def strict(name: str, data: bytes) -> tuple[str, bytes]:
    for usual, strict_ns in STRICT.items():
        data = data.replace(usual.encode(), strict_ns.encode())
    return name, data


@pytest.mark.parametrize("change", [sheet_case, dot_slash, outside_xl, strict])
def test_every_sheet_is_read(
    tmp_path: Path, change: Callable[[str, bytes], tuple[str, bytes]]
) -> None:
    source = per_priority_sheets(tmp_path / "plain.xlsx")
    odd = rewrite(source, tmp_path / "odd.xlsx", change)
    _, draft = read_plan(odd, Directory(), RagScheme.default())
    assert [p.title for p in draft.priorities] == [
        "Safeguarding Vulnerable People",
        "Acquisitive Crime",
    ]
    assert len(draft.actions()) == 7
    assert draft.source == "odd.xlsx"


def test_cli_imports_a_strict_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = rewrite(per_priority_sheets(tmp_path / "plain.xlsx"), tmp_path / "strict.xlsx", strict)
    assert main(["import-plan", str(odd), "--db", str(tmp_path / "new.cspdesk"), "--dry-run"]) == 0
    printed = capsys.readouterr().out
    assert "2 priorities, 4 objectives, 7 actions" in printed
