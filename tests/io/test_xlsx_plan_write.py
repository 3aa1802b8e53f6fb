"""The plan export: a golden workbook compared cell by cell, and its formatting."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from cspdesk.core.plan.model import Plan
from cspdesk.errors import CspdeskError
from cspdesk.io.xlsx_plan_write import export_plan_xlsx
from cspdesk.store.db import Workspace

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden_export_small_plan.json"


def cell_values(path: Path) -> dict[str, list[list[object]]]:
    workbook = openpyxl.load_workbook(path)
    values: dict[str, list[list[object]]] = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([v.date().isoformat() if isinstance(v, dt.datetime) else v for v in row])
        values[sheet.title] = rows
    return values


def export(workspace: Workspace, path: Path) -> Path:
    plan_id = workspace.read(lambda s: s.execute(select(Plan.id)).scalar_one())
    return workspace.read(export_plan_xlsx, plan_id, path)


def test_golden_export(workspace: Workspace, tmp_path: Path) -> None:
    values = cell_values(export(workspace, tmp_path / "plan.xlsx"))
    if os.environ.get("CSPDESK_REGEN_GOLDEN"):
        sheets = [
            f"{json.dumps(name, ensure_ascii=False)}: [\n"
            + ",\n".join(f"  {json.dumps(row, ensure_ascii=False)}" for row in rows)
            + "\n ]"
            for name, rows in values.items()
        ]
        GOLDEN.write_text("{\n " + ",\n ".join(sheets) + "\n}\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list(values) == list(golden)
    for sheet, rows in golden.items():
        assert len(values[sheet]) == len(rows), sheet
        for r, (got, want) in enumerate(zip(values[sheet], rows, strict=True), start=1):
            assert got == want, f"{sheet} row {r}"


def test_formatted_as_a_person_would(workspace: Workspace, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(export(workspace, tmp_path / "plan.xlsx"))
    sheet = workbook["1. Safeguarding Vulnerable Peop"]
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 2).value == "Actions")
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert sheet.print_title_rows == f"${header_row}:${header_row}"
    assert sheet.page_setup.orientation == "landscape"
    # fitToWidth left out means 1 (the default in the file format)
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    header = sheet.cell(header_row, 1)
    assert header.font.bold and header.fill.fgColor.rgb.endswith("1F3864")
    first = header_row + 1
    assert f"A{first}:A{first + 1}" in {str(m) for m in sheet.merged_cells.ranges}
    rag = sheet.cell(first, 6)
    assert rag.value == "Green" and rag.fill.fgColor.rgb.endswith("2E8B57")
    assert sheet.cell(first, 2).alignment.wrap_text
    assert sheet.column_dimensions["B"].width > 30
    flat = workbook["All actions"]
    assert flat.auto_filter.ref and flat.freeze_panes == "A2"


def test_user_text_stays_text(workspace: Workspace, tmp_path: Path) -> None:
    from cspdesk.core.plan import ops

    def rename(session):  # type: ignore[no-untyped-def]
        from cspdesk.core.plan.model import Action

        action_id = session.execute(select(Action.id).order_by(Action.id)).scalars().first()
        ops.edit_field(session, "action", action_id, "title", '=HYPERLINK("http://x","y")')

    workspace.write(rename)
    path = export(workspace, tmp_path / "plan.xlsx")
    sheet = openpyxl.load_workbook(path)["All actions"]
    assert sheet["D2"].value == '=HYPERLINK("http://x","y")'
    assert sheet["D2"].data_type == "s"


def test_failed_export_leaves_no_file(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(CspdeskError, match="does not exist"):
        export(workspace, tmp_path / "missing" / "plan.xlsx")
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the old file")

    def too_long(session):  # type: ignore[no-untyped-def]
        from cspdesk.core.plan.model import Action

        action_id = session.execute(select(Action.id)).scalars().first()
        from cspdesk.core.plan import ops

        ops.edit_field(session, "action", action_id, "outcomes", "x" * 40_000)

    workspace.write(too_long)
    with pytest.raises(CspdeskError, match="at most 32767"):
        export(workspace, target)
    assert target.read_bytes() == b"the old file"  # untouched, and no temporary file left
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".cspdesk"] == ["plan.xlsx"]
