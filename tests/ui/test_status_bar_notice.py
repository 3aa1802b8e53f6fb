"""The status bar's notice of a file written: buttons of their own size, gone after a while."""

from __future__ import annotations

from pathlib import Path

from cspdesk.ui.file_notice import SHOWN_MS


def test_the_notice_keeps_its_buttons_small_and_goes_away(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """ "Show in folder" was stretched across half the status bar, and "Backup saved" seemed to
    stay (screen test, 3)."""
    window.resize(1280, 700)
    notice = window.file_notice
    backup = tmp_path / "plan-2026-12-07_221647.cspdesk"
    backup.write_bytes(b"")
    notice.announce(f"Backup saved: {backup}", backup, can_open=False)
    qtbot.waitUntil(lambda: notice.folder_button.isVisible())
    qtbot.waitUntil(lambda: notice.width() > 900)  # laid out across the status bar
    button = notice.folder_button
    assert button.width() <= button.sizeHint().width() + 8
    assert notice.text.width() < notice.width() // 2 + 200
    assert SHOWN_MS <= 15_000
    notice._timer.setInterval(300)  # the same timer, not its quarter minute
    notice.announce(f"Backup saved: {backup}", backup, can_open=False)
    window.statusBar().showMessage("Saved 1 change.", 100)  # another message meanwhile
    qtbot.waitUntil(notice.isHidden, timeout=3000)
    qtbot.wait(300)
    assert notice.isHidden() and window.statusBar().currentMessage() == ""
