"""The menus and panes of the features around the tree: Excel, returns, quarters, reports.

Each dialog module is imported only when its menu item is used, so start-up stays fast. A
dialog that changes the plan returns the core Change it committed; it goes on the undo stack
like any edit in the tree.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QTabBar, QWidget

from cspdesk.core.plan.plans import current_quarter, latest_plan_id, plan_years

if TYPE_CHECKING:
    from cspdesk.ui.main_window import MainWindow


PANE_DELAY_MS = 50
SAID_MS = 20_000  # a success said in the status bar, long enough to be read


def _call(module: str, name: str, *args: Any) -> Any:
    return getattr(importlib.import_module(module), name)(*args)


class FeatureMenus:
    """Adds the feature menu items and dock panes to a MainWindow."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.docks: dict[str, QDockWidget] = {}
        self._sized = False
        self.panes: dict[str, QWidget] = {}
        file_menu = window.file_menu
        before = window.file_io_separator
        for text, slot in (
            ("&Import plan (Excel, LibreOffice or Word)…", self.import_plan),
            ("&Export to Excel…", self.export_xlsx),
            ("&Print quarterly update…", self.print_report),
        ):
            file_menu.insertAction(before, self._action(text, slot))
        file_menu.insertAction(
            window.quit_separator, self._action("Restore from bac&kup…", self.restore_backup)
        )
        quarter = window.quarter_menu
        quarter.menuAction().setVisible(True)
        quarter.setToolTipsVisible(True)
        for text, slot, tip in (
            (
                "&Make partner returns…",
                self.make_returns,
                "One workbook per lead for this quarter, to send out for their updates",
            ),
            (
                "&Import partner returns…",
                self.apply_returns,
                "Read the returns sent back, review each change, merge the ones you tick",
            ),
            (None, None, ""),
            (
                "&Close quarter…",
                self.close_quarter,
                "Freeze what was reported this quarter (reports print from it); the plan then "
                "moves on to the next quarter. After Q4: Roll forward to next year",
            ),
            (
                "Re&open a closed quarter…",
                self.reopen_quarter,
                "Change what a closed quarter reported (a reason is kept)",
            ),
            (
                "&Roll forward to next year…",
                self.roll_forward,
                "Start next year's plan with this year's unfinished actions; this year's "
                "becomes read-only. Close its quarters first",
            ),
        ):
            if text is None:
                quarter.addSeparator()
            else:
                quarter.addAction(self._action(text, slot, tip))
        bar = window.menuBar()
        self.figures_menu = QMenu("F&igures", window)
        bar.insertMenu(bar.actions()[-1], self.figures_menu)  # before Help
        self.figures_menu.addAction(self._action("Import &police data…", self.import_police_data))
        # The View menu's Filter, Expand all and Collapse all take F, E and C.
        self._add_pane("checker", "Chec&ker", "cspdesk.ui.checker_panel", "CheckerPanel")
        self._add_pane(
            "changes", "C&hanges since last quarter", "cspdesk.ui.changes_view", "ChangesView"
        )
        self._add_pane("chase", "&Returns chase list", "cspdesk.ui.chase_pane", "ChasePane")
        self._add_pane("dashboard", "&Dashboard", "cspdesk.ui.dashboard", "DashboardPane")
        self._add_pane("figures", "Figures and f&unding", "cspdesk.ui.figures_pane", "FiguresPane")
        self._name_tab_bars()

    def _action(self, text: str, slot: Callable[[], None], tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        if tip:  # shown in the status bar and as the menu item's tooltip
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    # ---- context ----

    @property
    def document(self):  # type: ignore[no-untyped-def]
        assert self.window.document is not None
        return self.window.document

    def plan_id(self) -> int | None:
        """The plan of the selected item, or the newest plan."""
        key = self.window.current_key()
        model = self.document.model
        node = model.index_by_key.get(key) if key else None
        while node is not None and node.kind not in ("plan", "root"):
            node = node.parent
        if node is not None and node.kind == "plan":
            return node.id
        return self.document.workspace.read(latest_plan_id)

    def quarter(self, plan_id: int) -> int:
        return self.document.workspace.read(current_quarter, plan_id)

    def _with_plan(self, run: Callable[[int], Any]) -> None:
        plan_id = self.plan_id()
        if plan_id is None:
            self.window._show_error("There is no plan yet: add one or import one first.")
            return
        run(plan_id)

    def _push(self, change: Any, text: str) -> bool:
        if change is None:
            return False
        self.document.push(change, text)
        self.refresh_panes()
        return True

    def _say(self, message: str) -> None:
        self.window.statusBar().showMessage(message, SAID_MS)

    def _closed_quarters(self, plan_id: int) -> set[int]:
        from cspdesk.core.quarter.guards import closed_quarters

        return self.document.workspace.read(closed_quarters, plan_id)

    def _plans(self) -> dict[int, str]:
        return self.document.workspace.read(plan_years)

    # ---- menu items ----

    def import_plan(self) -> None:
        said: list[str] = []
        change = _call(
            "cspdesk.ui.dialogs.import_plan",
            "run_import_plan_dialog",
            self.window,
            self.document.workspace,
            None,
            said.append,
        )
        if self._push(change, "Import plan"):
            self.window.filter_bar.populate(self.document.workspace, self.document.rag_style)
        for text in said:  # after the tree shows it (a new workspace opened clears the bar)
            self._say(text)

    def export_xlsx(self) -> None:
        self._with_plan(
            lambda plan_id: _call(
                "cspdesk.ui.dialogs.import_plan",
                "run_export_xlsx_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
        )

    def print_report(self) -> None:
        self._with_plan(
            lambda plan_id: _call(
                "cspdesk.ui.dialogs.print_report",
                "run_print_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
        )

    def import_police_data(self) -> None:
        def run(plan_id: int) -> None:
            said: list[str] = []
            change = _call(
                "cspdesk.ui.dialogs.police_import",
                "run_police_import_dialog",
                self.window,
                self.document.workspace,
                plan_id,
                said.append,
            )
            self._push(change, "Import police data")
            for text in said:  # an import that changed nothing says so too
                self._say(text)

        self._with_plan(run)

    def restore_backup(self) -> None:
        path = self.document.workspace.path
        if self.window.detail is not None:
            self.window.detail.save_typing()
        # The edits so far are backed up now, so closing for the restore backs up nothing
        # more (a new backup would thin the folder under the one being restored).
        self.window.backups.back_up_if_changed()
        closed = False

        def close_for_restore() -> None:
            # The file must be closed (and its lock released) while a backup replaces it;
            # only once one is chosen, so Cancel keeps the plan open with its undo history.
            nonlocal closed
            self.window.finish_with_workspace()
            closed = True

        said: list[str] = []
        _call(
            "cspdesk.ui.dialogs.restore_backup",
            "run_restore_dialog",
            self.window,
            path,
            None,
            close_for_restore,
            said,
        )
        if closed and self.window.open_path(path):
            for text in said:  # once open again: opening clears the status bar
                self._say(text)

    def make_returns(self) -> None:
        self._with_plan(
            lambda plan_id: _call(
                "cspdesk.ui.dialogs.returns",
                "run_make_returns_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
        )
        self.refresh_panes()

    def apply_returns(self) -> None:
        def run(plan_id: int) -> None:
            outcome = _call(
                "cspdesk.ui.dialogs.returns",
                "run_apply_returns_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
            if outcome is not None:  # said as it truly went (with no undo step if nothing did)
                self._push(outcome.change, "Merge partner returns")
                self._say(outcome.said)

        self._with_plan(run)

    def close_quarter(self) -> None:
        def run(plan_id: int) -> None:
            closed_before = self._closed_quarters(plan_id)
            change = _call(
                "cspdesk.ui.dialogs.quarter",
                "run_close_quarter_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
            if not self._push(change, "Close quarter"):
                return
            closed = sorted(self._closed_quarters(plan_id) - closed_before)
            year, now = self._plans()[plan_id], self.quarter(plan_id)
            said = ", ".join(f"Q{q}" for q in closed) or "The quarter"
            after = (
                f"The plan is now on Q{now}: its updates go there."
                if closed and now > closed[-1]
                else "Next: Quarter › Roll forward to next year… starts the next plan."
                if closed and closed[-1] == 4
                else f"The plan stays on Q{now}."
            )
            self._say(f"{said} {year} closed: what was reported is kept as it stood. {after}")

        self._with_plan(run)

    def reopen_quarter(self) -> None:
        def run(plan_id: int) -> None:
            change = _call(
                "cspdesk.ui.dialogs.quarter",
                "run_reopen_quarter_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
            if not self._push(change, "Reopen quarter"):
                return
            year = self._plans()[plan_id]
            self._say(
                f"Q{change.quarter} {year} reopened (the reason is kept in its history): its "
                "updates can be changed again, and it prints as the plan stands now until it "
                "is closed again."
            )

        self._with_plan(run)

    def roll_forward(self) -> None:
        def run(plan_id: int) -> None:
            before = self._plans()
            change = _call(
                "cspdesk.ui.dialogs.quarter",
                "run_roll_forward_dialog",
                self.window,
                self.document.workspace,
                plan_id,
            )
            if not self._push(change, "Roll forward"):
                return
            made = {k: v for k, v in self._plans().items() if k not in before}
            for new_id, year in made.items():
                self.window.tree.expandToDepth(1)
                self.window.select(("plan", new_id))  # the checker and panes follow it
                self._say(
                    f"The {year} plan was made from {before[plan_id]}, which is now read-only. "
                    "It is selected: the checker and panes show it."
                )

        self._with_plan(run)

    # ---- panes ----

    def _add_pane(self, key: str, menu_text: str, module: str, class_name: str) -> None:
        """A pane docked below the tree, shown and hidden from the View menu (``menu_text``
        with its "&" shortcut; the pane's title is the same words)."""
        dock = QDockWidget(menu_text.replace("&", ""), self.window)
        dock.setObjectName(f"{key}Dock")
        dock.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        if self.docks:
            self.window.tabifyDockWidget(next(iter(self.docks.values())), dock)
        dock.hide()
        self.docks[key] = dock
        toggle = dock.toggleViewAction()
        toggle.setText(menu_text)
        self.window.view_menu.addAction(toggle)

        def create_when_shown(visible: bool) -> None:
            QTimer.singleShot(0, self._name_tab_bars)  # Qt's tab bars come and go with panes
            if visible:
                # Restored docks show up before the window first paints: build them just
                # after it instead, so start-up is not held up by charts or checks.
                QTimer.singleShot(PANE_DELAY_MS, lambda: build(dock.isVisible()))

        def build(visible: bool) -> None:
            if visible and key not in self.panes:
                pane_class = getattr(importlib.import_module(module), class_name)
                pane = pane_class(self.document.workspace)
                if hasattr(pane, "jump_requested"):
                    pane.jump_requested.connect(self.jump)
                if hasattr(pane, "changed"):  # a pane that edits: its changes are undoable
                    pane.changed.connect(lambda change: self.document.push(change))
                self.panes[key] = pane
                dock.setWidget(pane)
                if not self._sized:
                    from cspdesk.ui.window_state import pane_height

                    self._sized = True
                    height = pane_height(self.window)
                    self.window.resizeDocks([dock], [height], Qt.Orientation.Vertical)
            if visible:
                self._refresh_pane(key)

        dock.visibilityChanged.connect(create_when_shown)

    def _name_tab_bars(self) -> None:
        """The tabs Qt makes for panes stacked together, named for a screen reader; one Qt
        keeps with no tab (out of sight) is no Tab stop, or the keyboard would vanish into it
        after the detail pane."""
        for bar in self.window.findChildren(QTabBar):
            if bar.parent() is not self.window:
                continue
            if not bar.accessibleName():
                bar.setAccessibleName("Panes")
            bar.setFocusPolicy(Qt.FocusPolicy.TabFocus if bar.count() else Qt.FocusPolicy.NoFocus)

    def _refresh_pane(self, key: str) -> None:
        pane = self.panes.get(key)
        plan_id = self.plan_id()
        if pane is None or plan_id is None:
            return
        if key == "figures":
            pane.refresh(plan_id)  # type: ignore[attr-defined]
        else:
            pane.refresh(plan_id, self.quarter(plan_id))  # type: ignore[attr-defined]

    def refresh_panes(self) -> None:
        for key, dock in self.docks.items():
            if dock.isVisible():
                self._refresh_pane(key)

    def workspace_changed(self) -> None:
        """A different workspace is open: panes are rebuilt on next show."""
        for key, dock in self.docks.items():
            pane = self.panes.pop(key, None)
            if pane is not None:
                dock.setWidget(QWidget())
                pane.deleteLater()
            if dock.isVisible():
                dock.visibilityChanged.emit(True)

    def jump(self, entity: str, item_id: int) -> None:
        self.window.tree.expandToDepth(2)
        self.window.select((entity, item_id))
