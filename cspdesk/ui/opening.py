"""Opening a workspace from the GUI: locks, read-only files, risky folders, damaged files.

store.opening decides what is possible; this module asks the user where a choice is theirs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from cspdesk import APP_DISPLAY_NAME
from cspdesk.errors import CspdeskError
from cspdesk.store.address import Location, ServerAddress, parse_location
from cspdesk.store.errors import NotAWorkspace
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
    parent: QWidget | None, path: Location, *, read_only: bool = False
) -> Opened | None:
    """Open ``path``, asking about damaged files, other holders and risky folders; for a shared
    plan, for the server's password and what to do with an empty database.

    Returns None when the user gave up; shows the reason for anything that cannot be opened.
    """
    try:
        location = parse_location(path)
    except CspdeskError as error:
        QMessageBox.critical(parent, APP_DISPLAY_NAME, str(error))
        return None
    if isinstance(location, ServerAddress):
        return _open_shared(parent, location, read_only)
    path = location
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


def _open_shared(parent: QWidget | None, address: ServerAddress, read_only: bool) -> Opened | None:
    from cspdesk.ui.server_sign_in import busy_cursor, sign_in

    if not sign_in(parent, address):
        return None
    try:
        with busy_cursor():
            return open_for_editing(address, read_only=read_only)
    except NotAWorkspace:
        return _offer_new_shared_plan(parent, address, read_only)
    except CspdeskError as error:
        QMessageBox.critical(parent, APP_DISPLAY_NAME, str(error))
        return None


def _offer_new_shared_plan(
    parent: QWidget | None, address: ServerAddress, read_only: bool
) -> Opened | None:
    """An empty database: start the partnership's shared plan there, or the demo to try."""
    from cspdesk.store.db import Workspace
    from cspdesk.store.demo import create_demo_workspace
    from cspdesk.ui.dialogs.partnership_name import ask_partnership_name
    from cspdesk.ui.server_sign_in import busy_cursor

    empty = f"{address}: the database is empty; it holds no plan yet."
    if read_only:
        QMessageBox.information(parent, APP_DISPLAY_NAME, f"{empty} There is nothing to read.")
        return None
    choice = _ask(
        parent,
        QMessageBox.Icon.Question,
        f"{empty}\n\nStart your partnership's shared plan there (empty, to import or type "
        "into), or put the demo plan there to try it with colleagues? If you expected a plan, "
        "check the database name with your IT.",
        [
            ("Start a new workspace there", QMessageBox.ButtonRole.AcceptRole),
            ("Put the demo plan there", QMessageBox.ButtonRole.ActionRole),
            ("Cancel", QMessageBox.ButtonRole.RejectRole),
        ],
    )
    if choice == 0:
        name = ask_partnership_name(parent)
        if name is None:
            return None
        partnership = name

        def make() -> Workspace:
            return Workspace.create(address, partnership)
    elif choice == 1:

        def make() -> Workspace:
            return create_demo_workspace(address)
    else:
        return None
    try:
        with busy_cursor():
            make().close()
            return open_for_editing(address)
    except CspdeskError as error:
        QMessageBox.critical(parent, APP_DISPLAY_NAME, str(error))
        return None
