"""Run under a real X server: walk an officer's main flows by keyboard only, with real key events
(xdotool), open and close every dialog from the menus, then edit again; write what happened
(JSON) and a screenshot of each step (PNG) for a person to look at.

    python tests/ui/keyboard_walk.py OUT_FOLDER

The keys are sent by a separate xdotool process while the window runs its own event loop
(nested in a dialog's, when one is open); each step waits until the keys are handled, then
checks the window itself. Every message box that appears is written down: the test fails on
any that says something went wrong.
"""

from __future__ import annotations

import json
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QMessageBox, QWidget

OUT = Path(sys.argv[1])
# The checkout this file is in, not whichever cspdesk is installed: run as a script, Python
# puts only this folder on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
Keys = list[str] | Callable[[], list[str]]
SETTLE_MS = 400  # after xdotool returns: Qt has read the keys and redrawn
SKIP = {"&Quit", "&New workspace…", "&Open…"}  # they leave the workspace or the program
IN_PLACE = {"Set RAG…", "Filter…"}  # open an editor in the window, not a dialog


@dataclass
class Walk:
    window: QWidget
    steps: list[tuple[str, Keys, Callable[[], str | None]]] = field(default_factory=list)
    log: list[dict[str, object]] = field(default_factory=list)
    boxes: list[dict[str, str]] = field(default_factory=list)
    position: int = 0
    sent: list[str] = field(default_factory=list)

    def add(self, name: str, keys: Keys, check: Callable[[], str | None]) -> None:
        """A step: the keys (or a function giving them when the step comes), then ``check``
        (None: as expected; else what went wrong)."""
        self.steps.append((name, keys, check))

    def start(self) -> None:
        watcher = QTimer(self.window)
        watcher.setInterval(100)
        watcher.timeout.connect(self.note_boxes)
        watcher.start()
        QTimer.singleShot(500, self.next_step)

    def note_boxes(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen = {
                    "title": widget.windowTitle(),
                    "text": widget.text(),
                    "icon": widget.icon().name,
                }
                if seen not in self.boxes:
                    self.boxes.append(seen)
                    self.shot(f"box-{len(self.boxes)}")

    def next_step(self) -> None:
        if self.position >= len(self.steps):
            self.finish()
            return
        name, wanted, _check = self.steps[self.position]
        keys = wanted() if callable(wanted) else wanted
        self.sent = keys
        sender = subprocess.Popen(["xdotool", "key", "--delay", "90", *keys]) if keys else None
        poll = QTimer(self.window)
        poll.setInterval(50)

        def wait() -> None:
            if sender is not None and sender.poll() is None:
                return
            poll.stop()
            QTimer.singleShot(SETTLE_MS, self.check_step)

        poll.timeout.connect(wait)
        poll.start()
        del name

    def check_step(self) -> None:
        name, _wanted, check = self.steps[self.position]
        keys = self.sent
        try:
            problem = check()
        except Exception:  # the walk's own check failed: say where, and go on
            problem = traceback.format_exc(limit=3)
        focus = QApplication.focusWidget()
        modal = QApplication.activeModalWidget()
        self.log.append(
            {
                "step": name,
                "keys": keys,
                "problem": problem,
                "focus": focus.accessibleName() or type(focus).__name__ if focus else None,
                "modal": modal.windowTitle() if modal is not None else None,
                "document": id(getattr(self.window, "document", None)),
            }
        )
        self.shot(f"{self.position + 1:02d}-{name}")
        self.write()
        self.position += 1
        QTimer.singleShot(0, self.next_step)

    def shot(self, name: str) -> None:
        screen = self.window.screen()
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:60]
        screen.grabWindow(0).save(str(OUT / f"{safe}.png"))

    def write(self) -> None:
        found = {"steps": self.log, "boxes": self.boxes}
        (OUT / "walk.json").write_text(json.dumps(found, indent=1), encoding="utf-8")

    def finish(self) -> None:
        self.write()
        (OUT / "done").write_text("done", encoding="utf-8")
        QApplication.instance().exit(0)


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" ("&Print…" -> "p"), or None."""
    cleaned = text.replace("&&", "")
    at = cleaned.find("&")
    return cleaned[at + 1].lower() if 0 <= at < len(cleaned) - 1 else None


