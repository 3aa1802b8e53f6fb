"""The plain copy made of a workbook with unusual links (a copy of council or partner data in
the shared temporary folder) is gone when the import ends, however it ends; copies a killed run
left are removed by the next import."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from cspdesk.core.leads.directory import Directory
from cspdesk.io.gate import ImportRefused
from cspdesk.io.xlsx_links import COPY_PREFIX
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.store.part_files import STALE_AFTER_SECONDS
from tests.io.plan_layouts import per_priority_sheets, rag_as_fill_only
from tests.io.test_plan_links import rewrite, strict


@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _strict_workbook(tmp_path: Path, name: str = "strict.xlsx") -> Path:
    return rewrite(per_priority_sheets(tmp_path / "plain.xlsx"), tmp_path / name, strict)


def test_the_copy_is_gone_after_a_read(temp_folder: Path, tmp_path: Path) -> None:
    _, draft = read_plan(_strict_workbook(tmp_path), Directory(), RagScheme.default())
    assert len(draft.actions()) == 7  # read through a copy
    assert list(temp_folder.iterdir()) == []


def test_the_copy_is_gone_after_a_refusal(temp_folder: Path, tmp_path: Path) -> None:
    def hostile(name: str, data: bytes) -> tuple[str, bytes]:
        name, data = strict(name, data)
        if name == "xl/worksheets/sheet1.xml":
            data = data.replace(
                b"</sheetData>", b'<row r="99"><c r="C99"><v>NaN</v></c></row></sheetData>'
            )
        return name, data

    crafted = rewrite(per_priority_sheets(tmp_path / "plain.xlsx"), tmp_path / "nan.xlsx", hostile)
    with pytest.raises(ImportRefused, match="row 99, column C: the number 'NaN' is not one"):
        read_plan(crafted, Directory(), RagScheme.default())
    assert list(temp_folder.iterdir()) == []


def test_copies_left_by_a_killed_run_are_removed(temp_folder: Path, tmp_path: Path) -> None:
    stale = temp_folder / f"{COPY_PREFIX}k2j4"
    stale.mkdir()
    (stale / "strict.xlsx").write_bytes(b"partner data")
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(stale, (old, old))
    running = temp_folder / f"{COPY_PREFIX}live"  # another import reading this moment
    running.mkdir()
    other = temp_folder / "someone-elses"
    other.mkdir()
    os.utime(other, (old, old))
    read_plan(_strict_workbook(tmp_path), Directory(), RagScheme.default())
    assert sorted(p.name for p in temp_folder.iterdir()) == [running.name, other.name]


def test_colours_are_read_from_a_copy_that_is_then_removed(
    temp_folder: Path, tmp_path: Path
) -> None:
    source = rag_as_fill_only(tmp_path / "colours.xlsx")
    odd = rewrite(source, tmp_path / "odd-colours.xlsx", strict)
    _, draft = read_plan(odd, Directory(), RagScheme.default())
    assert [a.rag for a in draft.actions()] == ["G", "G", "A", "R"]  # fills read through a copy
    assert list(temp_folder.iterdir()) == []
