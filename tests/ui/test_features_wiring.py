"""Every feature menu item and pane of the main window is wired to code that exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import cspdesk.ui.features as features

SOURCE = Path(features.__file__).read_text(encoding="utf-8")


def test_every_dialog_entry_point_exists() -> None:
    calls = re.findall(r'"(cspdesk\.ui\.[\w.]+)",\s*"(\w+)"', SOURCE)
    assert len(calls) >= 9
    for module, name in calls:
        assert callable(getattr(importlib.import_module(module), name)), f"{module}.{name}"


def test_menus_list_the_officers_year(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text().replace("&", "") for a in window.quarter_menu.actions() if a.text()]
    assert texts == [
        "Make partner returns…",
        "Import partner returns…",
        "Close quarter…",
        "Reopen a closed quarter…",
        "Roll forward to next year…",
    ]
    file_texts = [a.text().replace("&", "") for a in window.file_menu.actions()]
    for wanted in (
        "Import plan (Excel, LibreOffice or Word)…",
        "Export to Excel…",
        "Print quarterly update…",
        "Backup now",
        "Restore from backup…",
        "Workspace settings…",
    ):
        assert wanted in file_texts


def test_every_pane_opens_on_the_plan(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    for key, dock in window.features.docks.items():
        dock.show()
        dock.raise_()  # tabified docks build their pane when their tab comes to the front
        qtbot.waitUntil(lambda k=key: k in window.features.panes, timeout=10000)
        assert dock.widget() is window.features.panes[key]


def test_checker_jumps_to_the_item(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from cspdesk.core.plan.model import Action

    action_id = window.document.workspace.read(
        lambda s: s.execute(
            select(Action.id).where(Action.title == "Joint days of action")
        ).scalar_one()
    )
    window.features.jump("action", action_id)
    assert window.current_key() == ("action", action_id)


def test_every_menu_item_has_its_own_shortcut_letter(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Alt, the menu's letter, the item's letter: every item is reached so, no two alike."""
    marker = re.compile(r"&([^&])")
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None or not menu_action.isVisible():
            continue
        letters = []
        for action in menu.actions():
            if action.isSeparator() or not action.text():
                continue
            found = marker.search(action.text().replace("&&", ""))
            assert found, f"{menu.title()} › {action.text()} has no shortcut letter"
            letters.append(found.group(1).lower())
        assert len(letters) == len(set(letters)), f"{menu.title()}: letters repeat: {letters}"
