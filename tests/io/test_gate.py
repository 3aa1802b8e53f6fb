"""The import gate: real type sniffing, limits, XML bombs, lying dimensions, read_rows."""

from __future__ import annotations

import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cspdesk.io import gate
from cspdesk.io.gate import ImportRefused, check_file, open_workbook, read_rows
from tests.io.workbooks import make_workbook, part, rewrite


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "plan.xlsx")


def test_defusedxml_is_active() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_a_good_workbook_reads(xlsx: Path) -> None:
    sheets = read_rows(xlsx)
    assert [s.name for s in sheets] == ["Plan", "Notes"]
    assert sheets[0].rows[0] == ("Priority", "Action", "Lead", "RAG")
    assert len(sheets[0].rows) == 5


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _ole2_with(stream: str) -> bytes:
    return OLE2 + stream.encode("utf-16-le") + b"\x00" * 1000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (_ole2_with("EncryptedPackage"), "password"),
        (_ole2_with("Workbook"), "97-2003 workbook"),
        (_ole2_with("WordDocument"), "Word document"),
        (b"Priority,Action,Lead\nASB,Days of action,Police\n", "CSV"),
        ("Priorité;Action\n".encode("cp1252"), "CSV"),
        (b"\xef\xbb\xbfPriority,Action\n", "CSV"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:sheet"/>',
            "XML file",
        ),
        (b"%PDF-1.7\n", "PDF"),
        (b"", "empty"),
        (bytes(range(256)) * 4, "not an Excel workbook"),
    ],
)
def test_renamed_files_get_their_own_message(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=expected) as caught:
        open_workbook(path)
    assert caught.value.path == path and "plan.xlsx" in str(caught.value)


def test_word_and_other_zips_renamed(tmp_path: Path) -> None:
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ImportRefused, match="Word document"):
        check_file(docx)
    ods = tmp_path / "sheet.xlsx"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ImportRefused, match="OpenDocument"):
        check_file(ods)


def test_size_limit(xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ImportRefused, match="the limit is"):
        check_file(xlsx)


def test_zip_bomb_member_ratio(xlsx: Path, tmp_path: Path) -> None:
    bomb = rewrite(xlsx, tmp_path / "bomb.xlsx", {"xl/media/padding.bin": b"\0" * 20_000_000})
    with pytest.raises(ImportRefused, match="zip bomb"):
        check_file(bomb)


def test_total_declared_size(xlsx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "MAX_UNCOMPRESSED_BYTES", 5000)
    with pytest.raises(ImportRefused, match="expands to"):
        check_file(xlsx)


def test_lying_dimension_hides_no_rows(xlsx: Path, tmp_path: Path) -> None:
    sheet = part(xlsx, "xl/worksheets/sheet1.xml")
    # openpyxl writes '<dimension ref="A1:D5" />', or '... />' without the space with lxml
    assert re.search(rb'<dimension ref="A1:D5" ?/>', sheet)
    liar = rewrite(
        xlsx,
        tmp_path / "liar.xlsx",
        {"xl/worksheets/sheet1.xml": sheet.replace(b'ref="A1:D5"', b'ref="A1:A1"')},
    )
    assert len(read_rows(liar)[0].rows) == 5


def test_row_cap_refuses_not_cuts(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "long.xlsx", rows=60)
    with pytest.raises(ImportRefused, match="more than 50 rows") as caught:
        read_rows(path, max_rows=50)
    assert caught.value.sheet == "Plan" and caught.value.row == 51


LAUGHS = (
    b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
"""
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"""]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""
)

