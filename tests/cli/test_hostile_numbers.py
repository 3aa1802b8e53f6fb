"""Hostile numbers and crafted zips given to the three importers on the command line: one line
naming file, sheet and cell, never a traceback or a Rust panic, the workspace unchanged; and the
three take the same decision on the same file."""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from tests.io.plan_layouts import per_priority_sheets
from tests.io.test_plan_links import rewrite, sheet_case


def cspdesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *args], capture_output=True, text=True, timeout=120
    )


def _importer(kind: str, path: Path, db: Path) -> list[str]:
    if kind == "returns":
        return ["returns", "apply", "--db", str(db), str(path)]
    if kind == "figures":
        return ["figures", "import", "--db", str(db), str(path)]
    return ["import-plan", "--db", str(db), str(path)]


def _twin_part(source: Path, target: Path, member: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            new.writestr(name, old.read(name))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: the point
            new.writestr(member, old.read(member))
    return target


@pytest.mark.parametrize("kind", ["import-plan", "figures", "returns"])
def test_a_duplicated_part_is_refused_by_every_importer(
    workspace_path: Path, tmp_path: Path, kind: str
) -> None:
    # Unusual links make the plan import read a plain copy, which kept one of the twins.
    odd = rewrite(per_priority_sheets(tmp_path / "plain.xlsx"), tmp_path / "odd.xlsx", sheet_case)
    crafted = _twin_part(odd, tmp_path / "twins.xlsx", "xl/worksheets/sheet1.xml")
    before = workspace_path.read_bytes()
    run = cspdesk(*_importer(kind, crafted, workspace_path))
    assert run.returncode == 1, run.stdout + run.stderr
    said = (run.stdout + run.stderr).strip()
    assert "twins.xlsx: the part xl/worksheets/sheet1.xml appears twice" in said, said
    assert "Traceback" not in run.stderr
    assert workspace_path.read_bytes() == before


def _date_cell(source: Path, target: Path, sheet_member: str, number: str) -> Path:
    """``source`` with one more row whose date-formatted cell holds ``number``."""
    with zipfile.ZipFile(source) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    styles = parts["xl/styles.xml"]
    count = len(re.findall(rb"<xf ", styles.split(b"<cellXfs", 1)[1].split(b"</cellXfs>")[0]))
    parts["xl/styles.xml"] = styles.replace(
        b"</cellXfs>",
        b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>',
    )
    parts[sheet_member] = parts[sheet_member].replace(
        b"</sheetData>",
        f'<row r="900"><c r="D900" s="{count}"><v>{number}</v></c></row></sheetData>'.encode(),
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    return target


@pytest.mark.parametrize("number", ["-1e308", "1e309", "-inf", "NaN"])
@pytest.mark.parametrize("kind", ["import-plan", "returns"])
def test_a_date_cell_at_the_float_limits_is_refused_naming_it(
    workspace_path: Path, tmp_path: Path, kind: str, number: str
) -> None:
    if kind == "returns":
        out = tmp_path / "out"
        made = cspdesk(
            "returns", "make", "--db", str(workspace_path), "--quarter", "Q1", "-o", str(out)
        )
        assert made.returncode == 0, made.stderr
        source = out / "2016-17 Q1 return – Essex Police.xlsx"
    else:
        source = per_priority_sheets(tmp_path / "plan.xlsx")
    crafted = _date_cell(source, tmp_path / "crafted.xlsx", "xl/worksheets/sheet1.xml", number)
    before = workspace_path.read_bytes()
    run = cspdesk(*_importer(kind, crafted, workspace_path))
    assert run.returncode == 1, run.stdout + run.stderr
    assert "panicked" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    said = [line for line in (run.stdout + run.stderr).splitlines() if "crafted.xlsx" in line]
    assert len(said) == 1 and "row 900, column D:" in said[0], run.stdout + run.stderr
    assert workspace_path.read_bytes() == before
