"""Backups with the SQLite backup API: made, checked, listed, thinned and restored."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from cspdesk.store import backup as backups
from cspdesk.store.autobackup import BackupKeeper
from cspdesk.store.db import Workspace


def action_titles(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM action ORDER BY id")]
    finally:
        conn.close()


def rename_first_action(workspace: Workspace, title: str) -> None:
    workspace.write(
        lambda s: s.execute(
            text("UPDATE action SET title=:t WHERE id=(SELECT min(id) FROM action)"), {"t": title}
        )
    )


def test_backup_of_an_open_workspace_mid_transaction(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    rename_first_action(workspace, "committed")
    # A transaction in progress is not in the backup, and does not block it.
    with workspace.session() as session, session.begin():
        session.execute(text("UPDATE action SET title='uncommitted'"))
        path = backups.make_backup(workspace, folder)
    assert path.parent == folder and path.suffix == ".cspdesk"
    assert backups.check(path, full=True)
    assert action_titles(path)[0] == "committed"
    with Workspace.open(path, read_only=True) as copy:
        assert copy.read(lambda s: s.execute(text("SELECT count(*) FROM action")).scalar()) == 3


def test_list_backups_newest_first_with_dates_and_sizes(
    workspace_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    times = [dt.datetime(2024, 5, d, 9, 30) for d in (1, 3, 2)]
    for when in times:
        backups.make_backup(workspace_path, folder, now=when)
    again = backups.make_backup(workspace_path, folder, now=times[0])  # same second: new name
    listed = backups.list_backups(folder, checked=True)
    assert [b.taken for b in listed] == sorted([*times, times[0]], reverse=True)
    assert again in [b.path for b in listed]
    assert all(b.ok and b.size == b.path.stat().st_size > 0 for b in listed)
    assert "May 2024" in listed[0].describe() and "KB" in listed[0].describe()


def test_damaged_backup_is_listed_as_such(workspace_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    path = backups.make_backup(workspace_path, folder)
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * 8192  # wreck two pages
    path.write_bytes(bytes(data))
    assert backups.list_backups(folder, checked=True)[0].ok is False
    assert backups.newest_good_backup(folder) is None
    with pytest.raises(backups.BackupFailed, match="damaged"):
        backups.restore_backup(path, workspace_path)


def test_rotation_keeps_recent_daily_weekly_monthly() -> None:
    start = dt.datetime(2024, 1, 1, 12, 0)
    infos = [
        backups.BackupInfo(Path(f"b{i}"), start + dt.timedelta(hours=6 * i), 1)
        for i in range(4 * 400)  # four a day for 400 days
    ]
    kept = backups.choose_kept(infos, recent=10, daily=12, weekly=10, monthly=9)
    newest = sorted(infos, key=lambda b: b.taken, reverse=True)
    assert {b.path for b in newest[:10]} <= kept
    kept_times = sorted((b.taken for b in infos if b.path in kept), reverse=True)
    assert len({t.date() for t in kept_times}) >= 12
    assert len({(t.year, t.month) for t in kept_times}) == 9
    assert len(kept) <= 10 + 12 + 10 + 9
    assert newest[-1].path not in kept


def test_rotate_deletes_files(workspace_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    for minute in range(15):
        backups.make_backup(workspace_path, folder, now=dt.datetime(2024, 5, 1, 9, minute))
    removed = backups.rotate(folder, recent=3, daily=1, weekly=1, monthly=1)
    assert len(removed) == 12
    assert len(backups.list_backups(folder)) == 3


def test_restore_replaces_atomically_and_keeps_the_damaged_file(
    workspace_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    good = backups.make_backup(workspace_path, folder)
    data = bytearray(workspace_path.read_bytes())
    data[4096 : 4096 * 4] = b"\x00\x13" * 6144
    workspace_path.write_bytes(bytes(data))
    assert not backups.quick_check(workspace_path)
    journal = workspace_path.with_name(workspace_path.name + "-journal")
    journal.write_bytes(b"stale journal of the damaged file")
    aside = backups.restore_backup(good, workspace_path)
    assert aside is not None and aside.read_bytes() == bytes(data)
    assert not journal.exists()
    assert backups.check(workspace_path, full=True)
    with Workspace.open(workspace_path) as restored:
        rename_first_action(restored, "after restore")


def test_keeper_backs_up_on_open_every_interval_while_changed_and_on_close(
    workspace: Workspace, tmp_path: Path
) -> None:
    now = [0.0]
    keeper = BackupKeeper(workspace, tmp_path / "b", interval=1800, clock=lambda: now[0])
    assert keeper.on_open() is not None
    assert keeper.on_open() is None  # nothing written since
    now[0] = 4000
    assert keeper.tick() is None  # unchanged: no backup
    rename_first_action(workspace, "edited")
    now[0] = 4100
    assert keeper.tick() is not None  # changed and 30 minutes since the last one
    rename_first_action(workspace, "edited again")
    now[0] = 4200
    assert keeper.tick() is None  # too soon
    last = keeper.on_close()
    assert last is not None and action_titles(last)[0] == "edited again"
    assert keeper.on_close() is None
