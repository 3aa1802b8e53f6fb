"""GUI fixtures: settings kept in a temporary folder, a main window on a real workspace."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from cspdesk.store.db import Workspace


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Iterator[None]:
    folder = tmp_path_factory.mktemp("settings")
    QCoreApplication.setOrganizationName("cspdesk-tests")
    QCoreApplication.setApplicationName("cspdesk-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield


@pytest.fixture
def window(qtbot, workspace_path: Path):  # type: ignore[no-untyped-def]
    from cspdesk.ui.main_window import MainWindow

    main = MainWindow(Workspace.open(workspace_path))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    if main.live is not None:  # a shared plan: listening for colleagues' changes, once connected
        qtbot.waitUntil(lambda: main.live.listening, timeout=5000)
    return main
