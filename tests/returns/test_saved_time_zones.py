"""Saved times are true UTC whichever program and format saved a return, so the later save of
a partner's return wins even when its versions come back in different formats.

LibreOffice writes its local time (an .ods's meta.xml dc:date with no zone, an .xlsx's
dcterms:modified marked "Z"), an .xls keeps UTC, Excel writes UTC. The tests run in the UK's
zone in summer (BST, an hour ahead of UTC), when Q2 returns come back.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cspdesk.core.plan.model import ReturnRecord
from cspdesk.io.xls_return import xls_facts
from cspdesk.io.xlsx_fast import open_fast
from cspdesk.returns.book import open_other_book
from cspdesk.returns.read import read_return
from cspdesk.returns.saved import local_text, parse_w3c_time, saved_time
from cspdesk.store.address import Location
from cspdesk.store.db import Workspace
from tests.returns.ods_cells import (
    TEXT,
    adopt,
    adopt_return,
    copy_fixture,
    rewrite_member,
    saved_on,
    set_ods_cells,
)
from tests.returns.test_returns_libreoffice import FIXTURE as LIBREOFFICE_XLSX
from tests.returns.test_returns_ods_xls import action_a1, apply, exported

pytestmark = pytest.mark.both_engines

_FILETIME_EPOCH = dt.datetime(1601, 1, 1)


@pytest.fixture
def london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's zone is the UK's (Europe/London) for the test."""
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def xls_saved_on(path: Path, when: dt.datetime) -> None:
    """The .xls's last-saved time (SummaryInformation, UTC) set to naive UTC ``when``."""
    data = path.read_bytes()
    before = xls_facts(path).saved
    assert before is not None

    def ticks(moment: dt.datetime) -> bytes:
        return struct.pack("<Q", (moment - _FILETIME_EPOCH) // dt.timedelta(microseconds=1) * 10)

    old = ticks(before)
    # the stored ticks may carry 100 ns beyond the microseconds read back
    found = [m.start() for m in re.finditer(re.escape(old[1:]), data)]
    assert len(found) == 1, "the saved time is stored once, in one piece"
    at = found[0] - 1
    path.write_bytes(data[:at] + ticks(when) + data[at + 8 :])
    assert xls_facts(path).saved == when


def xlsx_saved_on(path: Path, stamp: str, application: str | None = None) -> None:
    """The .xlsx's dcterms:modified set to ``stamp`` as written; its app.xml Application to
    ``application`` when given."""
    with zipfile.ZipFile(path) as archive:
        core = archive.read("docProps/core.xml")
        app = archive.read("docProps/app.xml")
    core = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), core)
    rewrite_member(path, "docProps/core.xml", core)
    if application is not None:
        app = re.sub(rb"(<Application>)[^<]*", rb"\g<1>" + application.encode(), app)
        rewrite_member(path, "docProps/app.xml", app)


# core


def test_libreoffice_local_time_is_read_in_this_computers_zone(london: None) -> None:
    summer = parse_w3c_time("2016-07-01T10:30:00", local=True)
    assert summer == dt.datetime(2016, 7, 1, 9, 30)  # BST: an hour ahead of UTC
    assert parse_w3c_time("2016-07-01T10:30:00Z", local=True) == summer  # its "Z" is not UTC
    winter = parse_w3c_time("2016-12-01T10:30:00", local=True)
    assert winter == dt.datetime(2016, 12, 1, 10, 30)  # GMT is UTC
    assert parse_w3c_time("2016-07-01T10:30:00Z") == dt.datetime(2016, 7, 1, 10, 30)
    assert local_text(dt.datetime(2016, 7, 1, 9, 30)) == "01/07/2016 10:30"
    assert local_text(dt.datetime(2016, 12, 1, 10, 30)) == "01/12/2016 10:30"