def main() -> None:
    from cspdesk.core.plan.model import Update
    from cspdesk.ui.plan_model import KIND_ROLE, Column
    from tests.ui.screen_probe import demo_window

    OUT.mkdir(parents=True, exist_ok=True)
    app, _folder, window = demo_window("walk")
    window.activateWindow()
    subprocess.run(["xdotool", "windowfocus", "--sync", str(int(window.winId()))], check=False)
    walk = Walk(window)
    tree = window.tree

    def doc():  # type: ignore[no-untyped-def]
        return window.document  # a reload (Restore, Reopen...) makes a new one

    def current_kind() -> str:
        return str(tree.currentIndex().data(KIND_ROLE))

    def is_kind(kind: str) -> Callable[[], str | None]:
        def check() -> str | None:
            shown = window.detail.key if window.detail is not None else None
            if current_kind() != kind or shown is None or shown[0] != kind:
                return f"wanted a {kind} selected and shown, got {current_kind()} / {shown}"
            return None

        return check

    def focus_on(name: str) -> Callable[[], str | None]:
        def check() -> str | None:
            focus = QApplication.focusWidget()
            got = focus.accessibleName() if focus is not None else None
            return None if got == name else f"focus on {got!r}, wanted {name!r}"

        return check

    def tab_until(name: str) -> Keys:
        def keys() -> list[str]:
            focus = QApplication.focusWidget()
            return [] if focus is not None and focus.accessibleName() == name else ["Tab"]

        return keys

    for _ in range(4):  # from the filter to the tree, as a keyboard user goes
        walk.add("tab to the tree", tab_until("Plan tree"), lambda: None)
    walk.add("tree has the keys", [], focus_on("Plan tree"))
    walk.add("plan", ["Home"], is_kind("plan"))
    walk.add("priority", ["Down"], is_kind("priority"))
    walk.add("objective", ["Down"], is_kind("objective"))
    walk.add("objective open", ["Right", "Down"], is_kind("action"))
    action_at: dict[str, object] = {}

    def undo_state() -> tuple[int, int]:
        """Where Undo stands and how many steps the stack holds (undone ones included)."""
        return doc().undo_stack.index(), doc().undo_stack.count()

    def remember_action() -> str | None:
        node = doc().model.node(tree.currentIndex())
        action_at.update(key=node.key, rag=node.rag, undo=undo_state())
        action_at.setdefault("first", node.key)
        return None

    walk.add("the action", [], remember_action)

    def rag_list_open() -> str | None:
        lists = [box for box in tree.viewport().findChildren(QComboBox) if box.view().isVisible()]
        return None if lists else "no RAG list is shown"

    walk.add("RAG list opens", ["ctrl+r"], rag_list_open)

    def another_status() -> list[str]:
        """The status below the one shown, or above it at the end of the list."""
        box = next((b for b in tree.viewport().findChildren(QComboBox) if b.isVisible()), None)
        at_end = box is not None and box.view().currentIndex().row() == box.count() - 1
        return ["Up" if at_end else "Down", "Return"]

    def rag_changed() -> str | None:
        """Picked: the action shows another RAG, saved as the one step Undo now offers."""
        node = doc().model.index_by_key[action_at["key"]]  # type: ignore[index]
        before, now = action_at["undo"], undo_state()
        said = doc().undo_stack.undoText()
        if node.rag != action_at["rag"] and now[0] == before[0] + 1 and said == "Set Q1 RAG":  # type: ignore[index]
            return None
        return f"RAG {action_at['rag']!r} -> {node.rag!r}; Undo {before} -> {now}: {said!r}"

    walk.add("RAG picked", another_status, rag_changed)
    summary_name = "Your Q1 summary"
    for _ in range(40):  # Tab on into the detail pane, to the officer's own summary
        walk.add("tab to the summary", tab_until(summary_name), lambda: None)
    walk.add("summary has the keys", [], focus_on(summary_name))

    def saved_summary() -> str:
        key = action_at["key"]
        return doc().workspace.read(
            lambda s: s.query(Update.text).filter_by(action_id=key[1], quarter=1).scalar() or ""  # type: ignore[index]
        )

    def box_reads(text: str) -> Callable[[], str | None]:
        def check() -> str | None:
            focus = QApplication.focusWidget()
            got = focus.toPlainText() if hasattr(focus, "toPlainText") else None
            return None if got == text else f"the summary box reads {got!r}, wanted {text!r}"

        return check

    before: dict[str, str] = {}

    def keep_summary() -> str | None:
        before["text"] = saved_summary()
        return None

    walk.add("the summary as it was", [], keep_summary)
    word = ["ctrl+End", "space", "W", "a", "l", "k", "e", "d"]
    walk.add("typing", word, lambda: box_reads(before["text"] + " Walked")())
    walk.add("ctrl+z in the box", ["ctrl+z"], lambda: box_reads(before["text"])())
    walk.add("typing again", word, lambda: box_reads(before["text"] + " Walked")())

    def summary_is(wanted: Callable[[], str]) -> Callable[[], str | None]:
        return lambda: None if saved_summary() == wanted() else f"saved: {saved_summary()!r}"

    walk.add("saved on leaving", ["Tab"], summary_is(lambda: before["text"] + " Walked"))
    walk.add("ctrl+z undoes the save", ["ctrl+z"], summary_is(lambda: before["text"]))

    def give_focus_back() -> str | None:
        """What a window manager does when a dialog closes: its window has the keys again."""
        window_id = str(int(window.winId()))
        subprocess.run(["xdotool", "windowfocus", "--sync", window_id], check=False, timeout=10)
        return None

    # Every dialog of the menus, opened by its mnemonics and closed with Escape: the plan
    # stays open as it was (the summary and its undo are on the undo stack).
    plan_open: dict[str, object] = {}

    def note_plan() -> str | None:
        plan_open.update(document=doc(), undo=undo_state())
        return None

    walk.add("the plan as it is", [], note_plan)
    bar = window.menuBar()
    for top in bar.actions():
        menu = top.menu()
        letter = mnemonic(top.text())
        if menu is None or letter is None:
            continue
        for item in menu.actions():
            if not item.text().endswith("…") or item.text() in SKIP:
                continue
            key = mnemonic(item.text())
            clean = item.text().replace("&", "")
            others = [a for a in menu.actions() if a is not item]
            shared = [a.text() for a in others if mnemonic(a.text()) == key]
            if key is None or shared:  # a shared letter only moves between the items
                walk.add(f"key letter of {clean}", [], lambda c=clean, o=shared: f"{c}: {o}")
                continue

            def keys(item=item, letter=letter, key=key) -> list[str]:  # type: ignore[no-untyped-def]
                return [f"alt+{letter}", key] if item.isEnabled() else []

            def opened(item=item, c=clean) -> str | None:  # type: ignore[no-untyped-def]
                shown = QApplication.activeModalWidget()
                if shown is None and item.isEnabled() and c not in IN_PLACE:
                    return f"{c}: no dialog came up"
                return None

            def closed(c: str = clean) -> str | None:
                shown = QApplication.activeModalWidget()
                return None if shown is None else f"{c}: still open ({shown.windowTitle()})"

            def kept_open(c: str = clean) -> str | None:
                # Cancelled, a dialog leaves the plan open as it was (Restore from backup
                # used to reopen it, losing the undo history and the selection), and Escape
                # on an editor in the window closes it: the RAG list used to close alone,
                # leaving a drop-down that saved whatever the next keys picked.
                if doc() is not plan_open["document"]:
                    return f"{c}: cancelling it reopened the plan (its undo history is gone)"
                if undo_state() != plan_open["undo"]:
                    said = doc().undo_stack.undoText()
                    return f"{c}: Undo moved {plan_open['undo']} -> {undo_state()} ({said!r})"
                if tree.state() == QAbstractItemView.State.EditingState:
                    return f"{c}: an editor is still open in the tree"
                return closed(c)

            walk.add(f"open {clean}", keys, opened)
            walk.add(f"close {clean}", ["Escape"], kept_open)
            walk.add(f"back to the window from {clean}", [], give_focus_back)

    # Then edit again, in the tree and in the pane: nothing may still listen from a dialog.
    walk.add("filter has the keys", ["ctrl+f"], focus_on("Filter text"))
    for _ in range(4):
        walk.add("tab to the tree", tab_until("Plan tree"), lambda: None)
    walk.add("tree again", [], focus_on("Plan tree"))

    def first_action_again() -> str | None:
        """Ctrl+R left the RAG cell current: Home goes to the title, Home again to the plan,
        then down to the action the walk began with (its objective is still open)."""
        wrong = is_kind("action")()
        key = doc().model.node(tree.currentIndex()).key
        if wrong is None and key != action_at["first"]:
            wrong = f"wanted the first action {action_at['first']}, got {key}"
        if wrong is None and tree.currentIndex().column() != Column.TITLE:
            wrong = f"the keys are on column {tree.currentIndex().column()}, not the title"
        return wrong

    walk.add("an action again", ["Home", "Home", "Down", "Down", "Down"], first_action_again)
    walk.add("the action again", [], remember_action)
    walk.add("title editor", ["F2"], lambda: None)

    def title_ends(end: str, wanted: bool) -> Callable[[], str | None]:
        def check() -> str | None:
            title = doc().model.index_by_key[action_at["key"]].title  # type: ignore[index]
            return None if title.endswith(end) == wanted else f"the title is {title!r}"

        return check

    walk.add("title typed", ["End", "space", "x", "Return"], title_ends(" x", True))
    walk.add("ctrl+z the title", ["ctrl+z"], title_ends(" x", False))
    walk.add("the action as it is", [], remember_action)

    def nothing_changed(column: int) -> Callable[[], str | None]:
        """The tree has the keys on ``column`` of the action, no editor is open, and the RAG and
        Undo are as they were."""

        def check() -> str | None:
            node = doc().model.index_by_key[action_at["key"]]  # type: ignore[index]
            focus = QApplication.focusWidget()
            if tree.state() == QAbstractItemView.State.EditingState or focus is not tree:
                return f"an editor is still open (the keys are on {type(focus).__name__})"
            if node.rag != action_at["rag"] or undo_state() != action_at["undo"]:
                said = doc().undo_stack.undoText()
                return f"the RAG is {node.rag!r} (was {action_at['rag']!r}), Undo {said!r}"
            if doc().model.node(tree.currentIndex()).key != node.key:
                return f"the keys left the action for {doc().model.node(tree.currentIndex()).key}"
            if tree.currentIndex().column() != column:
                return f"the keys are on column {tree.currentIndex().column()}, wanted {column}"
            return None

        return check

    walk.add("RAG list again", ["ctrl+r"], rag_list_open)
    walk.add("Escape on the RAG list", ["Escape"], nothing_changed(Column.RAG))
    walk.add("Home after it", ["Home"], nothing_changed(Column.TITLE))  # the title: the tree's Home
    walk.add("Escape again", ["Escape"], nothing_changed(Column.TITLE))
    walk.add("RAG list once more", ["ctrl+r"], rag_list_open)
    walk.add("RAG picked again", another_status, rag_changed)

    def rag_back() -> str | None:
        node = doc().model.index_by_key[action_at["key"]]  # type: ignore[index]
        return None if node.rag == action_at["rag"] else f"the RAG is {node.rag!r} after Ctrl+Z"

    walk.add("ctrl+z the RAG", ["ctrl+z"], rag_back)
    walk.start()
    app.exec()


if __name__ == "__main__":
    main()
