"""The File menu's workspaces: New, Open, Open recent and Connect to shared plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu

from cspdesk import WORKSPACE_SUFFIX
from cspdesk.errors import CspdeskError
from cspdesk.store.address import Location, ServerAddress, parse_location
from cspdesk.ui.file_folders import start_folder
from cspdesk.ui.mnemonics import literal
from cspdesk.ui.recent import RecentFiles

if TYPE_CHECKING:
    from cspdesk.ui.main_window import MainWindow

WORKSPACE_FILTER = f"cspdesk workspaces (*{WORKSPACE_SUFFIX});;All files (*)"


class WorkspaceFiles(QObject):
    """Which workspace the window shows, and the menu items that change it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.recent = RecentFiles(window.settings)
        std = QKeySequence.StandardKey
        self.new_action = QAction("&New workspace…", window)
        self.new_action.setShortcut(QKeySequence(std.New))
        self.new_action.triggered.connect(self.new_workspace)
        self.open_action = QAction("&Open…", window)
        self.open_action.setShortcut(QKeySequence(std.Open))
        self.open_action.triggered.connect(self.open_workspace)
        self.recent_menu = QMenu("Open &recent", window)
        self.connect_action = QAction("&Connect to shared plan…", window)
        self.connect_action.setStatusTip("Open a plan kept on your partnership's PostgreSQL server")
        self.connect_action.triggered.connect(self.connect_to_shared_plan)
        self.recent_menu.setEnabled(False)  # filled once a workspace is open

    def add_to_menu(self, menu: QMenu) -> None:
        menu.addActions([self.new_action, self.open_action])
        menu.addMenu(self.recent_menu)
        menu.addAction(self.connect_action)

    def opened(self, location: Location) -> None:
        """``location`` is now the window's: first in Open recent."""
        self.recent.add(location)
        self.rebuild_recent_menu()

    def open_path(self, path: Location, *, read_only: bool = False) -> bool:
        from cspdesk.ui.opening import open_interactively
        from cspdesk.ui.server_sign_in import sign_in

        window = self.window
        if isinstance(path, ServerAddress) and not sign_in(window, path):  # Cancel keeps this plan
            return False
        document = window.document
        if document is not None:
            if window.detail is not None:
                window.detail.show_item(None)  # saves a field still being typed
            if window.live_status is not None and not window.live_status.may_close():
                return False  # changes the server did not take: this plan stays open
            if same_place(document.workspace.location, path):
                window.finish_with_workspace()  # release our own lock before reopening
        # Another workspace is opened before this one is let go: if it cannot be (damaged,
        # refused, the user gave up), the window stays on this one, still saving.
        opened = open_interactively(window, path, read_only=read_only)
        if opened is None:
            return False
        document = window.document
        if document is not None and not document.workspace.closed:
            window.finish_with_workspace()
        window.set_workspace(opened.workspace, read_only_reason=opened.read_only_reason)
        return True

    def open_workspace(self) -> None:
        document = self.window.document
        here = document.workspace.location if document else None
        start = str(here.parent if isinstance(here, Path) else start_folder("workspace"))
        name, _ = QFileDialog.getOpenFileName(
            self.window, "Open workspace", start, WORKSPACE_FILTER
        )
        if name:
            self.open_path(Path(name))

    def connect_to_shared_plan(self) -> None:
        from cspdesk.ui.dialogs.connect import choose_shared_plan

        address = choose_shared_plan(self.window, self.window.settings)
        if address is not None:
            self.open_path(address)

    def new_workspace(self) -> None:
        from cspdesk.store.db import Workspace

        window = self.window
        here = window.document.workspace.location if window.document else None
        start = here.parent if isinstance(here, Path) else start_folder("workspace")
        name, _ = QFileDialog.getSaveFileName(window, "New workspace", str(start), WORKSPACE_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix != WORKSPACE_SUFFIX:
            path = path.with_name(path.name + WORKSPACE_SUFFIX)
        partnership, ok = QInputDialog.getText(window, "New workspace", "Partnership name:")
        if not ok or not partnership.strip():
            return
        try:
            Workspace.create(path, partnership.strip()).close()
        except CspdeskError as error:
            window.show_error(str(error))
            return
        self.open_path(path)

    def rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent.paths():
            action = self.recent_menu.addAction(literal(str(path)))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())


def same_place(current: Location, other: Location | str) -> bool:
    """Whether ``other`` names the workspace at ``current`` (reopening it, e.g. read-only)."""
    try:
        wanted = parse_location(other)
    except CspdeskError:
        return False
    if isinstance(current, Path) and isinstance(wanted, Path):
        return current.resolve() == wanted.resolve()
    return current == wanted
