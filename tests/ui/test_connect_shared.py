"""File > Connect to shared plan…, and the password asked for and kept for the session only,
against a server that really asks for one (tests/password_server.py starts it)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from sqlalchemy import select

from cspdesk.core.plan.model import Action, Partnership
from cspdesk.store import server
from cspdesk.store.address import ServerAddress
from cspdesk.ui.dialogs.connect import ConnectDialog
from cspdesk.ui.dialogs.partnership_name import PartnershipNameDialog
from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.recent import RecentFiles
from tests import password_server as pw
from tests.password_server import DATABASE, PASSWORD, ROLE, PasswordServer

MNEMONIC = re.compile(r"&(\w)")
UNANSWERED_SECONDS = 8


password_server = pw.password_server
no_passwords_but_ours = pw.no_passwords_but_ours


@pytest.fixture(autouse=True)
def no_box_left_unanswered(qapp: QApplication) -> Iterator[None]:
    """A box nobody answers (the code asked once more than it should) fails, never hangs."""
    left: list[str] = []
    opened_at: dict[int, float] = {}

    def sweep() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog):
            first = opened_at.setdefault(id(widget), time.monotonic())
            if time.monotonic() - first > UNANSWERED_SECONDS:
                text = widget.labelText() if isinstance(widget, QInputDialog) else ""
                left.append(f"{type(widget).__name__} {widget.windowTitle()!r} {text!r}")
                widget.reject()

    timer = QTimer()
    timer.timeout.connect(sweep)
    timer.start(200)
    yield
    timer.stop()
    assert not left, f"left unanswered: {left}"


def on_modal(kind: type[QWidget], act: Callable[[QWidget], None], tries: int = 500) -> None:
    """Run ``act`` on the next modal window of ``kind`` once its event loop runs."""

    def poll(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            act(widget)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))


def fill(dialog: ConnectDialog, qtbot, address: ServerAddress) -> None:  # type: ignore[no-untyped-def]
    """Type the address into the dialog as an officer would, field by field."""
    dialog.by_server.setChecked(True)
    for field, value in (
        (dialog.host, address.host),
        (dialog.database, address.database),
        (dialog.user, address.user),
    ):
        field.clear()
        qtbot.keyClicks(field, value or "")
    dialog.port.setValue(address.port or 5432)


def answer_password(typed: str, prompts: list[tuple[str, QLineEdit.EchoMode]]) -> None:
    """Answer the next password box (the real QInputDialog) with ``typed``."""

    def act(box: QWidget) -> None:
        assert isinstance(box, QInputDialog)
        prompts.append((box.labelText(), box.textEchoMode()))
        box.setTextValue(typed)
        box.accept()

    on_modal(QInputDialog, act)


def typed_answers(*answers: str, asked: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A stand-in for QInputDialog.getText: ``answers`` in turn, then Cancel (never a loop)."""
    left = list(answers)

    def get_text(_parent, _title, label, echo=QLineEdit.EchoMode.Normal, *_a, **_k):  # type: ignore[no-untyped-def]
        if asked is not None:
            asked.append(label)
        if "password" in label.lower():
            assert echo == QLineEdit.EchoMode.Password
        return (left.pop(0), True) if left else ("", False)

    return staticmethod(get_text)


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (path for path in folder.rglob("*") if path.is_file())


def connect_through_the_menu(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    address: ServerAddress,
    then: Callable[[], None] = lambda: None,
) -> None:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, ConnectDialog)
        fill(dialog, qtbot, address)
        then()  # what answers the boxes Connect opens
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)

    on_modal(ConnectDialog, act)
    window.connect_action.trigger()


def test_connect_asks_for_the_password_again_when_refused_and_keeps_it_only_in_memory(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    password_server: PasswordServer,
    private_home: Path,
) -> None:
    address = password_server.address
    prompts: list[tuple[str, QLineEdit.EchoMode]] = []

    def answers() -> None:
        answer_password("wrong-guess", prompts)  # the first box: a typo

        def second() -> None:
            answer_password(PASSWORD, prompts)

        QTimer.singleShot(50, second)

    connect_through_the_menu(qtbot, window, address, then=answers)

    assert window.document is not None
    assert window.document.workspace.location == address
    assert [echo for _, echo in prompts] == [QLineEdit.EchoMode.Password] * 2
    assert f"asks for the password of {ROLE}" in prompts[0][0]
    assert f"refused that password for {ROLE}" in prompts[1][0]
    assert "never saved" in prompts[1][0]
    titles = window.document.workspace.read(
        lambda s: list(s.execute(select(Action.title)).scalars())
    )
    assert "Joint days of action" in titles
    assert DATABASE in window.windowTitle()
    recent = [a.text() for a in window.recent_menu.actions()]
    assert (
        recent[0]
        == str(address)
        == f"postgresql://{ROLE}@127.0.0.1:{password_server.port}/" + DATABASE
    )
    # The direction column's background reader connects with the same password.
    with qtbot.waitSignal(window.document.directions_ready, timeout=15000):
        pass
    # Nowhere on disk or on screen: settings, recent list, CSPDESK_HOME, title, status, banner.
    settings = QSettings()
    settings.sync()
    written = list(files_under(Path(settings.fileName()).parent, private_home))
    assert written, "the test should look at the files the window wrote"
    assert not [p for p in written if PASSWORD.encode() in p.read_bytes()]
    assert all(PASSWORD not in str(settings.value(key)) for key in settings.allKeys())
    shown = [window.windowTitle(), window.statusBar().currentMessage(), window.banner.text()]
    shown += [a.text() for a in window.recent_menu.actions()]
    assert not [text for text in shown if PASSWORD in text]
    # The last values are remembered for next time, without a password.
    assert settings.value("connect/host") == "127.0.0.1"
    assert settings.value("connect/database") == DATABASE
    assert settings.value("connect/user") == ROLE
    assert not [key for key in settings.allKeys() if "password" in key.lower()]