QUADRATIC = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY a "' + b"x" * 50_000 + b'">]>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"&a;" * 50_000 + b"</t></is></c></row>"
    b"</sheetData></worksheet>"
)

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"""

# A DTD pushed past the sniffed head: defusedxml must still stop it.
LATE_DTD = b'<?xml version="1.0"?>' + b" " * 10_000 + LAUGHS.split(b"?>", 1)[1]

BOMBS = {
    "billion laughs": ("xl/worksheets/sheet1.xml", LAUGHS),
    "quadratic blowup": ("xl/worksheets/sheet1.xml", QUADRATIC),
    "external entity": ("xl/worksheets/sheet1.xml", EXTERNAL),
    "late DTD": ("xl/worksheets/sheet1.xml", LATE_DTD),
    "laughs in shared strings": ("xl/sharedStrings.xml", LAUGHS),
    "laughs in workbook.xml": ("xl/workbook.xml", LAUGHS),
    "laughs in content types": ("[Content_Types].xml", LAUGHS),
    "laughs in styles": ("xl/styles.xml", LAUGHS),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_xml_bombs_rejected_fast_and_small(xlsx: Path, tmp_path: Path, name: str) -> None:
    member, payload = BOMBS[name]
    bomb = rewrite(xlsx, tmp_path / "bomb.xlsx", {member: payload})
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImportRefused, match="XML bomb"):
            read_rows(bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 100 * 1024 * 1024


def test_damaged_sheet_names_the_sheet(xlsx: Path, tmp_path: Path) -> None:
    sheet = part(xlsx, "xl/worksheets/sheet1.xml")
    broken = rewrite(xlsx, tmp_path / "b.xlsx", {"xl/worksheets/sheet1.xml": sheet[:-40]})
    with pytest.raises(ImportRefused) as caught:
        read_rows(broken)
    assert caught.value.sheet == "Plan"


def test_full_load_is_bounded_read_only_is_not(xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "MAX_FULL_LOAD_SHEET_BYTES", 100)
    with pytest.raises(ImportRefused, match="too much to read with formatting"):
        open_workbook(xlsx)
    assert read_rows(xlsx)[0].rows


def test_far_away_cell_is_refused_not_iterated(xlsx: Path, tmp_path: Path) -> None:
    sheet = part(xlsx, "xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    stray = rewrite(
        xlsx,
        tmp_path / "far.xlsx",
        {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", far + b"</sheetData>")},
    )
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match="row 1,048,576") as caught:
        open_workbook(stray)
    assert caught.value.sheet == "Plan"
    with pytest.raises(ImportRefused, match="rows"):
        read_rows(stray)
    assert time.perf_counter() - started < 5


def test_wide_row_is_refused_with_its_column(xlsx: Path, tmp_path: Path) -> None:
    sheet = part(xlsx, "xl/worksheets/sheet1.xml")
    wide = b'<row r="7"><c r="GT7" t="inlineStr"><is><t>x</t></is></c></row>'  # column 202
    path = rewrite(
        xlsx,
        tmp_path / "wide.xlsx",
        {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", wide + b"</sheetData>")},
    )
    with pytest.raises(ImportRefused) as caught:
        read_rows(path, max_columns=200)
    assert (caught.value.row, caught.value.column) == (7, "GT")
    assert read_rows(path)[0].rows[-1][-1] == "x"
    assert open_workbook(path)["Plan"].max_column == 202


def test_full_load_refuses_a_huge_used_range(xlsx: Path, tmp_path: Path) -> None:
    sheet = part(xlsx, "xl/worksheets/sheet1.xml")
    far = b'<row r="40000"><c r="XFD40000" t="inlineStr"><is><t>x</t></is></c></row>'
    path = rewrite(
        xlsx,
        tmp_path / "area.xlsx",
        {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", far + b"</sheetData>")},
    )
    with pytest.raises(ImportRefused, match="40,000 rows by 16,384 columns"):
        open_workbook(path)


def test_full_load_refuses_thousands_of_merges(
    xlsx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gate, "MAX_MERGED_RANGES", 3)
    sheet = part(xlsx, "xl/worksheets/sheet1.xml")
    merges = (
        b'<mergeCells count="4">'
        + b"".join(b'<mergeCell ref="A%d:B%d"/>' % (n, n) for n in range(1, 5))
        + b"</mergeCells>"
    )
    path = rewrite(
        xlsx,
        tmp_path / "merges.xlsx",
        {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", b"</sheetData>" + merges)},
    )
    with pytest.raises(ImportRefused, match="4 merged cell ranges"):
        open_workbook(path)
    monkeypatch.setattr(gate, "MAX_MERGED_RANGES", 4)
    assert len(open_workbook(path)["Plan"].merged_cells.ranges) == 4


def test_parts_the_checks_read_whole_are_kept_for_the_reader(
    xlsx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept: dict[str, bytes] = {}
    check_file(xlsx, keep=kept)
    with zipfile.ZipFile(xlsx) as archive:
        xml_parts = {name for name in archive.namelist() if name.endswith(".xml")}
        assert set(kept) == xml_parts
        assert all(kept[name] == archive.read(name) for name in kept)
        # Never more than the limit in all: the rest is read again when asked for.
        sizes = {name: archive.getinfo(name).file_size for name in xml_parts}
    monkeypatch.setattr(gate, "KEPT_PART_BYTES", max(sizes.values()))
    kept.clear()
    check_file(xlsx, keep=kept)
    assert kept and sum(map(len, kept.values())) <= max(sizes.values())
    assert set(kept) < xml_parts
