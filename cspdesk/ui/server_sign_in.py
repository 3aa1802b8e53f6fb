"""Signing in to a shared plan's server from the window: the password libpq could not find.

libpq looks in ~/.pgpass (on Windows %APPDATA%\\postgresql\\pgpass.conf), PGPASSFILE and the
service file. When the server still asks, the window asks the officer, and store.server keeps
the answer in memory for this session only (never in settings, the recent list or a message).
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from cspdesk import APP_DISPLAY_NAME
from cspdesk.errors import CspdeskError
from cspdesk.store import server
from cspdesk.store.address import ServerAddress

KEPT = "CSP Desk keeps it in memory until you close the program; it is never saved."


@contextlib.contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor while the window talks to a server (up to the connect timeout)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _where(address: ServerAddress) -> str:
    service = dict(address.options).get("service")
    if address.host:
        place = f"{address.host}:{address.port}" if address.port else address.host
    else:
        place = f"service {service}" if service else "this computer"
    return f"{address.database} on {place}" if address.database else place


def ask_password(parent: QWidget | None, address: ServerAddress, *, refused: bool) -> str | None:
    """The password typed (hidden as it is typed), or None when the officer cancelled."""
    service = dict(address.options).get("service")
    # libpq's default user: the service's, else the login name.
    user = address.user or (f"the user of service {service}" if service else getpass.getuser())
    if refused:
        question = (
            f"The server refused that password for {user} ({_where(address)}).\n\n"
            f"Type the password again. {KEPT}\n\nPassword:"
        )
    else:
        question = (
            f"The server asks for the password of {user} ({_where(address)}).\n\n"
            f"{KEPT} (To not be asked each time, your IT can put it in your pgpass file.)"
            "\n\nPassword:"
        )
    typed, ok = QInputDialog.getText(
        parent, f"Password – {APP_DISPLAY_NAME}", question, QLineEdit.EchoMode.Password
    )
    return typed if ok else None


def sign_in(parent: QWidget | None, address: ServerAddress) -> bool:
    """Connect once to ``address``, asking for the password as long as the server wants one.

    True when the server let us in (a typed password is then remembered for the session);
    False when the officer cancelled (nothing changed) or the server could not be used (said
    so, in our words).
    """
    password: str | None = None  # first the remembered one, or libpq's own files
    while True:
        try:
            with busy_cursor():
                server.check_sign_in(address, password)
        except server.PasswordNeeded as needed:
            # "Refused" only for what was typed here: a stale pgpass entry is just asked over.
            typed = ask_password(parent, address, refused=needed.refused and password is not None)
            if typed is None:
                return False
            password = typed
            continue
        except CspdeskError as error:
            QMessageBox.warning(parent, APP_DISPLAY_NAME, str(error))
            return False
        if password is not None:
            server.remember_password(address, password)
        return True
