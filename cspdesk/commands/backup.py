"""Sub-commands: backup (with the SQLite backup API) and restore from a backup.

Checked, rotated backups are for workspace files. For a shared plan on a server, ``backup``
writes a local workspace file copy (store/copying.py) into the backup folder; the server's
routine backups are its administrator's (pg_dump), and ``restore`` does not replace a shared
plan under colleagues' feet.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.commands.common import add_db_argument

if TYPE_CHECKING:
    from cspdesk.store.address import ServerAddress


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = subparsers.add_parser("backup", help="back up a workspace (checked, rotated)")
    add_db_argument(backup)
    backup.add_argument(
        "--to", type=Path, metavar="FOLDER", help="backup folder (default: cspdesk's own)"
    )
    backup.add_argument("--list", action="store_true", help="list the backups instead")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser("restore", help="replace a workspace with one of its backups")
    add_db_argument(restore)
    restore.add_argument("--from", dest="source", type=Path, required=True, metavar="BACKUP")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from cspdesk.store import backup as backups
    from cspdesk.store.address import ServerAddress
    from cspdesk.store.db import sniff_workspace_file

    folder = args.to if args.to is not None else backups.backup_folder(args.db)
    if isinstance(args.db, ServerAddress) and not args.list:
        return _copy_shared_plan(args.db, folder)
    if args.list:
        for info in backups.list_backups(folder, checked=True):
            print(f"{info.describe()}  {info.path}")
        return 0
    sniff_workspace_file(Path(args.db))
    path = backups.make_backup(args.db, folder)
    removed = backups.rotate(folder)
    print(f"backup written to {path} (checked)")
    if removed:
        print(f"{len(removed)} older backup(s) thinned out")
    return 0


def _copy_shared_plan(address: ServerAddress, folder: Path) -> int:
    from cspdesk.store.backup import copy_shared_plan

    target = copy_shared_plan(address, folder)
    print(f"a copy of the shared plan {address} written to {target}")
    print("(routine backups of the server are its administrator's: pg_dump)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from cspdesk.store import backup as backups
    from cspdesk.store import lock as locking
    from cspdesk.store.address import ServerAddress
    from cspdesk.store.errors import WorkspaceError

    if isinstance(args.db, ServerAddress):
        raise WorkspaceError(
            f"{args.db}: a shared plan is not replaced from a backup file (colleagues work in "
            f"it); copy the backup into an empty database with cspdesk copy --from "
            f"{args.source} --to postgresql://USER@HOST/NEWDB, or ask your IT (pg_restore)"
        )

    if not Path(args.source).is_file():
        what = "is not a backup file" if Path(args.source).exists() else "no such backup"
        raise WorkspaceError(f"{args.source}: {what}")
    if Path(args.db).exists():
        locking.break_stale(args.db)
        with locking.acquire(args.db):  # WorkspaceLocked names who has it open
            aside = backups.restore_backup(args.source, args.db)
    else:
        aside = backups.restore_backup(args.source, args.db)
    print(f"{args.db} restored from {args.source}")
    if aside is not None:
        print(f"the file it replaced is kept as {aside}")
    return 0
