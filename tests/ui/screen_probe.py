"""Run under a real X server: open the main window and every dialog, and write where each lay
against the screen's available area (JSON), with a screenshot of each (PNG) for a person to see.

    python tests/ui/screen_probe.py OUT_FOLDER
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from cspdesk.ui.main_window import MainWindow

OUT = Path(sys.argv[1])
# The checkout this file is in, not whichever cspdesk is installed: run as a script, Python
# puts only this folder on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
found: list[dict[str, object]] = []


def record(name: str, widget: QWidget) -> None:
    app = QApplication.instance()
    for _ in range(5):
        app.processEvents()
    area = widget.screen().availableGeometry()
    frame = widget.frameGeometry()
    found.append(
        {
            "name": name,
            "window": [frame.x(), frame.y(), frame.width(), frame.height()],
            "screen": [area.x(), area.y(), area.width(), area.height()],
            "inside": area.contains(frame),
        }
    )
    (OUT / "found.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    shot = widget.screen().grabWindow(0)
    shot.save(str(OUT / f"{len(found):02d}-{''.join(c for c in name if c.isalnum())}.png"))


def shown_instead_of_run(dialog: QDialog) -> int:
    dialog.show()
    record(dialog.windowTitle() or type(dialog).__name__, dialog)
    dialog.close()
    return 0


def _close_static_dialog() -> None:
    widget = QApplication.activeModalWidget()
    if isinstance(widget, QDialog):
        record(widget.windowTitle() or type(widget).__name__, widget)
        widget.reject()


def demo_window(name: str) -> tuple[QApplication, Path, MainWindow]:
    """The application, a scratch folder (settings included) and a shown window on the demo."""
    from cspdesk.store.demo import create_demo_workspace
    from cspdesk.ui.app import make_application
    from cspdesk.ui.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix=f"cspdesk-{name}-"))
    app = make_application()
    QCoreApplication.setApplicationName(f"cspdesk-{name}")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    window = MainWindow(create_demo_workspace(folder / "demo.cspdesk"))
    window.show()
    return app, folder, window


def main() -> None:
    from cspdesk.store.demo import create_demo_workspace
    from cspdesk.ui.main_window import MainWindow

    OUT.mkdir(parents=True, exist_ok=True)
    app, folder, window = demo_window("probe")
    record("Main window", window)
    window.tree.expandAll()
    action = next(k for k in window.document.model.index_by_key if k[0] == "action")
    window.select(action)
    record("Main window, an action selected", window)
    original_exec = QDialog.exec
    QDialog.exec = shown_instead_of_run  # type: ignore[method-assign]
    QMessageBox.exec = shown_instead_of_run  # type: ignore[method-assign]
    for name in ("getOpenFileName", "getSaveFileName", "getOpenFileNames"):
        setattr(QFileDialog, name, staticmethod(lambda *_a, **_k: ("", "")))
    QFileDialog.getExistingDirectory = staticmethod(lambda *_a, **_k: "")  # type: ignore[method-assign]
    closer = QTimer()  # dialogs run by Qt's own static functions (getItem...): seen, then closed
    closer.setInterval(300)
    closer.timeout.connect(_close_static_dialog)
    closer.start()
    skip = {"&Quit", "Restore from bac&kup…", "&New workspace…", "&Open…"}
    for menu in (
        window.file_menu,
        window.edit_menu,
        window.quarter_menu,
        window.features.figures_menu,
    ):
        for item in menu.actions():
            if item.text().endswith("…") and item.text() not in skip:
                window.select(action)
                item.trigger()
    closer.stop()
    # Left at 1920×1140 on a bigger screen: reopened here, it must still fit.
    QDialog.exec = original_exec  # type: ignore[method-assign]
    window.setGeometry(0, 0, 1920, 1140)
    window.close()
    app.processEvents()
    again = MainWindow(create_demo_workspace(folder / "again.cspdesk"))
    again.show()
    record("Main window restored from a bigger screen", again)
    again.close()
    app.processEvents()


if __name__ == "__main__":
    main()
