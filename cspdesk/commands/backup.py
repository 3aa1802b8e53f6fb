"""Sub-commands: backup (with the SQLite backup API) and restore from a backup."""

from __future__ import annotations

import argparse
from pathlib import Path

from cspdesk.commands.common import add_db_argument


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
    from cspdesk.store.db import sniff_workspace_file

    folder = args.to if args.to is not None else backups.backup_folder(args.db)
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


def run_restore(args: argparse.Namespace) -> int:
    from cspdesk.store import backup as backups
    from cspdesk.store import lock as locking
    from cspdesk.store.errors import WorkspaceError

    if not Path(args.source).is_file():
        raise WorkspaceError(f"{args.source}: no such backup")
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
