"""Start the GUI: the application object, the first-run choice, and the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from cspdesk import APP_DISPLAY_NAME, APP_NAME, ORGANISATION_DOMAIN, ORGANISATION_NAME
from cspdesk.errors import CspdeskError
from cspdesk.store.db import Workspace


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORGANISATION_NAME)
    QCoreApplication.setOrganizationDomain(ORGANISATION_DOMAIN)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    return app


def first_run(path: Path) -> Workspace | None:
    """No workspace yet: offer the demo plan or an empty one."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        APP_DISPLAY_NAME,
        "Welcome to cspdesk. There is no workspace yet.\n\n"
        "Open the demo plan (Castle Point and Rochford CSP, 2016/17) to look "
        "around, or start an empty workspace for your partnership?",
    )
    demo = box.addButton("Open the demo plan", QMessageBox.ButtonRole.AcceptRole)
    empty = box.addButton("Start empty", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is demo:
        from cspdesk.core.demo import create_demo_workspace

        return create_demo_workspace(path)
    if box.clickedButton() is empty:
        name, ok = QInputDialog.getText(None, APP_DISPLAY_NAME, "Your partnership's name:")
        if ok and name.strip():
            return Workspace.create(path, name.strip())
    return None


def open_start_workspace(db: Path | None, read_only: bool) -> Workspace | None:
    from cspdesk import paths

    path = db or paths.default_workspace()
    if db is None and not path.exists():
        return first_run(path)
    return Workspace.open(path, read_only=read_only)


def run_gui(db: Path | None = None, *, read_only: bool = False) -> int:
    app = make_application()
    try:
        workspace = open_start_workspace(db, read_only)
    except CspdeskError as error:
        QMessageBox.critical(None, APP_DISPLAY_NAME, str(error))
        return 1
    if workspace is None:
        return 0
    from cspdesk.ui.main_window import MainWindow

    window = MainWindow(workspace)
    window.show()
    if os.environ.get("CSPDESK_QUIT_AFTER_PAINT"):  # the start-up benchmark and smoke tests
        QTimer.singleShot(0, app.quit)
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    return app.exec()


def self_test() -> int:
    """Open the demo plan in the main window offscreen and close it: proves Qt and data load."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cspdesk.core.demo import create_demo_workspace
    from cspdesk.ui.main_window import MainWindow

    app = make_application()
    with tempfile.TemporaryDirectory(prefix="cspdesk-self-test-") as folder:
        workspace = create_demo_workspace(Path(folder) / "demo.cspdesk")
        window = MainWindow(workspace)
        window.show()
        app.processEvents()
        rows = window.document.model.rowCount() if window.document else 0
        window.close()
        workspace.close()
    if rows < 1:
        print("self-test failed: the demo plan did not show", file=sys.stderr)
        return 1
    print("self-test ok")
    return 0
