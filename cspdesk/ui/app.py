"""Start the GUI: the application object, the first-run choice, and the main window."""

from __future__ import annotations

import builtins
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cspdesk import APP_DISPLAY_NAME, APP_NAME, ORGANISATION_DOMAIN, ORGANISATION_NAME
from cspdesk.errors import CspdeskError
from cspdesk.store.address import Location, ServerAddress
from cspdesk.ui.screen_fit import keep_windows_on_screen

if TYPE_CHECKING:
    from cspdesk.store.opening import Opened
    from cspdesk.ui.main_window import MainWindow

# The plan is read once the frame has painted; should no paint come (a hidden or minimised
# start), it is read after this long all the same.
LOAD_WITHOUT_PAINT_MS = 500


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(ORGANISATION_NAME)
    QCoreApplication.setOrganizationDomain(ORGANISATION_DOMAIN)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The program's one icon (window, taskbar; the installer uses the .ico beside it)."""
    from cspdesk.paths import resources_dir

    folder = resources_dir() / "icons"
    icon = QIcon()  # drawn from cspdesk.svg by packaging/make_icons.py
    for size in (16, 32, 48, 256):
        icon.addFile(str(folder / f"cspdesk-{size}.png"), QSize(size, size))
    return icon


def first_run(path: Path, parent: QWidget | None = None) -> Path | None:
    """No workspace yet: offer the demo plan or an empty one. Returns the file made."""
    from cspdesk.store.db import Workspace
    from cspdesk.ui.dialogs.partnership_name import ask_partnership_name

    box = QMessageBox(
        QMessageBox.Icon.Question,
        APP_DISPLAY_NAME,
        "Welcome to cspdesk. There is no workspace yet.\n\n"
        "Open the demo plan (Castle Point and Rochford CSP, 2016/17) to look "
        "around, or start an empty workspace for your partnership?",
        parent=parent,
    )
    demo = box.addButton("Open the demo plan", QMessageBox.ButtonRole.AcceptRole)
    empty = box.addButton("Start empty", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is demo:
        from cspdesk.store.demo import create_demo_workspace

        create_demo_workspace(path).close()
        return path
    if box.clickedButton() is empty:
        name = ask_partnership_name(parent)  # OK only once a name is typed
        if name is None:
            return first_run(path, parent)  # Cancel: back to the welcome box
        Workspace.create(path, name).close()
        return path
    return None


def last_workspace() -> Location | None:
    """The workspace open when the app last closed (the first of Open recent), if it is there."""
    from PySide6.QtCore import QSettings

    from cspdesk.ui.recent import RecentFiles

    recent = RecentFiles(QSettings()).paths()
    return recent[0] if recent else None


def start_location(db: Location | None) -> Location:
    """The workspace to start on: ``db``, else the one used last, else the default one."""
    from cspdesk import paths

    return db or last_workspace() or paths.default_workspace()


def open_start_workspace(
    db: Location | None, read_only: bool, parent: QWidget | None = None
) -> Opened | None:
    """Open the workspace to start on (made on first run); None when the user gave up."""
    from cspdesk import paths
    from cspdesk.ui.opening import open_interactively

    path = start_location(db)
    if db is None and isinstance(path, ServerAddress):
        opened = open_interactively(parent, path, read_only=read_only)
        if opened is not None:
            return opened
        # The last shared plan could not be opened (password not given, server away): the
        # officer's own file rather than no window at all.
        path = paths.default_workspace()
    if db is None and isinstance(path, Path) and not path.exists():
        made = first_run(path, parent)
        if made is None:
            return None
    return open_interactively(parent, path, read_only=read_only)


def stop_pyside_reading_sources() -> None:
    """PySide6 reads the whole source of every module imported after it, to see whether the
    module asks for its ``__feature__`` switches (snake_case names, true properties), which
    cspdesk never does: SQLAlchemy's and our own, several hundred files a start, about 8% of
    the work up to the plan shown. Its import hook underneath (Qt's lazy loading) is kept."""
    hooked = getattr(builtins, "__feature_import__", None)
    underneath = getattr(builtins, "__orig_import__", None)
    if hooked is not None and underneath is not None and builtins.__import__ is hooked:
        builtins.__import__ = underneath


def pause_collector() -> Callable[[], None]:
    """Start-up makes some 100,000 objects that live as long as the program (modules,
    classes, the frame): the cyclic collector would scan them again and again as they come.
    It rests until the returned function is called; that freezes them out of its sight
    (``gc.freeze``), so no catch-up pass follows, and what comes after (the plan) is collected
    as usual."""
    was_enabled = gc.isenabled()
    gc.disable()

    def resume() -> None:
        gc.freeze()
        if was_enabled:
            gc.enable()

    return resume


def run_gui(db: Location | None = None, *, read_only: bool = False) -> int:
    """The window's frame first, with the plan's name; the store and the plan once it has
    painted (SQLAlchemy and the panes are not imported before)."""
    stop_pyside_reading_sources()
    resume_collector = pause_collector()
    app = make_application()
    from cspdesk.ui.error_report import install_excepthook
    from cspdesk.ui.main_window import MainWindow

    window = MainWindow()
    window.show_opening(start_location(db))
    install_excepthook(window)
    loader = _LoadAfterPaint(app, window, db, read_only, resume_collector)
    window.tree.viewport().installEventFilter(loader)
    QTimer.singleShot(LOAD_WITHOUT_PAINT_MS, loader.load)
    window.show()
    return app.exec()


class _LoadAfterPaint(QObject):
    """Opens the start workspace into the window as soon as its frame has painted."""

    def __init__(
        self,
        app: QApplication,
        window: MainWindow,
        db: Location | None,
        read_only: bool,
        resume_collector: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.db = db
        self.read_only = read_only
        self.resume_collector = resume_collector
        self.started = False
        self.timed = os.environ.get("CSPDESK_QUIT_AFTER_PAINT")  # benchmarks and smoke tests

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.started:
            watched.removeEventFilter(self)
            _said_after_launch("first paint")
            QTimer.singleShot(0, self.load)
        return False

    def load(self) -> None:
        if self.started:
            return
        self.started = True
        self.window.tree.viewport().removeEventFilter(self)
        try:
            import cspdesk.ui.opening  # noqa: F401  # the store: made to last, so made first
        finally:
            self.resume_collector()
        keep_windows_on_screen()  # the questions opening may ask fit the screen too
        code = self._open()
        if code is not None:
            self.window.hide()  # nothing to show: closed without saving an empty frame's panes
            self.app.exit(code)
        elif self.timed:
            _quit_after_plan_painted(self.app, self.window)

    def _open(self) -> int | None:
        """Returns the exit code when no workspace could be opened."""
        window = self.window
        try:
            opened = open_start_workspace(self.db, self.read_only, window)
        except CspdeskError as error:
            QMessageBox.critical(window, APP_DISPLAY_NAME, str(error))
            return 1
        if opened is None:
            return 1 if self.db is not None else 0
        window.set_workspace(opened.workspace, read_only_reason=opened.read_only_reason)
        if opened.broke_stale_lock is not None:
            window.statusBar().showMessage(
                f"A lock left by an earlier run that had stopped was removed "
                f"({opened.broke_stale_lock.describe()}).",
                10000,
            )
        return None


def _said_after_launch(what: str) -> None:
    """Benchmarks: the time since the launcher started us (CSPDESK_LAUNCHED_AT)."""
    launched = os.environ.get("CSPDESK_LAUNCHED_AT")
    if launched:
        print(f"{what} after {time.time() - float(launched):.3f} s", flush=True)


class _PlanPainted(QObject):
    """Reports the time from launch to the plan's first paint in the tree, then quits."""

    def __init__(self, app: QApplication) -> None:
        super().__init__()
        self.app = app

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            _said_after_launch("plan shown")
            QTimer.singleShot(0, self.app.quit)
            watched.removeEventFilter(self)
        return False


def _quit_after_plan_painted(app: QApplication, window: MainWindow) -> None:
    watcher = _PlanPainted(app)
    window.tree.viewport().installEventFilter(watcher)
    window.tree.viewport().update()
    window._first_paint_watcher = watcher  # type: ignore[attr-defined]  # keep it alive
    QTimer.singleShot(10_000, app.quit)  # never hang a benchmark or a smoke test


def self_test() -> int:
    """Open the demo plan in the main window offscreen and close it: proves Qt and data load."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from cspdesk.store.demo import create_demo_workspace
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
