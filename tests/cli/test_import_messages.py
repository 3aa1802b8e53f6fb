"""What an officer reads when a file cannot be imported: the kind of file it really is and what
to do, with no library warning or exception name in front of or inside our message."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.io import hostile
from tests.io.workbooks import make_workbook

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def import_plan(path: Path, db: Path, *, figures: bool = False) -> subprocess.CompletedProcess[str]:
    command = ["figures", "import"] if figures else ["import-plan", "--dry-run"]
    return subprocess.run(
        [sys.executable, "-m", "cspdesk", *command, str(path), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def ole2_file(path: Path, stream: str) -> Path:
    """An OLE2 compound file whose directory names ``stream`` (all the sniffer looks at)."""
    path.write_bytes(OLE2_MAGIC + b"\x00" * 1016 + stream.encode("utf-16-le") + b"\x00" * 512)
    return path


def biff4_file(path: Path) -> Path:
    """An Excel 4 worksheet: no container, a BIFF4 beginning-of-file record first."""
    path.write_bytes(b"\x09\x04\x06\x00\x00\x00\x10\x00" + b"\x00" * 64)
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: ole2_file(p, "Book"), "an Excel 95 file"),
        (biff4_file,
         "an Excel 4 (or older) worksheet"),
    ],
)  # fmt: skip
def test_old_excel_files_are_named(workspace_path: Path, tmp_path: Path, make, words) -> None:  # type: ignore[no-untyped-def]
    run = import_plan(make(tmp_path / "old.xls"), workspace_path)
    assert run.returncode == 1
    assert run.stderr == f"cspdesk: old.xls: {run.stderr.split(': ', 2)[2]}"
    assert words in run.stderr and "save it as Excel Workbook (.xlsx)" in run.stderr, run.stderr


def test_a_damaged_excel_97_workbook_is_read_and_refused_as_damaged(
    workspace_path: Path, tmp_path: Path
) -> None:
    """An .xls is read (calamine) like any plan; one whose streams hold nothing is damaged."""
    run = import_plan(ole2_file(tmp_path / "old.xls", "Workbook"), workspace_path)
    assert run.returncode == 1
    assert run.stderr.startswith("cspdesk: old.xls: the workbook is damaged"), run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_strict_open_xml_is_read_not_called_empty(workspace_path: Path, tmp_path: Path) -> None:
    source = make_workbook(tmp_path / "plan.xlsx")
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(strict, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename).replace(
                b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                b"http://purl.oclc.org/ooxml/spreadsheetml/main",
            )
            new.writestr(item.filename, data)
    run = import_plan(strict, workspace_path)
    # Read through a plain copy (io/xlsx_links.py), never called "empty".
    assert run.returncode == 0, run.stderr
    assert "empty" not in run.stdout + run.stderr, run.stdout


def test_no_library_warning_above_our_message(workspace_path: Path, tmp_path: Path) -> None:
    extended = hostile.unsupported_extension(tmp_path / "extended.xlsx")
    run = import_plan(extended, workspace_path, figures=True)
    assert run.stderr.startswith("cspdesk: extended.xlsx: no "), run.stderr
    assert "Warning" not in run.stderr and "site-packages" not in run.stderr, run.stderr


def test_damage_is_described_not_the_library_exception(
    workspace_path: Path, tmp_path: Path
) -> None:
    cells = b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>'  # no such shared string
    broken = hostile.workbook(tmp_path / "broken.xlsx", cells, strings=b"<si><t>x</t></si>")
    for figures in (False, True):
        run = import_plan(broken, workspace_path, figures=figures)
        assert run.returncode == 1, run.stderr
        assert "damaged or was written in a way cspdesk cannot read" in run.stderr, run.stderr
        for raw in ("IndexError", "TypeError", "KeyError", "index not found", "Traceback"):
            assert raw not in run.stderr, run.stderr


def _ods_file(path: Path) -> Path:
    """What LibreOffice's File > Save As writes by default: an OpenDocument spreadsheet."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


@pytest.mark.parametrize(
    ("make", "name"),
    [(lambda p: ole2_file(p, "Workbook"), "return.xls"), (_ods_file, "return.ods")],
)
def test_a_damaged_return_saved_in_another_format_names_libreoffice_too(  # type: ignore[no-untyped-def]
    workspace_path: Path, tmp_path: Path, make, name
) -> None:
    """Returns saved as .xls or .ods are read (tests/returns/test_returns_ods_xls.py); one
    that cannot be read is refused in one line, telling a partner with LibreOffice and no
    Excel how to save it as .xlsx."""
    run = subprocess.run(
        [sys.executable, "-m", "cspdesk", "returns", "apply", "--db", str(workspace_path),
         str(make(tmp_path / name))],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    [line] = run.stdout.splitlines()
    assert line.startswith(f"refused: {name}: "), run.stdout
    assert "open it in Excel or LibreOffice, save it again as .xlsx" in line, run.stdout


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_a_return_or_plan_saved_with_a_password_is_refused_for_its_password(
    workspace_path: Path, kind: str
) -> None:
    """LibreOffice's "Save with password" as .ods or .xls: refused in one line, in the words
    an encrypted .xlsx gets, never called damaged, by `returns apply` and `import-plan`."""
    from cspdesk.io.sniff import describe_kind

    path = hostile.password_return(kind)
    said = f"{path.name}: {describe_kind('encrypted-ods' if kind == 'ods' else 'encrypted')}"
    run = subprocess.run(
        [sys.executable, "-m", "cspdesk", "returns", "apply", "--db", str(workspace_path),
         str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    assert run.stdout.splitlines() == [f"refused: {said}; nothing was merged from it"], run.stdout
    assert 'File > Save As with "Save with password" unticked' in run.stdout
    plan = import_plan(path, workspace_path)
    assert plan.returncode == 1
    assert plan.stderr == f"cspdesk: {said}\n", plan.stderr
    assert "damaged" not in run.stdout + plan.stderr
