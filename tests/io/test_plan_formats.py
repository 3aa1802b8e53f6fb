"""Every format officers keep a plan in: .xls and .ods (calamine) read as the .xlsx they were
saved from, Word .docx tables, each through the gate; and a Word file where a workbook is
expected says what it is."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cspdesk.cli import main
from cspdesk.core.leads.directory import Directory
from cspdesk.core.leads.plan_draft import PlanDraft
from cspdesk.io.gate import ImportRefused
from cspdesk.io.xlsx_book import load_book
from cspdesk.io.xlsx_plan_read import RagScheme, read_plan
from cspdesk.store.db import Workspace
from tests.io import plan_documents, plan_layouts
from tests.io.test_plan_import_ledger import haystack

FORMATS = Path(__file__).resolve().parent.parent / "data" / "plan_formats"


def draft_of(path: Path) -> PlanDraft:
    return read_plan(path, Directory(), RagScheme.default())[1]


def shape(draft: PlanDraft) -> list[object]:
    return [
        (p.title, o.title, a.title, a.lead_texts, a.rag, sorted(a.updates.items()))
        for p in draft.priorities
        for o in p.objectives
        for a in o.actions
    ]


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_xls_and_ods_read_as_the_xlsx_they_were_saved_from(tmp_path: Path, suffix: str) -> None:
    original = draft_of(plan_layouts.month_range_quarter_pairs(tmp_path / "plan.xlsx"))
    draft = draft_of(FORMATS / f"month_range_plan.{suffix}")
    assert shape(draft) == shape(original)
    assert (draft.year, draft.current_quarter) == ("2016/17", 4)
    assert draft.ledger["Delivery 2016-17"].lost == set()


def test_word_plan_one_table_per_priority(tmp_path: Path) -> None:
    draft = draft_of(plan_documents.table_per_priority(tmp_path / "plan.docx"))
    assert draft.partnership == "Castle Point and Rochford Community Safety Partnership"
    assert (draft.title, draft.year) == ("Partnership Plan 2016/17", "2016/17")
    assert [(p.title, [o.title for o in p.objectives]) for p in draft.priorities] == [
        ("Safeguarding vulnerable people", ["To safeguard victims of domestic abuse",
                                            "Hidden harm"]),
        ("Anti-social behaviour", ["Joint working"]),
    ]  # fmt: skip
    assert [(a.title, a.rag) for a in draft.actions()] == [
        ("Home safety visits", "G"),
        ("Sanctuary scheme", "A"),  # under the merged objective
        ("County wide events", "R"),  # RAG given as the cell's shading
        ("Days of action", "G"),
    ]
    lost = [p for p in draft.problems if p.level == "lost"]
    assert [p.message.split("': ")[0] for p in lost] == ["'Note: figures for Q4 are provisional."]
    ledger = next(iter(draft.ledger.values()))
    assert len(ledger.stored) + len(ledger.lost) == 33  # every non-empty cell and paragraph


def test_word_plan_one_big_table(tmp_path: Path) -> None:
    draft = draft_of(plan_documents.one_big_table(tmp_path / "plan.docx"))
    assert [(a.title, a.rag) for a in draft.actions()] == [("Farm watch", "A"),
                                                          ("Fuel theft marking", "G")]  # fmt: skip
    assert "maldon district community safety partnership" in haystack(draft)


def test_a_word_file_where_a_workbook_is_expected_says_what_it_is(tmp_path: Path) -> None:
    path = plan_documents.one_big_table(tmp_path / "plan.xlsx")  # named as a workbook
    with pytest.raises(ImportRefused, match="this is a Word document, not an Excel workbook"):
        load_book(path)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: shutil.copy(FORMATS / "month_range_plan.xls", p / "plan.xls"),
        lambda p: shutil.copy(FORMATS / "month_range_plan.ods", p / "plan.ods"),
        lambda p: plan_documents.table_per_priority(p / "plan.docx"),
    ],
    ids=["xls", "ods", "docx"],
)
def test_cli_imports_each_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], object]
) -> None:
    path = Path(str(make(tmp_path)))
    db = tmp_path / "w.cspdesk"
    assert main(["import-plan", str(path), "--db", str(db), "--name", "Test CSP",
                 "--year", "2018/19"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "imported as plan 2018/19" in out
    with Workspace.open(db, read_only=True) as workspace:
        from sqlalchemy import func, select

        from cspdesk.core.plan.model import Action

        count = workspace.read(lambda s: s.execute(select(func.count(Action.id))).scalar_one())
    assert count == len(draft_of(path).actions()) > 0


@pytest.mark.parametrize("name", ["month_range_plan.xls", "month_range_plan.ods", "docx"])
def test_a_damaged_file_of_each_format_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    if name == "docx":
        source = plan_documents.one_big_table(tmp_path / "source.docx")
    else:
        source = FORMATS / name
    data = source.read_bytes()
    broken = tmp_path / f"broken{source.suffix}"
    broken.write_bytes(data[: len(data) // 2])
    code = main(["import-plan", str(broken), "--db", str(tmp_path / "w.cspdesk"), "--dry-run",
                 "--year", "2016/17"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and err.startswith(f"cspdesk: {broken.name}: ") and err.count("\n") == 1
    assert "Traceback" not in err


def _rewrite(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, change(data) if item.filename == member else data)
    return target


def test_an_ods_of_repeated_values_is_refused_before_it_is_laid_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = (
        b'<table:table-row table:number-rows-repeated="200000"><table:table-cell '
        b'table:number-columns-repeated="400" office:value-type="string"><text:p>x</text:p>'
        b"</table:table-cell></table:table-row>"
    )  # 80 million cells in 200 bytes
    end = b"</table:table>"
    path = _rewrite(FORMATS / "month_range_plan.ods", tmp_path / "repeated.ods", "content.xml",
                    lambda data: data.replace(end, row + end, 1))  # fmt: skip
    assert main(["import-plan", str(path), "--db", str(tmp_path / "w.cspdesk"), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cspdesk: repeated.ods: the sheets span more than 400,000 cells")


def test_a_word_document_declaring_entities_is_refused(tmp_path: Path) -> None:
    source = plan_documents.one_big_table(tmp_path / "source.docx")
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
    path = _rewrite(source, tmp_path / "bomb.docx", "word/document.xml",
                    lambda data: bomb + data.split(b"?>", 1)[1])  # fmt: skip
    with pytest.raises(ImportRefused, match="declares a DTD or entities"):
        draft_of(path)


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_a_rag_given_only_as_colour_is_read_as_from_the_xlsx(tmp_path: Path, suffix: str) -> None:
    original = draft_of(plan_layouts.rag_as_fill_only(tmp_path / "plan.xlsx"))
    draft = draft_of(FORMATS / f"rag_fill_plan.{suffix}")
    assert [a.rag for a in draft.actions()] == [a.rag for a in original.actions()]
    assert [a.rag for a in draft.actions()] == ["G", "G", "A", "R"]
    said = [p.message for p in draft.problems if "cell colour" in p.message]
    assert said[-1] == "RAG read from the cell colour #FF0000 as Red"


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_cli_imports_a_colour_only_rag_whole(tmp_path: Path, suffix: str) -> None:
    import json

    from tests.cli.runner import run_cli

    path = shutil.copy(FORMATS / f"rag_fill_plan.{suffix}", tmp_path / f"plan.{suffix}")
    db = tmp_path / "w.cspdesk"
    preview = run_cli("import-plan", str(path), "--db", str(db), "--name", "Test CSP",
                      "--year", "2018/19", "--dry-run")  # fmt: skip
    assert preview.returncode == 0, preview.stderr
    assert "row 5, column D: RAG read from the cell colour #FF0000 as Red" in preview.stdout
    imported = run_cli("import-plan", str(path), "--db", str(db), "--name", "Test CSP",
                       "--year", "2018/19")  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    exported = json.loads(run_cli("export-json", "--db", str(db)).stdout)
    actions = [
        a for p in exported["plans"][0]["priorities"] for o in p["objectives"] for a in o["actions"]
    ]
    assert [a["rag"] for a in actions] == ["G", "G", "A", "R"]


def test_a_fill_repeated_over_a_million_rows_costs_nothing(tmp_path: Path) -> None:
    """An .ods style repeated down the sheet is read only inside the sheet's grid."""
    row = (
        b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        b'table:style-name="ce4" table:number-columns-repeated="16384"/></table:table-row>'
    )
    end = b"</table:table>"
    path = _rewrite(FORMATS / "rag_fill_plan.ods", tmp_path / "filled.ods", "content.xml",
                    lambda data: data.replace(end, row + end, 1))  # fmt: skip
    began = time.perf_counter()
    draft = draft_of(path)
    assert time.perf_counter() - began < 5
    assert [a.rag for a in draft.actions()] == ["G", "G", "A", "R"]