def test_cancel_on_the_password_box_leaves_the_window_as_it_was(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    password_server: PasswordServer,
) -> None:
    before = window.document.workspace  # type: ignore[union-attr]
    asked: list[str] = []

    def cancel_then_close() -> None:
        def cancel(box: QWidget) -> None:
            assert isinstance(box, QInputDialog)
            asked.append(box.labelText())
            box.reject()
            QTimer.singleShot(50, lambda: on_modal(ConnectDialog, lambda d: d.reject()))

        on_modal(QInputDialog, cancel)

    connect_through_the_menu(qtbot, window, password_server.address, then=cancel_then_close)

    assert asked and "asks for the password" in asked[0]
    assert window.document is not None and window.document.workspace is before
    assert not before.closed  # the file's plan is still open, its lock held
    assert password_server.address not in server._session_passwords


def test_a_recent_shared_plan_asks_again_in_a_new_session(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    password_server: PasswordServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address = password_server.address
    RecentFiles(window.settings).add(address)
    window.files.rebuild_recent_menu()
    asked: list[str] = []
    before = window.document.workspace  # type: ignore[union-attr]
    entry = next(a for a in window.recent_menu.actions() if a.text() == str(address))
    monkeypatch.setattr(QInputDialog, "getText", typed_answers(asked=asked))  # Cancel
    entry.trigger()
    assert len(asked) == 1
    assert window.document.workspace is before and not before.closed  # type: ignore[union-attr]
    asked.clear()
    monkeypatch.setattr(QInputDialog, "getText", typed_answers(PASSWORD, PASSWORD, asked=asked))
    entry.trigger()
    assert window.document is not None and window.document.workspace.location == address
    assert len(asked) == 1  # asked once, then remembered for this session
    window.open_path(address)
    assert len(asked) == 1

    server._session_passwords.clear()  # a new session: start-up opens the last plan, and asks
    from cspdesk.ui.app import open_start_workspace

    window.close()
    opened = open_start_workspace(None, read_only=False)
    assert opened is not None and opened.workspace.location == address
    opened.workspace.close()
    assert len(asked) == 2


def test_failures_are_said_in_our_words_and_the_dialog_stays(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    password_server: PasswordServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    cursors: list[object] = []
    real_check = server.check_sign_in

    def check(*args: object) -> None:
        cursor = QApplication.overrideCursor()  # the wait cursor while the server is asked
        cursors.append(cursor.shape() if cursor is not None else None)
        real_check(*args)  # type: ignore[arg-type]

    def warning(_parent: object, _title: str, text: str) -> None:
        assert QApplication.overrideCursor() is None  # the message comes with the usual cursor
        said.append(text)

    monkeypatch.setattr(server, "check_sign_in", check)
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QInputDialog, "getText", typed_answers(PASSWORD))
    dialog = ConnectDialog(window, window.settings)
    qtbot.addWidget(dialog)
    fill(dialog, qtbot, ServerAddress("shared_plan", ROLE, "127.0.0.1", 1))  # nobody listens
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    fill(dialog, qtbot, password_server.address_of("no_such_plan"))
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert len(said) == 2
    assert "cannot reach the server" in said[0]
    assert "has no database 'no_such_plan'" in said[1]
    assert not [text for text in said if "Traceback" in text or "psycopg" in text]
    assert dialog.chosen is None and not dialog.result()  # still open for a correction
    assert cursors and set(cursors) == {Qt.CursorShape.WaitCursor}


@pytest.mark.parametrize("choice", ["Start a new workspace there", "Put the demo plan there"])
def test_an_empty_database_offers_a_new_workspace_or_the_demo(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    password_server: PasswordServer,
    monkeypatch: pytest.MonkeyPatch,
    choice: str,
) -> None:
    name = f"empty_{abs(hash(choice)) % 100000}"
    password_server.sql(f"DROP DATABASE IF EXISTS {name}")
    password_server.sql(f"CREATE DATABASE {name} OWNER {ROLE}")
    server.remember_password(password_server.address_of(name), PASSWORD)
    offered: list[str] = []

    def name_it(dialog: QWidget) -> None:
        assert isinstance(dialog, PartnershipNameDialog)
        qtbot.keyClicks(dialog.name, "Rochford Vale CSP")
        dialog.ok.click()

    def pick(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        offered.append(box.text())
        button = next(b for b in box.findChildren(QAbstractButton) if b.text() == choice)
        if choice.startswith("Start"):
            on_modal(PartnershipNameDialog, name_it)
        button.click()

    on_modal(QMessageBox, pick)
    assert window.open_path(password_server.address_of(name))
    assert "the database is empty" in offered[0]
    assert window.document is not None
    names = window.document.workspace.read(
        lambda s: list(s.execute(select(Partnership.name)).scalars())
    )
    if choice.startswith("Put the demo"):
        assert names == ["Castle Point and Rochford Community Safety Partnership"]
        assert window.document.model.rowCount() > 0
    else:
        assert names == ["Rochford Vale CSP"]


def test_the_dialog_shows_the_address_and_is_keyboard_friendly(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tried: list[ServerAddress] = []
    monkeypatch.setattr(
        "cspdesk.ui.dialogs.connect.sign_in", lambda _parent, address: tried.append(address)
    )
    dialog = ConnectDialog(window, window.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.port.value() == 5432
    assert not dialog.connect_button.isEnabled()  # no server nor database yet
    qtbot.keyClicks(dialog.host, "plans.council.local")
    assert not dialog.connect_button.isEnabled()
    assert dialog.shown_address.text() == "Give the server's name and the database's."
    qtbot.keyClicks(dialog.database, "castle_point")
    qtbot.keyClicks(dialog.user, "emma.clark")
    shown = dialog.shown_address.text()
    assert shown == "Address: postgresql://emma.clark@plans.council.local:5432/castle_point"
    assert dialog.connect_button.isEnabled()
    qtbot.keyClick(dialog.user, Qt.Key.Key_Return)  # Return connects, from any field
    assert [str(a) for a in tried] == [shown.removeprefix("Address: ")]
    dialog.by_service.setChecked(True)
    assert not dialog.host.isEnabled() and dialog.service.isEnabled()
    qtbot.keyClicks(dialog.service, "csp")
    assert dialog.shown_address.text() == "Address: postgresql://emma.clark@/?service=csp"
    qtbot.keyClicks(dialog.host, "x/y")  # disabled: typing goes nowhere
    dialog.by_server.setChecked(True)
    dialog.host.setText("bad/host")
    assert not dialog.connect_button.isEnabled()
    assert "not a valid server address" in dialog.shown_address.text()
    # Every field has a label with a shortcut, or an accessible name; shortcuts are unique.
    texts = [b.text() for b in dialog.findChildren(QAbstractButton)]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    letters = [m.lower() for text in texts for m in MNEMONIC.findall(text)]
    assert len(letters) == len(set(letters)) >= 7, texts
    buddies = {label.buddy() for label in dialog.findChildren(QLabel)}
    for field in (dialog.host, dialog.port, dialog.database, dialog.service, dialog.user):
        assert field in buddies and field.accessibleName()


def test_file_menu_shortcuts_are_unique(window: MainWindow) -> None:
    texts = [a.text() for a in window.file_menu.actions() if a.text()]
    assert "&Connect to shared plan…" in texts
    letters = [m.lower() for text in texts for m in MNEMONIC.findall(text.replace("&&", ""))]
    assert len(letters) == len(set(letters)), texts


def test_a_service_from_pg_service_conf_connects_the_same_way(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    password_server: PasswordServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[csp]\nhost=127.0.0.1\nport={password_server.port}\ndbname={DATABASE}\nuser={ROLE}\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", typed_answers(PASSWORD, asked=asked))

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, ConnectDialog)
        dialog.by_service.setChecked(True)
        qtbot.keyClicks(dialog.service, "csp")
        assert dialog.shown_address.text() == "Address: postgresql:///?service=csp"
        qtbot.keyClick(dialog.service, Qt.Key.Key_Return)

    on_modal(ConnectDialog, act)
    window.connect_action.trigger()
    assert window.document is not None
    assert str(window.document.workspace.location) == "postgresql:///?service=csp"
    assert len(asked) == 1 and "the password of the user of service csp" in asked[0]
    assert "Joint days of action" in window.document.workspace.read(
        lambda s: list(s.execute(select(Action.title)).scalars())
    )
    assert window.recent_menu.actions()[0].text() == "postgresql:///?service=csp"


def test_start_up_on_a_shared_plan_whose_password_is_not_given_opens_the_own_file(
    qtbot,  # type: ignore[no-untyped-def]
    password_server: PasswordServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cspdesk import paths
    from cspdesk.store.db import Workspace
    from cspdesk.ui.app import open_start_workspace

    own = paths.default_workspace()
    Workspace.create(own, "Own file CSP").close()
    RecentFiles(QSettings()).add(own)
    RecentFiles(QSettings()).add(password_server.address)  # the last one open
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", typed_answers(asked=asked))  # Cancel
    opened = open_start_workspace(None, read_only=False)
    assert len(asked) == 1
    assert opened is not None and opened.workspace.location == own
    opened.workspace.close()
