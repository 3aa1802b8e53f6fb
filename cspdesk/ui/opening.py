"""Opening a workspace from the GUI: locks, read-only files, risky folders, damaged files.

store.opening decides what is possible; this module asks the user where a choice is theirs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from cspdesk import APP_DISPLAY_NAME
from cspdesk.errors import CspdeskError
from cspdesk.store.opening import Opened, WorkspaceDamaged, open_for_editing


def _ask(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    text: str,
    buttons: list[tuple[str, QMessageBox.ButtonRole]],
) -> int:
    box = QMessageBox(icon, APP_DISPLAY_NAME, text, parent=parent)
    made = [box.addButton(label, role) for label, role in buttons]
    box.exec()
    clicked = box.clickedButton()
    return made.index(clicked) if clicked in made else len(made)  # type: ignore[arg-type]


def open_interactively(
    parent: QWidget | None, path: Path, *, read_only: bool = False
) -> Opened | None:
    """Open ``path``, asking about damaged files, other holders and risky folders.

    Returns None when the user gave up; shows the reason for anything that cannot be opened.
    """
    try:
        opened = open_for_editing(path, read_only=read_only)
    except WorkspaceDamaged as damaged:
        return _offer_backup(parent, damaged, read_only)
    except CspdeskError as error:
        QMessageBox.critical(parent, APP_DISPLAY_NAME, str(error))
        return None

    if opened.holder is not None and not opened.holder.on_this_host():
        choice = _ask(
            parent,
            QMessageBox.Icon.Information,
            f"{opened.holder.describe()}.\n\nIt has been opened for reading only. "
            "Break the lock only if you are sure nobody is using it (for example "
            "their computer crashed): two people saving at once can lose work.",
            [
                ("Read only", QMessageBox.ButtonRole.AcceptRole),
                ("Break the lock and edit", QMessageBox.ButtonRole.DestructiveRole),
            ],
        )
        if choice == 1:
            opened.workspace.close()
            opened = open_for_editing(path, break_lock=True)

    if opened.location_warning and not opened.read_only:
        choice = _ask(
            parent,
            QMessageBox.Icon.Warning,
            f"{opened.location_warning}\n\nKeep the working copy on this computer "
            "instead? (You can copy it back to the shared folder when you finish.)",
            [
                ("Keep a copy on this computer", QMessageBox.ButtonRole.AcceptRole),
                ("Use it where it is", QMessageBox.ButtonRole.RejectRole),
            ],
        )
        if choice == 0:
            from cspdesk.store.location import copy_to_local

            try:
                local = copy_to_local(path)
            except CspdeskError as error:
                QMessageBox.warning(parent, APP_DISPLAY_NAME, str(error))
                return opened
            opened.workspace.close()
            return open_interactively(parent, local)
    return opened


def _offer_backup(
    parent: QWidget | None, damaged: WorkspaceDamaged, read_only: bool
) -> Opened | None:
    if damaged.backup is None:
        QMessageBox.critical(parent, APP_DISPLAY_NAME, str(damaged))
        return None
    choice = _ask(
        parent,
        QMessageBox.Icon.Critical,
        f"{damaged}.\n\nRestore that backup? The damaged file is kept beside it.",
        [
            ("Restore the backup", QMessageBox.ButtonRole.AcceptRole),
            ("Cancel", QMessageBox.ButtonRole.RejectRole),
        ],
    )
    if choice != 0:
        return None
    from cspdesk.store.backup import restore_backup

    try:
        restore_backup(damaged.backup.path, damaged.path)
    except CspdeskError as error:
        QMessageBox.critical(parent, APP_DISPLAY_NAME, str(error))
        return None
    return open_interactively(parent, damaged.path, read_only=read_only)