def test_an_xlsx_is_read_by_who_wrote_it(london: None, tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    path.write_bytes(LIBREOFFICE_XLSX.read_bytes())
    xlsx_saved_on(path, "2016-07-01T10:30:00Z")
    assert saved_time(open_fast(path)) == dt.datetime(2016, 7, 1, 9, 30)
    xlsx_saved_on(path, "2016-07-01T10:30:00Z", "Microsoft Excel")
    assert saved_time(open_fast(path)) == dt.datetime(2016, 7, 1, 10, 30)


def test_an_ods_and_an_xls_give_utc(london: None, tmp_path: Path) -> None:
    ods = copy_fixture("blank.ods", tmp_path)
    saved_on(ods, dt.datetime(2016, 7, 1, 10, 30))
    with open_other_book(ods, "ods") as book:
        assert book.saved_at == dt.datetime(2016, 7, 1, 9, 30)
    xls = copy_fixture("filled.xls", tmp_path)
    xls_saved_on(xls, dt.datetime(2016, 7, 1, 9, 45))
    with open_other_book(xls, "xls") as book:
        assert book.saved_at == dt.datetime(2016, 7, 1, 9, 45)


# through the CLI


def _versions(tmp_path: Path, ods_local: dt.datetime) -> tuple[Path, Path]:
    """The filled .ods with its own words in G2 saved at ``ods_local`` (LibreOffice's local
    time), and the filled .xls (G2 "50%") saved at 09:45 UTC on 1 July 2016 (10:45 BST)."""
    ods = copy_fixture("filled.ods", tmp_path, "words.ods")
    set_ods_cells(ods, "Actions", {"G2": "Words typed in the ods"})
    saved_on(ods, ods_local)
    xls = copy_fixture("filled.xls", tmp_path, "words.xls")
    xls_saved_on(xls, dt.datetime(2016, 7, 1, 9, 45))
    return ods, xls


@pytest.mark.parametrize(
    ("ods_local", "later", "words"),
    [
        (dt.datetime(2016, 7, 1, 10, 30), "words.xls", "50%"),  # 09:30 UTC
        (dt.datetime(2016, 7, 1, 10, 50), "words.ods", "Words typed in the ods"),  # 09:50 UTC
    ],
)
def test_the_later_save_wins_whatever_the_formats(
    london: None,
    workspace_path: Location,
    tmp_path: Path,
    ods_local: dt.datetime,
    later: str,
    words: str,
) -> None:
    adopt(workspace_path)
    ods, xls = _versions(tmp_path, ods_local)
    code, out = apply(workspace_path, ods, xls)
    assert code == 2, out  # the formula in G3 is named, not merged
    assert f"an older version of All partners' return, superseded by {later}" in out, out
    assert "saved 01/07/2016 10:45" in out  # the .xls's UTC time shown as the officer's clock
    assert f"saved {ods_local:%d/%m/%Y %H:%M}" in out  # the .ods's as LibreOffice showed it
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert said["text"] == words


def test_a_correction_saved_as_xls_after_an_ods_is_merged(
    london: None, workspace_path: Location, tmp_path: Path
) -> None:
    """One at a time: the .ods merged first, then the partner's later .xls correction."""
    adopt(workspace_path)
    ods, xls = _versions(tmp_path, dt.datetime(2016, 7, 1, 10, 30))
    assert apply(workspace_path, ods)[0] == 2  # the formula in G3 is named, not merged
    code, out = apply(workspace_path, xls)
    assert code in (0, 2), out
    assert "older version" not in out
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert said["text"] == "50%"
    code, out = apply(workspace_path, ods)
    assert code == 1, out
    assert "it was saved on 01/07/2016 10:30, but" in out
    assert "was saved later, on 01/07/2016 10:45; nothing was merged" in out


def test_an_excel_xlsx_keeps_utc_beside_a_libreoffice_one(
    london: None, workspace_path: Location, tmp_path: Path
) -> None:
    """The same return saved by LibreOffice at 10:30 BST (09:30 UTC) and by Excel at 09:45
    UTC (both marked "Z"): Excel's is the later save."""
    with Workspace.open(workspace_path) as workspace:
        adopt_return(workspace, LIBREOFFICE_XLSX)
    libreoffice = tmp_path / "libreoffice.xlsx"
    libreoffice.write_bytes(LIBREOFFICE_XLSX.read_bytes())
    xlsx_saved_on(libreoffice, "2016-07-01T10:30:00Z")
    excel = tmp_path / "excel.xlsx"
    excel.write_bytes(LIBREOFFICE_XLSX.read_bytes())
    xlsx_saved_on(excel, "2016-07-01T09:45:00Z", "Microsoft Excel")
    _, out = apply(workspace_path, excel, libreoffice)
    assert "an older version of All partners' return, superseded by excel.xlsx" in out, out
    assert "this file was saved 01/07/2016 10:30, excel.xlsx later, on 01/07/2016 10:45" in out


# a tab in an .ods cell


def test_tabs_and_line_breaks_in_an_ods_cell_are_kept(
    workspace_path: Location, tmp_path: Path
) -> None:
    adopt(workspace_path)
    ods = copy_fixture("filled.ods", tmp_path, "tabs.ods")
    set_ods_cells(ods, "Actions", {"G2": "PLACE"})
    with zipfile.ZipFile(ods) as archive:
        content = archive.read("content.xml").decode()
    prefix = re.search(rf'xmlns:(\w+)="{re.escape(TEXT)}"', content)
    assert prefix is not None
    t = prefix.group(1)
    written = (
        f'<{t}:p>C20<{t}:tab/>tab first<{t}:line-break/>next <{t}:span>a<{t}:s {t}:c="3"/>b'
        f"<{t}:tab/>c</{t}:span> soft\u00adhyphen</{t}:p><{t}:p>second<{t}:s/> para</{t}:p>"
    )
    assert content.count(f"<{t}:p>PLACE</{t}:p>") == 1
    rewrite_member(ods, "content.xml", content.replace(f"<{t}:p>PLACE</{t}:p>", written).encode())
    expected = "C20\ttab first\nnext a   b\tc soft\u00adhyphen\nsecond  para"
    with Workspace.open(workspace_path) as workspace:
        diff = workspace.read(read_return, ods)
    assert [c.new for c in diff.changes if (c.item_id, c.field) == (1, "update")] == [expected]
    code, out = apply(workspace_path, ods)
    assert code in (0, 2), out
    [said] = [c for c in action_a1(exported(workspace_path))["contributions"] if c["quarter"] == 1]
    assert said["text"] == expected


def test_merge_times_are_shown_on_the_officers_clock(
    monkeypatch: pytest.MonkeyPatch, workspace_path: Location, tmp_path: Path
) -> None:
    """A merge is stored in UTC and shown, beside the saved times, on this computer's clock
    (a zone nine hours from UTC, so that the two cannot agree by chance)."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        adopt(workspace_path)
        path = copy_fixture("filled.ods", tmp_path, "first.ods")
        assert apply(workspace_path, path)[0] == 2
        _, out = apply(workspace_path, path, dry=True)
        with Workspace.open(workspace_path) as workspace:
            merged = workspace.read(
                lambda s: s.execute(
                    select(ReturnRecord.merged_at).where(ReturnRecord.merged_at.is_not(None))
                ).scalar_one()
            )
        assert local_text(merged) != f"{merged:%d/%m/%Y %H:%M}"
        assert f"already merged on {local_text(merged)} from first.ods" in out, out
    finally:
        monkeypatch.undo()
        time.tzset()
