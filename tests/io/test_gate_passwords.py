"""A return or plan saved with a password as .ods or .xls is refused saying so (an .xls in the
words an encrypted .xlsx gets, an .ods naming LibreOffice only: Excel cannot open it), never
called damaged; hostile look-alikes still get one line."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from cspdesk.io import gate
from cspdesk.io.gate import ImportRefused, check_plan_file, check_return_file
from cspdesk.io.sniff import describe_kind
from tests.io import hostile

PASSWORD = describe_kind("encrypted")
PASSWORD_ODS = describe_kind("encrypted-ods")


def refusal(check: Callable[[Path], str], path: Path) -> str:
    with pytest.raises(ImportRefused) as refused:
        check(path)
    return str(refused.value)


@pytest.mark.parametrize("check", [check_plan_file, check_return_file])
@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_a_workbook_libreoffice_saved_with_a_password_is_refused_for_its_password(
    check: Callable[[Path], str], kind: str
) -> None:
    path = hostile.password_return(kind)
    words = PASSWORD_ODS if kind == "ods" else PASSWORD
    assert refusal(check, path) == f"{path.name}: {words}"
    assert 'File > Save As with "Save with password" unticked' in words


def test_the_password_words_are_those_an_encrypted_xlsx_gets(tmp_path: Path) -> None:
    """Excel and LibreOffice save an .xlsx with a password as an OLE2 file holding
    EncryptionInfo and EncryptedPackage streams; the sniffer names it."""
    encrypted = tmp_path / "return.xlsx"
    encrypted.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1016 + "EncryptionInfo".encode("utf-16-le")
    )
    assert refusal(gate.check_file, encrypted) == f"return.xlsx: {PASSWORD}"
    assert 'in LibreOffice: File > Save As with "Save with password" unticked' in PASSWORD


@pytest.mark.parametrize("padding", [0, 1, 2 * 1024 * 1024])
def test_an_ods_manifest_declaring_encryption_is_a_password(tmp_path: Path, padding: int) -> None:
    manifest = hostile.manifest_with_encryption(padding)
    path = hostile.ods_manifest(tmp_path / "plan.ods", manifest)
    assert refusal(check_plan_file, path) == f"plan.ods: {PASSWORD_ODS}"


def test_the_encryption_tag_is_found_across_the_manifest_chunks_read(tmp_path: Path) -> None:
    tag = b"<manifest:encryption-data"
    at = hostile.manifest_with_encryption().index(tag)
    for straddle in (1, len(tag) // 2, len(tag) - 1):
        manifest = hostile.manifest_with_encryption(gate._MANIFEST_CHUNK - at - straddle)
        assert manifest.index(tag) == gate._MANIFEST_CHUNK - straddle
        path = hostile.ods_manifest(tmp_path / "plan.ods", manifest)
        assert refusal(check_plan_file, path) == f"plan.ods: {PASSWORD_ODS}"


def test_an_ods_manifest_without_encryption_is_no_password(tmp_path: Path) -> None:
    manifest = hostile.manifest_with_encryption().replace(b"encryption-data", b"checksum-data")
    path = hostile.ods_manifest(tmp_path / "plan.ods", manifest)
    assert check_plan_file(path) == "ods"


def test_an_xls_with_a_file_pass_record_is_a_password(tmp_path: Path) -> None:
    path = hostile.xls_file_pass(tmp_path / "plan.xls")
    assert refusal(check_return_file, path) == f"plan.xls: {PASSWORD}"
    assert check_plan_file(hostile.XLS_SOURCE) == "xls"  # the same file without it is read


def test_a_password_ods_that_is_also_a_zip_bomb_is_refused_as_a_bomb(tmp_path: Path) -> None:
    bomb = ("Pictures/big.xml", b"\0" * (4 * 1024 * 1024))
    path = hostile.ods_manifest(
        tmp_path / "plan.ods", hostile.manifest_with_encryption(), extra=(bomb,)
    )
    said = refusal(check_plan_file, path)
    assert said.startswith("plan.ods: part Pictures/big.xml expands ") and "\n" not in said


@pytest.mark.parametrize("keep", [600, 3000, 9000])
def test_a_cut_password_xls_is_refused_in_one_line(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "cut.xls"
    path.write_bytes(hostile.password_return("xls").read_bytes()[:keep])
    said = refusal(check_return_file, path)
    assert said.startswith("cut.xls: ") and "\n" not in said, said


def test_a_password_ods_with_its_content_cut_is_still_a_password(tmp_path: Path) -> None:
    """The manifest alone says so: the enciphered parts are noise whatever they hold."""
    source = hostile.password_return("ods")
    path = tmp_path / "cut.ods"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, data[:10] if item.filename == "content.xml" else data)
    assert refusal(check_return_file, path) == f"cut.ods: {PASSWORD_ODS}"
