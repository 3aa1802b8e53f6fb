"""File > Connect to shared plan…: a plan on the partnership's PostgreSQL server.

The officer gives the server, port, database and user name (or a service of pg_service.conf)
and sees the address cspdesk will use; it never holds a password (libpq's files have it, or the
window asks and keeps it for the session). The last values are remembered, without password.
"""

from __future__ import annotations

import getpass

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cspdesk import APP_DISPLAY_NAME
from cspdesk.store.address import ServerAddress, UnsupportedAddress, parse_location
from cspdesk.ui.server_sign_in import sign_in

DEFAULT_PORT = 5432
SETTINGS = "connect"  # group in QSettings: mode, host, port, database, user, service
PASSWORD_NOTE = (
    "No password goes in the address. If your pgpass file (or the service file) has none for "
    "this server, CSP Desk asks for it and keeps it only until you close the program."
)


class ConnectDialog(QDialog):
    """Asks where the shared plan is; Connect signs in to the server before it closes."""

    def __init__(self, parent: QWidget | None, settings: QSettings) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(f"Connect to shared plan – {APP_DISPLAY_NAME}")
        self.by_server = QRadioButton("&A server and database")
        self.by_service = QRadioButton("A service in pg_&service.conf")
        modes = QButtonGroup(self)
        modes.addButton(self.by_server)
        modes.addButton(self.by_service)

        self.host = self._field("Server", "the server's name, e.g. plans.council.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setAccessibleName("Port")
        self.database = self._field("Database", "the database your IT made for the plan")
        self.service = self._field("Service name", "a [section] of pg_service.conf")
        self.user = self._field("User name", f"empty for {getpass.getuser()}")

        server_form = QFormLayout()
        server_form.addRow("Ser&ver:", self.host)
        server_form.addRow("&Port:", self.port)
        server_form.addRow("&Database:", self.database)
        service_form = QFormLayout()
        service_form.addRow("Service &name:", self.service)
        user_form = QFormLayout()
        user_form.addRow("&User name:", self.user)

        self.shown_address = QLabel()
        self.shown_address.setObjectName("connectAddress")
        self.shown_address.setAccessibleName("Address cspdesk will use")
        self.shown_address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shown_address.setWordWrap(True)
        note = QLabel(PASSWORD_NOTE)
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = QPushButton("&Connect")
        buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._connect)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.by_server)
        layout.addLayout(server_form)
        layout.addWidget(self.by_service)
        layout.addLayout(service_form)
        layout.addLayout(user_form)
        layout.addWidget(self.shown_address)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

        self._load()
        for field in (self.host, self.database, self.service, self.user):
            field.textChanged.connect(self._update)
        self.port.valueChanged.connect(self._update)
        self.by_server.toggled.connect(self._update)
        self._update()
        self.chosen: ServerAddress | None = None

    def _field(self, name: str, hint: str) -> QLineEdit:
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setPlaceholderText(hint)
        return field

    # ---- the address ----

    def address(self) -> ServerAddress | None:
        """The address the fields make (through the same parser as --db), or None if none."""
        return self._parse()[0]

    def _parse(self) -> tuple[ServerAddress | None, str]:
        user = self.user.text().strip() or None
        if self.by_service.isChecked():
            service = self.service.text().strip()
            if not service:
                return None, "Give the service's name."
            wanted = ServerAddress(None, user, options=(("service", service),))
        else:
            host = self.host.text().strip()
            database = self.database.text().strip()
            if not host or not database:
                return None, "Give the server's name and the database's."
            wanted = ServerAddress(database, user, host, self.port.value())
        try:
            parsed = parse_location(str(wanted))
        except UnsupportedAddress as error:
            return None, str(error)
        if parsed != wanted:  # e.g. a "/" or "@" in the server's name
            return None, f"{wanted}: not a valid server address; check the server's name"
        assert isinstance(parsed, ServerAddress)
        return parsed, ""

    def _update(self) -> None:
        by_server = self.by_server.isChecked()
        for field in (self.host, self.port, self.database):
            field.setEnabled(by_server)
        self.service.setEnabled(not by_server)
        address, problem = self._parse()
        self.shown_address.setText(f"Address: {address}" if address else problem)
        self.connect_button.setEnabled(address is not None)
        # Qt drops a disabled button's default role when the dialog shows: give it back.
        self.connect_button.setDefault(address is not None)

    # ---- remembered values (never a password: there is no field for one) ----

    def _load(self) -> None:
        value = self.settings.value
        self.host.setText(str(value(f"{SETTINGS}/host", "") or ""))
        try:
            port = int(value(f"{SETTINGS}/port", DEFAULT_PORT) or DEFAULT_PORT)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            port = DEFAULT_PORT
        self.port.setValue(port if 0 < port < 65536 else DEFAULT_PORT)
        self.database.setText(str(value(f"{SETTINGS}/database", "") or ""))
        self.service.setText(str(value(f"{SETTINGS}/service", "") or ""))
        self.user.setText(str(value(f"{SETTINGS}/user", "") or ""))
        by_service = value(f"{SETTINGS}/mode", "server") == "service"
        (self.by_service if by_service else self.by_server).setChecked(True)

    def _save(self) -> None:
        values = {
            "mode": "service" if self.by_service.isChecked() else "server",
            "host": self.host.text().strip(),
            "port": self.port.value(),
            "database": self.database.text().strip(),
            "service": self.service.text().strip(),
            "user": self.user.text().strip(),
        }
        for key, value in values.items():
            self.settings.setValue(f"{SETTINGS}/{key}", value)

    # ---- Connect ----

    def _connect(self) -> None:
        address = self.address()
        if address is None:
            return
        if sign_in(self, address):  # asks for the password if the server wants one
            self._save()
            self.chosen = address
            self.accept()


def choose_shared_plan(parent: QWidget | None, settings: QSettings) -> ServerAddress | None:
    """Show the dialog; the address of a server that let us in, or None when cancelled."""
    dialog = ConnectDialog(parent, settings)
    try:
        dialog.exec()
        return dialog.chosen
    finally:
        dialog.deleteLater()
